import AnyDoorCore
import Foundation
import SQLKit

/// API clients (ministry systems). A key is `adk_<prefix>_<secret>`: the prefix finds the row, the
/// secret's SHA-256 is compared (the secret has 128 random bits, so a fast hash is enough).
public struct SQLAPIClients: Sendable {
    let database: Database

    public init(database: Database) {
        self.database = database
    }

    public struct Client: Sendable, Equatable {
        public let id: APIClientID
        public let name: String
        public let ministry: MinistryID
        public let services: [String]
        public let keyPrefix: String
        public let keyHash: String
        public let createdAt: Date
        public let rotatedAt: Date?
        public let revokedAt: Date?

        public init(id: APIClientID, name: String, ministry: MinistryID, services: [String], keyPrefix: String, keyHash: String, createdAt: Date, rotatedAt: Date? = nil, revokedAt: Date? = nil) {
            self.id = id
            self.name = name
            self.ministry = ministry
            self.services = services
            self.keyPrefix = keyPrefix
            self.keyHash = keyHash
            self.createdAt = createdAt
            self.rotatedAt = rotatedAt
            self.revokedAt = revokedAt
        }
    }

    public func insert(_ client: Client, on sql: any SQLDatabase) async throws {
        try await sql.insert(into: "api_clients").columns("id", "name", "ministry_id", "services", "key_prefix", "key_hash", "created_at")
            .values(SQLBind(client.id.description), SQLBind(client.name), SQLBind(client.ministry.description), SQLBind(client.services.joined(separator: ",")),
                    SQLBind(client.keyPrefix), SQLBind(client.keyHash), SQLBind(client.createdAt.timeIntervalSince1970)).run()
    }

    public func find(prefix: String) async throws -> Client? {
        try await database.withSQL { sql in
            try await sql.select().columns("*").from("api_clients").where("key_prefix", .equal, prefix).first().map(Self.decode)
        }
    }

    public func find(_ id: APIClientID) async throws -> Client? {
        try await database.withSQL { sql in
            try await sql.select().columns("*").from("api_clients").where("id", .equal, id.description).first().map(Self.decode)
        }
    }

    public func all() async throws -> [Client] {
        try await database.withSQL { sql in
            try await sql.select().columns("*").from("api_clients").orderBy("created_at").all().map(Self.decode)
        }
    }

    /// Replaces the key: the old one stops working at once.
    public func replaceKey(_ id: APIClientID, prefix: String, hash: String, at time: Date, on sql: any SQLDatabase) async throws {
        try await sql.update("api_clients").set("key_prefix", to: prefix).set("key_hash", to: hash).set("rotated_at", to: time.timeIntervalSince1970)
            .where("id", .equal, id.description).run()
    }

    public func revoke(_ id: APIClientID, at time: Date, on sql: any SQLDatabase) async throws {
        try await sql.update("api_clients").set("revoked_at", to: time.timeIntervalSince1970).where("id", .equal, id.description).run()
    }

    static func decode(_ row: any SQLRow) throws -> Client {
        let rawID = try row.decode(column: "id", as: String.self)
        guard let id = APIClientID(rawID), let ministry = MinistryID(try row.decode(column: "ministry_id", as: String.self)) else {
            throw StoreError.corruptRow(table: "api_clients", id: rawID)
        }
        return Client(id: id, name: try row.decode(column: "name", as: String.self), ministry: ministry,
                      services: try row.decode(column: "services", as: String.self).split(separator: ",").map(String.init),
                      keyPrefix: try row.decode(column: "key_prefix", as: String.self), keyHash: try row.decode(column: "key_hash", as: String.self),
                      createdAt: Date(timeIntervalSince1970: try row.decode(column: "created_at", as: Double.self)),
                      rotatedAt: try row.decode(column: "rotated_at", as: Double?.self).map(Date.init(timeIntervalSince1970:)),
                      revokedAt: try row.decode(column: "revoked_at", as: Double?.self).map(Date.init(timeIntervalSince1970:)))
    }
}
