import AnyDoorCore
import AnyDoorStore
import AsyncHTTPClient
import Foundation
import Logging
import NIOCore
import NIOHTTP1
import ServiceLifecycle

/// Delivers the webhook outbox (REFERENCE.md section 4). Each pass claims due events with a lease, posts
/// each signed with a fresh timestamp (the id stays the same on every retry), records the outcome through
/// `DeliveryPolicy`, and logs the exchange in the message log. Redirects are not followed (3xx is a failure).
/// Any number of processes may run this on one PostgreSQL: claims skip rows another process holds.
struct WebhookDeliveryService: Service {
    let outbox: WebhookOutbox
    let log: MessageLog
    let client: HTTPClient
    let logger: Logger
    var policy: DeliveryPolicy = .standard
    /// How often to look for due events when the last pass found none.
    var interval: Duration = .milliseconds(500)
    var timeout: TimeAmount = .seconds(10)
    /// One client for the process, like `HTTPClient.shared`, but never following redirects: a 3xx is a failed
    /// delivery (Standard Webhooks).
    static let httpClient = HTTPClient(eventLoopGroupProvider: .singleton, configuration: .init(redirectConfiguration: .disallow))

    let worker = "node-" + UUID().uuidString.lowercased().prefix(8)

    func run() async throws {
        // Graceful shutdown cancels the loop; an event being posted then stays claimed until its lease ends.
        try? await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                let delivered = (try? await pass()) ?? 0
                if delivered == 0 { try await Task.sleep(for: interval) }
            }
        }
    }

    /// One pass: claim and deliver what is due; the number of events attempted.
    @discardableResult
    func pass(now: @escaping @Sendable () -> Date = { Date() }) async throws -> Int {
        let events = try await outbox.claim(worker: worker, limit: 20, lease: 60, now: now())
        // Events of one request go one after another, in order; different requests at once.
        let byRequest = Dictionary(grouping: events, by: { "\($0.endpointID)|\($0.requestID)" })
        await withTaskGroup(of: Void.self) { group in
            for (_, sequence) in byRequest {
                group.addTask {
                    for event in sequence.sorted(by: { $0.requestSeq < $1.requestSeq }) {
                        guard await deliver(event, now: now) else { break } // a later event must not overtake one that failed
                    }
                }
            }
        }
        return events.count
    }

    /// Posts one event; whether it was delivered.
    func deliver(_ event: OutboxEvent, now: @Sendable () -> Date) async -> Bool {
        let sentAt = now()
        let timestamp = Int(sentAt.timeIntervalSince1970)
        let body = Data(event.payload.utf8)
        var status: Int?
        var retryAfter: String?
        var failure: String?
        var responseBody = Data()
        do {
            var request = HTTPClientRequest(url: event.url)
            request.method = .POST
            request.headers.add(name: "content-type", value: "application/json")
            request.headers.add(name: "webhook-id", value: event.id)
            request.headers.add(name: "webhook-timestamp", value: String(timestamp))
            request.headers.add(name: "webhook-signature", value: try StandardWebhooks.sign(secret: event.secret, id: event.id, timestamp: timestamp, body: body))
            request.body = .bytes(ByteBuffer(data: body))
            let response = try await client.execute(request, timeout: timeout)
            status = Int(response.status.code)
            retryAfter = response.headers.first(name: "retry-after")
            responseBody = Data(buffer: try await response.body.collect(upTo: 64 * 1024))
            if !(200..<300).contains(Int(response.status.code)) { failure = "HTTP \(response.status.code)" }
        } catch {
            failure = String(describing: type(of: error))
        }
        let outcome = policy.outcome(attempt: event.attempts + 1, status: status, retryAfter: retryAfter, now: now())
        do {
            try await outbox.record(event, worker: worker, outcome: outcome, status: status, error: failure, at: now())
            try await log.append(at: sentAt, clientID: nil, direction: "out", method: "POST", target: Self.loggedTarget(event.url), messageID: event.id,
                                 request: body, status: status, response: responseBody)
        } catch {
            logger.error("webhook outcome not recorded", metadata: ["event": "\(event.id)", "error": "\(type(of: error))"])
        }
        if outcome != .delivered {
            logger.info("webhook not delivered", metadata: ["event": "\(event.id)", "status": "\(status.map(String.init) ?? "none")", "outcome": "\(outcome)"])
        }
        return outcome == .delivered
    }

    /// The receiver's address without query or credentials (never log what might carry a secret).
    static func loggedTarget(_ url: String) -> String {
        guard var components = URLComponents(string: url) else { return "(invalid url)" }
        components.query = nil
        components.user = nil
        components.password = nil
        return components.string ?? "(invalid url)"
    }
}
