import AnyDoorCore
import Foundation
import SQLKit

/// Sessions and sign-in failure counts live in the database, so they survive restarts and every
/// AnyDoor node sees the same ones (HummingbirdAuth ships only an in-memory store).
public struct SQLSessions: Sendable {
    let database: Database

    public init(database: Database) {
        self.database = database
    }

    public func create(_ session: SessionRecord, on sql: any SQLDatabase) async throws {
        try await sql.insert(into: "sessions")
            .columns("id_hash", "subject_kind", "subject_id", "authentication_level", "awaiting_second_factor", "csrf_token", "device", "created_at", "last_seen_at")
            .values(SQLBind(session.idHash), SQLBind(session.kind.rawValue), SQLBind(session.subjectID.uuidString.lowercased()),
                    SQLBind(session.authentication.rawValue), SQLBind(session.awaitingSecondFactor ? 1 : 0), SQLBind(session.csrfToken),
                    SQLBind(session.device), SQLBind(session.createdAt.timeIntervalSince1970), SQLBind(session.lastSeenAt.timeIntervalSince1970))
            .run()
    }

    public func find(idHash: String) async throws -> SessionRecord? {
        try await database.withSQL { sql in
            try await sql.select().columns("*").from("sessions").where("id_hash", .equal, idHash).first().map(Self.decode)
        }
    }

    /// Records activity, which pushes back the idle expiry.
    public func touch(idHash: String, at time: Date) async throws {
        try await database.withSQL { sql in
            try await sql.update("sessions").set("last_seen_at", to: time.timeIntervalSince1970).where("id_hash", .equal, idHash).run()
        }
    }

    /// Marks the second factor done.
    public func completeSecondFactor(idHash: String, on sql: any SQLDatabase) async throws {
        try await sql.update("sessions").set("awaiting_second_factor", to: 0).set("authentication_level", to: AuthenticationLevel.multiFactor.rawValue)
            .where("id_hash", .equal, idHash).run()
    }

    public func revoke(idHash: String, at time: Date, on sql: any SQLDatabase) async throws {
        try await sql.update("sessions").set("revoked_at", to: time.timeIntervalSince1970)
            .where("id_hash", .equal, idHash).where("revoked_at", .is, SQLLiteral.null).run()
    }

    /// Ends every session of an account except `keeping` (sign out everywhere else; after a password reset, all).
    public func revokeAll(kind: AccountKind, subject: UUID, keeping: String?, at time: Date, on sql: any SQLDatabase) async throws {
        var update = sql.update("sessions").set("revoked_at", to: time.timeIntervalSince1970)
            .where("subject_kind", .equal, kind.rawValue).where("subject_id", .equal, subject.uuidString.lowercased())
            .where("revoked_at", .is, SQLLiteral.null)
        if let keeping { update = update.where("id_hash", .notEqual, keeping) }
        try await update.run()
    }

    /// An account's sessions that have not been revoked, newest first (the caller filters expired ones).
    public func open(kind: AccountKind, subject: UUID) async throws -> [SessionRecord] {
        try await database.withSQL { sql in
            try await sql.select().columns("*").from("sessions")
                .where("subject_kind", .equal, kind.rawValue).where("subject_id", .equal, subject.uuidString.lowercased())
                .where("revoked_at", .is, SQLLiteral.null).where("awaiting_second_factor", .equal, 0)
                .orderBy("last_seen_at", .descending).all().map(Self.decode)
        }
    }

    public func recordFailure(key: String, at time: Date) async throws {
        try await database.withSQL { sql in
            try await sql.insert(into: "sign_in_failures").columns("throttle_key", "at").values(SQLBind(key), SQLBind(time.timeIntervalSince1970)).run()
        }
    }

    public func failures(key: String, since: Date) async throws -> Int {
        try await database.withSQL { sql in
            let row = try await sql.select().column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n").from("sign_in_failures")
                .where("throttle_key", .equal, key).where("at", .greaterThanOrEqual, since.timeIntervalSince1970).first()
            return try row?.decode(column: "n", as: Int.self) ?? 0
        }
    }

    /// Removes failure records older than `before` (run by the purge job).
    public func pruneFailures(before: Date) async throws {
        try await database.withSQL { sql in
            try await sql.delete(from: "sign_in_failures").where("at", .lessThan, before.timeIntervalSince1970).run()
        }
    }

    static func decode(_ row: any SQLRow) throws -> SessionRecord {
        let idHash = try row.decode(column: "id_hash", as: String.self)
        guard let kind = AccountKind(rawValue: try row.decode(column: "subject_kind", as: String.self)),
              let subject = UUID(uuidString: try row.decode(column: "subject_id", as: String.self)),
              let level = AuthenticationLevel(rawValue: try row.decode(column: "authentication_level", as: Int.self))
        else { throw StoreError.corruptRow(table: "sessions", id: String(idHash.prefix(8))) }
        return SessionRecord(
            idHash: idHash, kind: kind, subjectID: subject, authentication: level,
            awaitingSecondFactor: try row.decode(column: "awaiting_second_factor", as: Int.self) != 0,
            csrfToken: try row.decode(column: "csrf_token", as: String.self),
            device: try row.decode(column: "device", as: String.self),
            createdAt: Date(timeIntervalSince1970: try row.decode(column: "created_at", as: Double.self)),
            lastSeenAt: Date(timeIntervalSince1970: try row.decode(column: "last_seen_at", as: Double.self)),
            revokedAt: try row.decode(column: "revoked_at", as: Double?.self).map(Date.init(timeIntervalSince1970:))
        )
    }
}
