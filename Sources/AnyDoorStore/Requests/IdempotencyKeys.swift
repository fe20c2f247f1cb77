import AnyDoorCore
import Foundation
import SQLKit

/// `Idempotency-Key` for ministry systems' writes (REFERENCE.md section 4): the first request with a key
/// runs and its result is kept; a replay with the same payload gets the kept result; the same key with a
/// different payload is refused (422); a duplicate arriving while the first still runs is refused (409).
public struct IdempotencyKeys: Sendable {
    let database: Database

    public init(database: Database) {
        self.database = database
    }

    public enum Start: Sendable, Equatable {
        case proceed
        case replay(status: Int, body: String)
        case differentPayload
        case inFlight
    }

    /// Keys are kept this long (a day, as Stripe and the IETF draft suggest).
    public static let lifetime: TimeInterval = 86400

    public func start(client: String, key: String, requestHash: String, at time: Date) async throws -> Start {
        try await database.transaction { sql in
            try await sql.delete(from: "idempotency_keys").where("created_at", .lessThan, time.timeIntervalSince1970 - Self.lifetime).run()
            if let row = try await sql.select().columns("request_sha256", "state", "status", "response_body").from("idempotency_keys")
                .where("client_id", .equal, client).where("key", .equal, key).first() {
                if try row.decode(column: "request_sha256", as: String.self) != requestHash { return .differentPayload }
                if try row.decode(column: "state", as: String.self) != "done" { return .inFlight }
                return .replay(status: try row.decode(column: "status", as: Int.self), body: try row.decode(column: "response_body", as: String.self))
            }
            try await sql.insert(into: "idempotency_keys").columns("client_id", "key", "request_sha256", "state", "created_at")
                .values(SQLBind(client), SQLBind(key), SQLBind(requestHash), SQLBind("in-flight"), SQLBind(time.timeIntervalSince1970)).run()
            return .proceed
        }
    }

    /// Keeps the result for replays.
    public func finish(client: String, key: String, status: Int, body: String) async throws {
        try await database.withSQL { sql in
            try await sql.update("idempotency_keys").set("state", to: "done").set("status", to: status).set("response_body", to: body)
                .where("client_id", .equal, client).where("key", .equal, key).run()
        }
    }

    /// Forgets a key whose request failed unexpectedly, so the client can retry it.
    public func abandon(client: String, key: String) async throws {
        try await database.withSQL { sql in
            try await sql.delete(from: "idempotency_keys").where("client_id", .equal, client).where("key", .equal, key).where("state", .equal, "in-flight").run()
        }
    }
}
