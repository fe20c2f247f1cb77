import AnyDoorCore
import Crypto
import Foundation
import SQLKit

/// The append-only log of every message exchanged with ministry systems (REFERENCE.md section 4): each
/// entry holds SHA-256 digests of the request and the response, and a hash over those, its own fields and
/// the previous entry's hash, so the response is bound to its request and any edit, deletion or
/// reordering breaks the chain (`verify`). Triggers refuse UPDATE and DELETE on both databases.
public struct MessageLog: Sendable {
    let database: Database

    public init(database: Database) {
        self.database = database
    }

    public struct Entry: Sendable, Equatable {
        public var seq: Int
        public var at: Date
        public var clientID: String?
        /// `in` (a ministry system called AnyDoor) or `out` (AnyDoor delivered a webhook).
        public var direction: String
        public var method: String
        /// The route template or the receiver's URL; never a query string.
        public var target: String
        public var messageID: String?
        public var requestSHA256: String
        public var responseStatus: Int?
        public var responseSHA256: String
        public var previousHash: String
        public var entryHash: String
    }

    static let genesis = String(repeating: "0", count: 64)
    static let lockKey = 0x6D73_676C_6F67

    public static func digest(_ data: Data) -> String {
        Hex.string(SHA256.hash(data: data))
    }

    static func chain(previous: String, at: Date, clientID: String?, direction: String, method: String, target: String, messageID: String?,
                      request: String, status: Int?, response: String) -> String {
        let fields = [previous, String(format: "%.6f", at.timeIntervalSince1970), clientID ?? "", direction, method, target, messageID ?? "",
                      request, status.map(String.init) ?? "", response]
        return digest(Data(fields.joined(separator: "\u{1F}").utf8))
    }

    /// Appends one exchange in its own transaction.
    public func append(at: Date, clientID: String?, direction: String, method: String, target: String, messageID: String? = nil,
                       request: Data, status: Int?, response: Data) async throws {
        try await database.transaction { sql in
            if database.flavour == .postgres { try await sql.raw("SELECT pg_advisory_xact_lock(\(bind: Self.lockKey))").run() }
            let last = try await sql.raw("SELECT entry_hash FROM message_log ORDER BY seq DESC LIMIT 1").first()
            let previous = try last?.decode(column: "entry_hash", as: String.self) ?? Self.genesis
            let requestHash = Self.digest(request), responseHash = Self.digest(response)
            let hash = Self.chain(previous: previous, at: at, clientID: clientID, direction: direction, method: method, target: target,
                                  messageID: messageID, request: requestHash, status: status, response: responseHash)
            try await sql.insert(into: "message_log")
                .columns("at", "client_id", "direction", "method", "target", "message_id", "request_sha256", "response_status", "response_sha256", "previous_hash", "entry_hash")
                .values(SQLBind(at.timeIntervalSince1970), SQLBind(clientID), SQLBind(direction), SQLBind(method), SQLBind(target), SQLBind(messageID),
                        SQLBind(requestHash), SQLBind(status), SQLBind(responseHash), SQLBind(previous), SQLBind(hash))
                .run()
        }
    }

    public func entries(after seq: Int = 0, limit: Int = 1000) async throws -> [Entry] {
        try await database.withSQL { sql in
            try await sql.select().columns("seq", "at", "client_id", "direction", "method", "target", "message_id", "request_sha256", "response_status",
                                           "response_sha256", "previous_hash", "entry_hash")
                .from("message_log").where("seq", .greaterThan, seq).orderBy("seq").limit(limit).all().map { row in
                    Entry(seq: try row.decode(column: "seq", as: Int.self), at: Date(timeIntervalSince1970: try row.decode(column: "at", as: Double.self)),
                          clientID: try row.decode(column: "client_id", as: String?.self), direction: try row.decode(column: "direction", as: String.self),
                          method: try row.decode(column: "method", as: String.self), target: try row.decode(column: "target", as: String.self),
                          messageID: try row.decode(column: "message_id", as: String?.self),
                          requestSHA256: try row.decode(column: "request_sha256", as: String.self),
                          responseStatus: try row.decode(column: "response_status", as: Int?.self),
                          responseSHA256: try row.decode(column: "response_sha256", as: String.self),
                          previousHash: try row.decode(column: "previous_hash", as: String.self), entryHash: try row.decode(column: "entry_hash", as: String.self))
                }
        }
    }

    /// Walks the whole chain; the first entry whose link or hash does not hold, or `nil` when all do.
    public func verify() async throws -> Int? {
        var previous = Self.genesis
        var after = 0
        while true {
            let batch = try await entries(after: after)
            if batch.isEmpty { return nil }
            for entry in batch {
                let expected = Self.chain(previous: previous, at: entry.at, clientID: entry.clientID, direction: entry.direction, method: entry.method,
                                          target: entry.target, messageID: entry.messageID, request: entry.requestSHA256, status: entry.responseStatus,
                                          response: entry.responseSHA256)
                if entry.previousHash != previous || entry.entryHash != expected { return entry.seq }
                previous = entry.entryHash
                after = entry.seq
            }
        }
    }
}
