import AnyDoorCore
import Crypto
import Foundation
import SQLKit

/// The append-only, hash-chained audit log. Each entry's `hash` is HMAC-SHA256, under a key derived
/// from the index key, of the previous entry's hash and the entry's own fields; `audit_head` holds the
/// newest sequence number and hash. So an edited entry breaks its own hash, a reordered or deleted one
/// breaks the next entry's link, and a deleted newest entry no longer matches the head, and nobody
/// with only database access can recompute the chain without the key.
public struct SQLAuditLog: Sendable {
    let database: Database
    let keys: KeyRing

    public init(database: Database, keys: KeyRing) {
        self.database = database
        self.keys = keys
    }

    /// Appends an entry in its own transaction.
    public func append(_ entry: AuditEntry) async throws {
        try await database.transaction { sql in try await append(entry, on: sql) }
    }

    /// Appends an entry inside the caller's transaction, so the entry and the change it records commit
    /// together or not at all.
    public func append(_ entry: AuditEntry, on sql: any SQLDatabase) async throws {
        if database.flavour == .postgres {
            // Serialise appenders across nodes; SQLite's BEGIN IMMEDIATE already does.
            try await sql.raw("SELECT pg_advisory_xact_lock(\(bind: Self.lockKey))").run()
        }
        let head = try await sql.select().columns("sequence", "hash").from("audit_head").where("id", .equal, 1).first()
        let previousSequence = try head?.decode(column: "sequence", as: Int.self) ?? 0
        let previousHash = try head?.decode(column: "hash", as: String.self) ?? Self.genesis
        let sequence = previousSequence + 1
        let hash = Self.chain(previous: previousHash, sequence: sequence, entry: entry, key: keys.auditKey)
        try await sql.insert(into: "audit_log")
            .columns("sequence", "at", "actor", "acting_for", "action", "target", "channel", "outcome", "detail", "previous_hash", "hash")
            .values(SQLBind(sequence), SQLBind(entry.at.timeIntervalSince1970), SQLBind(entry.actor), SQLBind(entry.actingFor),
                    SQLBind(entry.action), SQLBind(entry.target), SQLBind(entry.channel.rawValue), SQLBind(entry.outcome),
                    SQLBind(entry.detail), SQLBind(previousHash), SQLBind(hash))
            .run()
        if head == nil {
            try await sql.insert(into: "audit_head").columns("id", "sequence", "hash").values(SQLBind(1), SQLBind(sequence), SQLBind(hash)).run()
        } else {
            try await sql.update("audit_head").set("sequence", to: sequence).set("hash", to: hash).where("id", .equal, 1).run()
        }
    }

    /// Appends several entries, in order, inside the caller's transaction: the head is read and written
    /// once and the entries inserted in one statement (a batch of check-ins commits together).
    public func append(_ entries: [AuditEntry], on sql: any SQLDatabase) async throws {
        guard entries.count > 1 else {
            if let entry = entries.first { try await append(entry, on: sql) }
            return
        }
        if database.flavour == .postgres {
            try await sql.raw("SELECT pg_advisory_xact_lock(\(bind: Self.lockKey))").run()
        }
        let head = try await sql.select().columns("sequence", "hash").from("audit_head").where("id", .equal, 1).first()
        var sequence = try head?.decode(column: "sequence", as: Int.self) ?? 0
        var previous = try head?.decode(column: "hash", as: String.self) ?? Self.genesis
        let insert = sql.insert(into: "audit_log")
            .columns("sequence", "at", "actor", "acting_for", "action", "target", "channel", "outcome", "detail", "previous_hash", "hash")
        for entry in entries {
            sequence += 1
            let hash = Self.chain(previous: previous, sequence: sequence, entry: entry, key: keys.auditKey)
            insert.values(SQLBind(sequence), SQLBind(entry.at.timeIntervalSince1970), SQLBind(entry.actor), SQLBind(entry.actingFor),
                          SQLBind(entry.action), SQLBind(entry.target), SQLBind(entry.channel.rawValue), SQLBind(entry.outcome),
                          SQLBind(entry.detail), SQLBind(previous), SQLBind(hash))
            previous = hash
        }
        try await insert.run()
        if head == nil {
            try await sql.insert(into: "audit_head").columns("id", "sequence", "hash").values(SQLBind(1), SQLBind(sequence), SQLBind(previous)).run()
        } else {
            try await sql.update("audit_head").set("sequence", to: sequence).set("hash", to: previous).where("id", .equal, 1).run()
        }
    }

    /// One stored entry with its place in the chain.
    public struct StoredEntry: Sendable, Equatable {
        public let sequence: Int
        public let entry: AuditEntry
    }

