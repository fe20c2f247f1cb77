import AnyDoorCore
import Crypto
import Foundation
import SQLKit

/// A ministry system's webhook receiver. The secret (`whsec_<base64>`) is sealed at rest and shown once.
public struct WebhookEndpoint: Sendable, Equatable {
    public var id: String
    public var clientID: APIClientID
    public var url: String
    public var secret: String
    public var enabled: Bool
    public var disabledReason: String?
    public var createdAt: Date
}

/// One event waiting in, or taken from, the outbox.
public struct OutboxEvent: Sendable, Equatable {
    /// `msg_…`: the Standard Webhooks `webhook-id`, the same on every retry.
    public var id: String
    public var endpointID: String
    public var url: String
    public var secret: String
    public var requestID: String
    public var requestSeq: Int
    public var type: String
    public var payload: String
    public var state: String
    public var attempts: Int
    public var nextAttemptAt: Date
    public var lastStatus: Int?
    public var lastError: String?
    public var createdAt: Date
}

/// The transactional outbox of webhook events and its delivery bookkeeping. Events are written in the same
/// transaction as the change they announce (`enqueue`), claimed by delivery workers with a lease
/// (`FOR UPDATE SKIP LOCKED` on PostgreSQL, so several AnyDoor processes never take the same event), and
/// delivered in order per request and endpoint: an event waits while an earlier one for the same request
/// is still pending.
public struct WebhookOutbox: Sendable {
    let database: Database
    let keys: KeyRing
    let audit: SQLAuditLog

    public init(database: Database, keys: KeyRing) {
        self.database = database
        self.keys = keys
        self.audit = SQLAuditLog(database: database, keys: keys)
    }

    // MARK: Endpoints

    /// A new random signing secret in Standard Webhooks form (24 random bytes).
    public static func newSecret() -> String {
        "whsec_" + Data(SymmetricKey(size: .init(bitCount: 192)).withUnsafeBytes { Array($0) }).base64EncodedString()
    }

    /// Registers a receiver for a client. `url` must be absolute http(s) without credentials.
    public func register(client: APIClientID, url: String, actor: String, at time: Date) async throws -> WebhookEndpoint {
        guard let parsed = URL(string: url), let scheme = parsed.scheme?.lowercased(), ["http", "https"].contains(scheme), parsed.host != nil,
              parsed.user == nil, parsed.password == nil, parsed.fragment == nil, url.count <= 2000 else {
            throw RequestError.invalid([FieldError(field: "url", code: "invalidFormat", message: "url must be an absolute http or https address without credentials.")])
        }
        let endpoint = WebhookEndpoint(id: UUID().uuidString.lowercased(), clientID: client, url: url, secret: Self.newSecret(), enabled: true, createdAt: time)
        try await database.transaction { sql in
            try await sql.insert(into: "webhook_endpoints").columns("id", "client_id", "url", "secret_enc", "enabled", "created_at")
                .values(SQLBind(endpoint.id), SQLBind(client.description), SQLBind(url), SQLBind(try keys.seal(endpoint.secret, context: "webhooks.secret")),
                        SQLBind(1), SQLBind(time.timeIntervalSince1970)).run()
            try await audit.append(AuditEntry(at: time, actor: actor, action: "webhook.registered", target: "client:\(client)", channel: .api, detail: "endpoint:\(endpoint.id)"), on: sql)
        }
        return endpoint
    }

    public func endpoints(client: APIClientID? = nil) async throws -> [WebhookEndpoint] {
        try await database.withSQL { sql in
            let query = sql.select().columns("id", "client_id", "url", "secret_enc", "enabled", "disabled_reason", "created_at").from("webhook_endpoints")
            if let client { query.where("client_id", .equal, client.description) }
            return try await query.orderBy("created_at").all().map { row in
                WebhookEndpoint(id: try row.decode(column: "id", as: String.self),
                                clientID: APIClientID(try row.decode(column: "client_id", as: String.self))!,
                                url: try row.decode(column: "url", as: String.self),
                                secret: try keys.open(try row.decode(column: "secret_enc", as: String.self), context: "webhooks.secret"),
                                enabled: try row.decode(column: "enabled", as: Int.self) != 0,
                                disabledReason: try row.decode(column: "disabled_reason", as: String?.self),
                                createdAt: Date(timeIntervalSince1970: try row.decode(column: "created_at", as: Double.self)))
            }
        }
    }