    /// Entries, newest first, optionally only those about one target or actor.
    public func recent(limit: Int = 100, involving subject: String? = nil) async throws -> [StoredEntry] {
        try await database.withSQL { sql in
            var query = sql.select().columns("*").from("audit_log")
            if let subject {
                query = query.where { $0.where("actor", .equal, subject).orWhere("acting_for", .equal, subject).orWhere("target", .equal, subject) }
            }
            return try await query.orderBy("sequence", .descending).limit(limit).all().map(Self.decode)
        }
    }

    /// What `verify()` found.
    public struct Verification: Sendable, Equatable {
        public var entriesChecked: Int
        /// One sentence per problem, naming the sequence number.
        public var problems: [String]
        public var isIntact: Bool { problems.isEmpty }
    }

    /// Walks the whole chain and reports every edited, reordered or deleted entry.
    public func verify(progress: @Sendable (Int) -> Void = { _ in }) async throws -> Verification {
        try await database.withSQL { sql in
            let rows = try await sql.select().columns("*").from("audit_log").orderBy("sequence").all()
            let head = try await sql.select().columns("sequence", "hash").from("audit_head").where("id", .equal, 1).first()
            var problems: [String] = []
            var expectedPrevious = Self.genesis
            var expectedSequence = 1
            for (index, row) in rows.enumerated() {
                let stored = try Self.decode(row)
                let storedHash = try row.decode(column: "hash", as: String.self)
                let storedPrevious = try row.decode(column: "previous_hash", as: String.self)
                if stored.sequence != expectedSequence {
                    problems.append("Entry \(expectedSequence)\(stored.sequence > expectedSequence + 1 ? "–\(stored.sequence - 1)" : "") is missing (deleted).")
                }
                if storedPrevious != expectedPrevious {
                    problems.append("Entry \(stored.sequence) does not follow the entry before it (an entry was deleted, inserted or reordered).")
                }
                let recomputed = Self.chain(previous: storedPrevious, sequence: stored.sequence, entry: stored.entry, key: keys.auditKey)
                if recomputed != storedHash {
                    problems.append("Entry \(stored.sequence) was edited: its content no longer matches its hash.")
                }
                expectedPrevious = storedHash
                expectedSequence = stored.sequence + 1
                if index % 1000 == 999 { progress(index + 1) }
            }
            let headSequence = try head?.decode(column: "sequence", as: Int.self) ?? 0
            let headHash = try head?.decode(column: "hash", as: String.self) ?? Self.genesis
            if headSequence != expectedSequence - 1 || headHash != expectedPrevious {
                problems.append("The newest entries after \(expectedSequence - 1) are missing: the log's head records entry \(headSequence).")
            }
            progress(rows.count)
            return Verification(entriesChecked: rows.count, problems: problems)
        }
    }

    static let genesis = String(repeating: "0", count: 64)
    static let lockKey = 7_311_023

    static func chain(previous: String, sequence: Int, entry: AuditEntry, key: SymmetricKey) -> String {
        // Fields joined with a separator that cannot occur in them (unit separator, escaped if present).
        let fields: [String] = [
            previous, String(sequence), String(format: "%.6f", entry.at.timeIntervalSince1970), entry.actor, entry.actingFor ?? "",
            entry.action, entry.target ?? "", entry.channel.rawValue, entry.outcome, entry.detail ?? "",
        ].map { $0.replacingOccurrences(of: "\u{1F}", with: "\u{1F}\u{1F}") }
        let mac = HMAC<SHA256>.authenticationCode(for: Data(fields.joined(separator: "\u{1F}").utf8), using: key)
        return Hex.string(mac)
    }

    static func decode(_ row: any SQLRow) throws -> StoredEntry {
        guard let channel = Channel(rawValue: try row.decode(column: "channel", as: String.self)) else {
            throw StoreError.corruptRow(table: "audit_log", id: "\(try row.decode(column: "sequence", as: Int.self))")
        }
        return StoredEntry(
            sequence: try row.decode(column: "sequence", as: Int.self),
            entry: AuditEntry(
                at: Date(timeIntervalSince1970: try row.decode(column: "at", as: Double.self)),
                actor: try row.decode(column: "actor", as: String.self),
                actingFor: try row.decode(column: "acting_for", as: String?.self),
                action: try row.decode(column: "action", as: String.self),
                target: try row.decode(column: "target", as: String?.self),
                channel: channel,
                outcome: try row.decode(column: "outcome", as: String.self),
                detail: try row.decode(column: "detail", as: String?.self)
            )
        )
    }
}