    /// Turns a disabled endpoint back on (after the ministry fixed its receiver).
    public func enable(_ endpoint: String, actor: String, at time: Date) async throws {
        try await database.transaction { sql in
            try await sql.update("webhook_endpoints").set("enabled", to: 1).set("disabled_at", to: SQLLiteral.null).set("disabled_reason", to: SQLLiteral.null)
                .where("id", .equal, endpoint).run()
            try await audit.append(AuditEntry(at: time, actor: actor, action: "webhook.enabled", target: "endpoint:\(endpoint)", channel: .online), on: sql)
        }
    }

    // MARK: Writing events (inside the change's transaction)

    /// The event body Standard Webhooks receivers expect: `type`, `timestamp`, `data`.
    struct Payload: Encodable {
        struct Body: Encodable {
            var id, reference, service_code, status: String
            var sequence: Int
            var language, channel: String
            var answers: [String: [String]]
            var created_at, updated_at: String
            var description, due_at, note: String?
            /// The documents an `request.attachment-added` event announces.
            var attachments: [Attachment]?
        }
        struct Attachment: Encodable {
            var id, name, media_type, sha256, href: String
            var size: Int
        }
        var type: String
        var timestamp: String
        var data: Body
    }

    static func payload(type: String, request: ServiceRequest, seq: Int, note: String?, attachments: [RequestAttachment]? = nil, at time: Date) throws -> String {
        // RFC 3339 in UTC (`2026-11-27T22:11:15Z`), without building a formatter per event.
        let body = Payload(type: type, timestamp: time.ISO8601Format(), data: .init(
            id: request.id.description, reference: request.reference.description, service_code: request.serviceCode, status: request.status.rawValue,
            sequence: seq, language: request.language.rawValue, channel: request.openedChannel.rawValue, answers: request.answers.values,
            created_at: request.createdAt.ISO8601Format(), updated_at: request.updatedAt.ISO8601Format(),
            description: request.description, due_at: request.dueAt.map { $0.ISO8601Format() }, note: note,
            attachments: attachments?.map {
                .init(id: $0.id.description, name: $0.name, media_type: $0.kind.mediaType, sha256: $0.sha256,
                      href: "/api/v1/requests/\(request.id)/attachments/\($0.id)", size: $0.size)
            }))
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(body), as: UTF8.self)
    }

    /// Writes one event per enabled endpoint of every active client whose key names the request's service.
    static func enqueue(type: String, request: ServiceRequest, seq: Int, note: String?, attachments: [RequestAttachment]? = nil, keys: KeyRing, at time: Date,
                        on sql: any SQLDatabase) async throws {
        let targets = try await subscribers(on: sql)
        let endpoints = targets.filter { $0.services.contains(request.serviceCode) }.map(\.endpoint)
        guard !endpoints.isEmpty else { return }
        try await insert(type: type, payload: try payload(type: type, request: request, seq: seq, note: note, attachments: attachments, at: time), subject: request.id.description, seq: seq,
                         endpoints: endpoints, keys: keys, at: time, on: sql)
    }

    /// The same event for several requests (a group commit), the subscribers read once, the rows in one statement.
    /// Each request's `updatedAt` is the event's time.
    static func enqueue(type: String, requests: [(ServiceRequest, Int)], keys: KeyRing, on sql: any SQLDatabase) async throws {
        guard !requests.isEmpty else { return }
        let targets = try await subscribers(on: sql)
        guard !targets.isEmpty else { return }
        let insert = sql.insert(into: "webhook_outbox")
            .columns("id", "endpoint_id", "request_id", "request_seq", "event_type", "payload_enc", "state", "attempts", "next_attempt_at", "created_at")
        var rows = 0
        for (request, seq) in requests {
            let endpoints = targets.filter { $0.services.contains(request.serviceCode) }.map(\.endpoint)
            guard !endpoints.isEmpty else { continue }
            let time = request.updatedAt
            let sealed = try keys.seal(try payload(type: type, request: request, seq: seq, note: nil, at: time), context: "webhooks.payload")
            for endpoint in endpoints {
                insert.values(SQLBind(newMessageID()), SQLBind(endpoint), SQLBind(request.id.description), SQLBind(seq), SQLBind(type), SQLBind(sealed), SQLBind("pending"),
                              SQLBind(0), SQLBind(time.timeIntervalSince1970), SQLBind(time.timeIntervalSince1970))
                rows += 1
            }
        }
        if rows > 0 { try await insert.run() }
    }

    /// Enabled endpoints of active clients, with the services each client's key names.
    static func subscribers(on sql: any SQLDatabase) async throws -> [(endpoint: String, services: Set<String>)] {
        try await sql.raw("""
            SELECT e.id, c.services FROM webhook_endpoints e JOIN api_clients c ON c.id = e.client_id
            WHERE e.enabled = 1 AND c.revoked_at IS NULL
            """).all().map { (try $0.decode(column: "id", as: String.self), Set(try $0.decode(column: "services", as: String.self).split(separator: ",").map(String.init))) }
    }

    /// One pending event per endpoint, the payload sealed once, the rows in one statement.
    static func insert(type: String, payload: String, subject: String, seq: Int, endpoints: [String], keys: KeyRing, at time: Date, on sql: any SQLDatabase) async throws {
        guard !endpoints.isEmpty else { return }
        let sealed = try keys.seal(payload, context: "webhooks.payload")
        let insert = sql.insert(into: "webhook_outbox")
            .columns("id", "endpoint_id", "request_id", "request_seq", "event_type", "payload_enc", "state", "attempts", "next_attempt_at", "created_at")
        for endpoint in endpoints {
            insert.values(SQLBind(newMessageID()), SQLBind(endpoint), SQLBind(subject), SQLBind(seq), SQLBind(type), SQLBind(sealed), SQLBind("pending"),
                          SQLBind(0), SQLBind(time.timeIntervalSince1970), SQLBind(time.timeIntervalSince1970))
        }
        try await insert.run()
    }

    /// Writes one event per enabled endpoint of every active system of `ministry` (a "tell us once" change,
    /// which belongs to no request: `subject` takes the request's place for ordering).
    static func enqueue(toMinistry ministry: String, subject: String, payload: String, type: String, keys: KeyRing, at time: Date, on sql: any SQLDatabase) async throws {
        let endpoints = try await sql.raw("""
            SELECT e.id FROM webhook_endpoints e JOIN api_clients c ON c.id = e.client_id
            WHERE e.enabled = 1 AND c.revoked_at IS NULL AND c.ministry_id = \(bind: ministry)
            """).all().map { try $0.decode(column: "id", as: String.self) }
        guard !endpoints.isEmpty else { return }
        try await insert(type: type, payload: payload, subject: subject, seq: 1, endpoints: endpoints, keys: keys, at: time, on: sql)
    }

    /// `msg_` and 24 random base-62 characters (the Standard Webhooks examples' shape).
    static func newMessageID() -> String {
        let alphabet = Array("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz")
        return "msg_" + String((0..<24).map { _ in alphabet[Int.random(in: 0..<alphabet.count)] })
    }

    // MARK: Delivering

    static let eventColumns = "o.id, o.endpoint_id, e.url, e.secret_enc, o.request_id, o.request_seq, o.event_type, o.payload_enc, o.state, o.attempts, o.next_attempt_at, o.last_status, o.last_error, o.created_at"

    /// Claims up to `limit` due events for `worker` until `lease` seconds from now. An event is due when its
    /// time has come, its endpoint is enabled, no other worker holds it, and no earlier event of the same
    /// request to the same endpoint is still pending (order per request).
    public func claim(worker: String, limit: Int, lease: TimeInterval, now: Date) async throws -> [OutboxEvent] {
        try await database.transaction { sql in
            let skipLocked: SQLQueryString = database.flavour == .postgres ? " FOR UPDATE OF o SKIP LOCKED" : ""
            let candidates = try await sql.raw("""
                SELECT o.id FROM webhook_outbox o JOIN webhook_endpoints e ON e.id = o.endpoint_id
                WHERE o.state = 'pending' AND o.next_attempt_at <= \(bind: now.timeIntervalSince1970) AND e.enabled = 1
                  AND (o.claimed_until IS NULL OR o.claimed_until < \(bind: now.timeIntervalSince1970))
                  AND NOT EXISTS (SELECT 1 FROM webhook_outbox p WHERE p.endpoint_id = o.endpoint_id AND p.request_id = o.request_id
                                  AND p.state = 'pending' AND p.request_seq < o.request_seq)
                ORDER BY o.next_attempt_at, o.request_seq LIMIT \(unsafeRaw: String(limit))
                """ + skipLocked).all().map { try $0.decode(column: "id", as: String.self) }
            guard !candidates.isEmpty else { return [] }
            try await sql.update("webhook_outbox").set("claimed_by", to: worker).set("claimed_until", to: now.timeIntervalSince1970 + lease)
                .where("id", .in, candidates).run()
            return try await sql.raw("SELECT \(unsafeRaw: Self.eventColumns) FROM webhook_outbox o JOIN webhook_endpoints e ON e.id = o.endpoint_id WHERE o.id IN (\(binds: candidates)) ORDER BY o.request_seq")
                .all().map(decodeEvent)
        }
    }

    func decodeEvent(_ row: any SQLRow) throws -> OutboxEvent {
        OutboxEvent(id: try row.decode(column: "id", as: String.self), endpointID: try row.decode(column: "endpoint_id", as: String.self),
                    url: try row.decode(column: "url", as: String.self),
                    secret: try keys.open(try row.decode(column: "secret_enc", as: String.self), context: "webhooks.secret"),
                    requestID: try row.decode(column: "request_id", as: String.self), requestSeq: try row.decode(column: "request_seq", as: Int.self),
                    type: try row.decode(column: "event_type", as: String.self),
                    payload: try keys.open(try row.decode(column: "payload_enc", as: String.self), context: "webhooks.payload"),
                    state: try row.decode(column: "state", as: String.self), attempts: try row.decode(column: "attempts", as: Int.self),
                    nextAttemptAt: Date(timeIntervalSince1970: try row.decode(column: "next_attempt_at", as: Double.self)),
                    lastStatus: try row.decode(column: "last_status", as: Int?.self), lastError: try row.decode(column: "last_error", as: String?.self),
                    createdAt: Date(timeIntervalSince1970: try row.decode(column: "created_at", as: Double.self)))
    }

    /// Records what one attempt did, releasing the claim. Only the worker holding the claim may record.
    public func record(_ event: OutboxEvent, worker: String, outcome: DeliveryOutcome, status: Int?, error: String?, at time: Date) async throws {
        try await database.transaction { sql in
            let attempts = event.attempts + 1
            let update = sql.update("webhook_outbox").set("attempts", to: attempts).set("claimed_by", to: SQLLiteral.null).set("claimed_until", to: SQLLiteral.null)
                .set("last_status", to: status.map { SQLBind($0) } ?? SQLBind(Int?.none)).set("last_error", to: error.map { String($0.prefix(500)) })
            switch outcome {
            case .delivered:
                update.set("state", to: "delivered").set("delivered_at", to: time.timeIntervalSince1970)
            case .retry(let at):
                update.set("next_attempt_at", to: at.timeIntervalSince1970)
            case .deadLetter:
                update.set("state", to: "dead")
            case .disableEndpoint:
                // The event stays pending: it goes out once the endpoint is enabled again.
                update.set("next_attempt_at", to: time.timeIntervalSince1970)
            }
            try await update.where("id", .equal, event.id).where("claimed_by", .equal, worker).run()
            if outcome == .disableEndpoint {
                try await sql.update("webhook_endpoints").set("enabled", to: 0).set("disabled_at", to: time.timeIntervalSince1970)
                    .set("disabled_reason", to: "410 Gone").where("id", .equal, event.endpointID).run()
                try await audit.append(AuditEntry(at: time, actor: "system", action: "webhook.disabled", target: "endpoint:\(event.endpointID)", channel: .system, detail: "410 Gone"), on: sql)
            }
        }
    }

    /// Events by state (`pending`, `delivered`, `dead`), newest first.
    public func events(state: String? = nil, limit: Int = 200) async throws -> [OutboxEvent] {
        try await database.withSQL { sql in
            var query: SQLQueryString = "SELECT \(unsafeRaw: Self.eventColumns) FROM webhook_outbox o JOIN webhook_endpoints e ON e.id = o.endpoint_id"
            if let state { query += " WHERE o.state = \(bind: state)" }
            query += " ORDER BY o.created_at DESC, o.request_seq DESC LIMIT \(unsafeRaw: String(limit))"
            return try await sql.raw(query).all().map(decodeEvent)
        }
    }

    /// Puts a dead-lettered event back in the queue, due now, with its attempts counted afresh.
    public func replay(_ id: String, actor: String, at time: Date) async throws {
        try await database.transaction { sql in
            let row = try await sql.select().column("state").from("webhook_outbox").where("id", .equal, id).first()
            guard let state = try row?.decode(column: "state", as: String.self) else { throw RequestError.notFound }
            guard state == "dead" else {
                throw RequestError.invalid([FieldError(field: "id", code: "notDead", message: "Only dead-lettered events can be replayed.")])
            }
            try await sql.update("webhook_outbox").set("state", to: "pending").set("attempts", to: 0).set("next_attempt_at", to: time.timeIntervalSince1970)
                .where("id", .equal, id).run()
            try await audit.append(AuditEntry(at: time, actor: actor, action: "webhook.replayed", target: "event:\(id)", channel: .online), on: sql)
        }
    }
}
