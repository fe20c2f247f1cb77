@testable import AnyDoorApp
import AnyDoorCore
import AnyDoorStore
import AsyncHTTPClient
import Foundation
import Hummingbird
import Logging
import NIOCore
import SQLKit
import Testing

@Suite struct StandardWebhooksTests {
    @Test func theSpecificationsTestVectorVerifies() throws {
        let secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
        let body = Data(#"{"test": 2432232314}"#.utf8)
        let signature = try StandardWebhooks.sign(secret: secret, id: "msg_p5jXN8AQM9LWM0D4loKWxJek", timestamp: 1614265330, body: body)
        #expect(signature == "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=")
        let now = Date(timeIntervalSince1970: 1614265330 + 60)
        try StandardWebhooks.verify(secret: secret, id: "msg_p5jXN8AQM9LWM0D4loKWxJek", timestamp: "1614265330",
                                    signatures: "v1,bm9wZQ== " + signature, body: body, now: now)
        #expect(throws: StandardWebhooks.Failure.noMatchingSignature) {
            try StandardWebhooks.verify(secret: secret, id: "msg_p5jXN8AQM9LWM0D4loKWxJek", timestamp: "1614265330", signatures: signature,
                                        body: Data(#"{"test": 2432232315}"#.utf8), now: now)
        }
        #expect(throws: StandardWebhooks.Failure.timestampOutOfTolerance) {
            try StandardWebhooks.verify(secret: secret, id: "msg_p5jXN8AQM9LWM0D4loKWxJek", timestamp: "1614265330", signatures: signature,
                                        body: body, now: Date(timeIntervalSince1970: 1614265330 + 301))
        }
    }
}

/// A ministry system's webhook receiver on loopback, answering from a script, verifying every signature.
actor Receiver {
    struct Delivery: Sendable { let id: String; let type: String; let requestID: String; let sequence: Int; let verified: Bool }
    enum Answer: Sendable { case status(Int), slowDown(Int, retryAfter: String) }

    var script: [Answer] = []
    var otherwise: Answer = .status(204)
    var delivered: [Delivery] = []
    var calls = 0
    let secret: @Sendable () async -> String
    let now: @Sendable () -> Date

    init(secret: @escaping @Sendable () async -> String, now: @escaping @Sendable () -> Date = { Date() }) {
        self.secret = secret
        self.now = now
    }

    func setScript(_ answers: [Answer], otherwise: Answer = .status(204)) { script = answers; self.otherwise = otherwise }

    func receive(id: String?, timestamp: String?, signature: String?, body: Data) async -> (Int, String?) {
        calls += 1
        let answer = script.isEmpty ? otherwise : script.removeFirst()
        let secret = await secret()
        let verified = (try? StandardWebhooks.verify(secret: secret, id: id, timestamp: timestamp, signatures: signature, body: body, now: now())) != nil
        switch answer {
        case .status(let code) where (200..<300).contains(code):
            if let object = try? JSONSerialization.jsonObject(with: body) as? [String: Any], let data = object["data"] as? [String: Any] {
                delivered.append(Delivery(id: id ?? "", type: object["type"] as? String ?? "", requestID: data["id"] as? String ?? "",
                                          sequence: data["sequence"] as? Int ?? -1, verified: verified))
            }
            return (code, nil)
        case .status(let code): return (code, nil)
        case .slowDown(let code, let after): return (code, after)
        }
    }
}

final class Box<Value: Sendable>: @unchecked Sendable {
    private let lock = NSLock()
    private var value: Value
    init(_ value: Value) { self.value = value }
    func get() -> Value { lock.withLock { value } }
    func set(_ newValue: Value) { lock.withLock { value = newValue } }
}

/// Starts `receiver` on 127.0.0.1 at `port` (0: any), runs `body` with the port, stops the server.
func withReceiver<Result: Sendable>(_ receiver: Receiver, port: Int = 0, _ body: @Sendable (Int) async throws -> Result) async throws -> Result {
    let router = Router()
    router.post("/hooks") { request, _ -> Response in
        var request = request
        let data = Data(buffer: try await request.collectBody(upTo: 1 << 20))
        let (status, retryAfter) = await receiver.receive(id: request.headers[.init("webhook-id")!], timestamp: request.headers[.init("webhook-timestamp")!],
                                                          signature: request.headers[.init("webhook-signature")!], body: data)
        var headers = HTTPFields()
        if let retryAfter { headers[.retryAfter] = retryAfter }
        return Response(status: .init(code: status), headers: headers)
    }
    let bound = Box<Int?>(nil)
    var logger = Logger(label: "receiver")
    logger.logLevel = .error
    let app = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: port)),
                          onServerRunning: { channel in bound.set(channel.localAddress?.port) }, logger: logger)
    let server = Task { try await app.runService(gracefulShutdownSignals: []) }
    defer { server.cancel() }
    for _ in 0..<200 where bound.get() == nil { try await Task.sleep(for: .milliseconds(10)) }
    let result = try await body(try #require(bound.get()))
    server.cancel()
    _ = await server.result
    return result
}

/// A store with one ministry, one API client allowed `order-birth-certificate`, one webhook endpoint at `url`.
struct WebhookFixture: Sendable {
    let database: Database
    let requests: SQLRequests
    let outbox: WebhookOutbox
    let log: MessageLog
    let endpoint: WebhookEndpoint
    let service: ServiceDescription

    static let keys = try! KeyRing(dataKeys: [("k1", Data(repeating: 1, count: 32))], indexKey: Data(repeating: 9, count: 32))

    static func make(database: Database, url: String, at time: Date) async throws -> WebhookFixture {
        try await Migrator(database: database, logger: Logger(label: "test")).migrate()
        let ministries = MinistryService(repository: SQLMinistryRepository(database: database), environment: .live)
        let ministry = try await ministries.create(MinistryInput(code: "CITZ", names: ["en": "Citizens' Services"]))
        let client = SQLAPIClients.Client(id: APIClientID(rawValue: UUID()), name: "Vital statistics system", ministry: ministry.id,
                                          services: ["order-birth-certificate"], keyPrefix: "p" + UUID().uuidString.prefix(8), keyHash: "00", createdAt: time)
        try await database.transaction { sql in try await SQLAPIClients(database: database).insert(client, on: sql) }
        let outbox = WebhookOutbox(database: database, keys: keys)
        let endpoint = try await outbox.register(client: client.id, url: url, actor: "admin-token", at: time)
        var service = ServiceDescription(code: "order-birth-certificate", title: LocalizedText([.english: "Order a birth certificate"]),
                                         description: LocalizedText([.english: "Order one."]), ministry: "CITZ", programArea: "Vital Statistics")
        service.processingTime = "P2W"
        service.fields = [FormField(code: "copies", datatype: .number, required: true, label: LocalizedText([.english: "Copies"]))]
        return WebhookFixture(database: database, requests: SQLRequests(database: database, keys: keys), outbox: outbox, log: MessageLog(database: database),
                              endpoint: endpoint, service: service)
    }

    func openRequest(at time: Date) async throws -> ServiceRequest {
        try await requests.open(OpenRequest(service: service, personID: nil, language: .english, channel: .phone, party: .frontline, actor: "staff:agent",
                                            answers: RequestAnswers(["copies": ["1"]])), at: time)
    }

    func service(clock: TestClock, policy: DeliveryPolicy = .standard) -> WebhookDeliveryService {
        var logger = Logger(label: "delivery")
        logger.logLevel = .critical
        return WebhookDeliveryService(outbox: outbox, log: log, client: WebhookDeliveryService.httpClient,
                                      logger: logger, policy: policy, timeout: .seconds(2))
    }
}

extension TestClock {
    func advance(by seconds: Double) { advance(minutes: seconds / 60) }
}

enum DeliveryDatabase: String, CaseIterable, Sendable {
    case sqlite, postgres
    static let postgresURL = ProcessInfo.processInfo.environment["ANYDOOR_TEST_POSTGRES_URL"].flatMap { $0.isEmpty ? nil : $0 }
    static var available: [DeliveryDatabase] { postgresURL == nil ? [.sqlite] : [.sqlite, .postgres] }

    func withFresh<Result: Sendable>(_ body: (Database) async throws -> Result) async throws -> Result {
        var logger = Logger(label: "test")
        logger.logLevel = .error
        switch self {
        case .sqlite:
            let folder = FileManager.default.temporaryDirectory.appendingPathComponent("anydoor-hooks-\(UUID().uuidString)")
            defer { try? FileManager.default.removeItem(at: folder) }
            let database = try Database(location: .sqliteFile(path: folder.appendingPathComponent("anydoor.sqlite").path), logger: logger)
            do { let result = try await body(database); await database.shutdown(); return result } catch { await database.shutdown(); throw error }
        case .postgres:
            let base = try #require(Self.postgresURL)
            let name = "anydoor_h_\(UUID().uuidString.replacingOccurrences(of: "-", with: "").prefix(16).lowercased())"
            let admin = try Database(location: .postgres(url: base), logger: logger)
            try await admin.withSQL { try await $0.raw(SQLQueryString("CREATE DATABASE \(unsafeRaw: name)")).run() }
            var components = try #require(URLComponents(string: base))
            components.path = "/\(name)"
            let database = try Database(location: .postgres(url: components.string!), logger: logger)
            func cleanUp() async {
                await database.shutdown()
                try? await admin.withSQL { try await $0.raw(SQLQueryString("DROP DATABASE IF EXISTS \(unsafeRaw: name) WITH (FORCE)")).run() }
                await admin.shutdown()
            }
            do { let result = try await body(database); await cleanUp(); return result } catch { await cleanUp(); throw error }
        }
    }
}

@Suite(.serialized) struct WebhookDeliveryTests {
    /// A free loopback port with nothing listening (the receiver is "down").
    static func closedPort() throws -> Int {
        let socket = try #require(try? ServerSocketProbe.freePort())
        return socket
    }

    @Test(arguments: DeliveryDatabase.available)
    func everyEventArrivesInOrderThroughOutagesErrorsAndSlowDowns(_ kind: DeliveryDatabase) async throws {
        try await kind.withFresh { database in
            let clock = TestClock(Date())
            let port = try Self.closedPort()
            let fixture = try await WebhookFixture.make(database: database, url: "http://127.0.0.1:\(port)/hooks", at: clock.now)
            let receiver = Receiver(secret: { fixture.endpoint.secret }, now: { clock.now })
            let delivery = fixture.service(clock: clock)
            let request = try await fixture.openRequest(at: clock.now)
            let actor = RequestActor(party: .ministry, channel: .api, name: "client:x")
            try await fixture.requests.transition(request.id, .receive, by: actor, note: nil, at: clock.now)
            try await fixture.requests.addMessage(request.id, body: "We have your request.", by: actor, at: clock.now)
            // Down: nothing listens. Only the first event is tried (the others wait behind it).
            #expect(try await delivery.pass(now: { clock.now }) == 1)
            let waiting = try await fixture.outbox.events(state: "pending")
            #expect(waiting.count == 3)
            let first = try #require(waiting.first { $0.requestSeq == 2 })
            #expect(first.attempts == 1 && first.lastStatus == nil)
            try await withReceiver(receiver, port: port) { _ in
                await receiver.setScript([.status(500), .slowDown(429, retryAfter: "120"), .status(302)])
                clock.advance(by: 7)
                #expect(try await delivery.pass(now: { clock.now }) == 1) // 500
                clock.advance(by: 400)
                #expect(try await delivery.pass(now: { clock.now }) == 1) // 429, Retry-After 120 (beats the 30-minute schedule? no: the schedule is longer)
                let slowed = try #require(try await fixture.outbox.events(state: "pending").first { $0.requestSeq == 2 })
                #expect(slowed.lastStatus == 429)
                #expect(slowed.nextAttemptAt.timeIntervalSince(clock.now) >= 120)
                clock.advance(by: 1800 * 1.2 + 1)
                #expect(try await delivery.pass(now: { clock.now }) == 1) // 302: a redirect is a failure
                clock.advance(by: 7200 * 1.2 + 1)
                for _ in 0..<3 { try await delivery.pass(now: { clock.now }) }
            }
            let delivered = await receiver.delivered
            #expect(delivered.map(\.sequence) == [2, 3, 4])
            #expect(delivered.map(\.type) == ["request.created", "request.status-changed", "request.message-added"])
            #expect(delivered.allSatisfy { $0.verified })
            #expect(delivered.first?.id == first.id) // the id never changes across retries
            #expect(await receiver.calls == 6)
            #expect(try await fixture.outbox.events(state: "delivered").count == 3)
            // Every attempt is in the message log, and the chain holds.
            #expect(try await fixture.log.entries().filter { $0.direction == "out" }.count == 7)
            #expect(try await fixture.log.verify() == nil)
        }
    }

    @Test(arguments: DeliveryDatabase.available)
    func goneDisablesTheEndpointAndExhaustedEventsAreDeadLetteredThenReplayed(_ kind: DeliveryDatabase) async throws {
        try await kind.withFresh { database in
            let clock = TestClock(Date())
            let receiver = Receiver(secret: { "" })
            try await withReceiver(receiver) { port in
                let fixture = try await WebhookFixture.make(database: database, url: "http://127.0.0.1:\(port)/hooks", at: clock.now)
                let quick = DeliveryPolicy(delays: [1], jitter: 0, maximumRetryAfter: 60)
                let delivery = fixture.service(clock: clock, policy: quick)
                _ = try await fixture.openRequest(at: clock.now)
                await receiver.setScript([.status(500), .status(503)])
                try await delivery.pass(now: { clock.now })
                clock.advance(by: 2)
                try await delivery.pass(now: { clock.now })
                let dead = try await fixture.outbox.events(state: "dead")
                #expect(dead.count == 1 && dead.first?.attempts == 2 && dead.first?.lastStatus == 503)
                try await fixture.outbox.replay(try #require(dead.first?.id), actor: "admin-token", at: clock.now)
                await receiver.setScript([.status(410)])
                try await delivery.pass(now: { clock.now })
                #expect(try await fixture.outbox.endpoints().first?.enabled == false)
                _ = try await fixture.openRequest(at: clock.now)
                clock.advance(by: 60)
                #expect(try await delivery.pass(now: { clock.now }) == 0) // a disabled endpoint gets nothing
                #expect(await receiver.calls == 3)
                try await fixture.outbox.enable(fixture.endpoint.id, actor: "admin-token", at: clock.now)
                try await delivery.pass(now: { clock.now })
                #expect(try await fixture.outbox.events(state: "delivered").count == 1) // the replayed event; the later one waits behind... no: different requests
            }
        }
    }

    @Test(arguments: DeliveryDatabase.available)
    func twoWorkersDeliverEachEventExactlyOnceAndACrashedClaimIsTakenOverAfterItsLease(_ kind: DeliveryDatabase) async throws {
        try await kind.withFresh { database in
            let clock = TestClock(Date())
            let receiver = Receiver(secret: { "" })
            try await withReceiver(receiver) { port in
                let fixture = try await WebhookFixture.make(database: database, url: "http://127.0.0.1:\(port)/hooks", at: clock.now)
                for _ in 0..<30 { _ = try await fixture.openRequest(at: clock.now) }
                // A process claims five events and dies before posting them.
                let crashed = try await fixture.outbox.claim(worker: "crashed", limit: 5, lease: 60, now: clock.now)
                #expect(crashed.count == 5)
                // Two processes on PostgreSQL: each its own connection pool and worker name, on the same database.
                // (SQLite is one process's embedded database: there the two workers share its pool.)
                let second = kind == .postgres ? try Database(location: database.location, logger: Logger(label: "second")) : database
                let secondOutbox = WebhookOutbox(database: second, keys: WebhookFixture.keys)
                var quiet = Logger(label: "delivery")
                quiet.logLevel = .critical
                let one = fixture.service(clock: clock)
                let two = WebhookDeliveryService(outbox: secondOutbox, log: MessageLog(database: second), client: WebhookDeliveryService.httpClient, logger: quiet, timeout: .seconds(2))
                async let a: Void = { for _ in 0..<6 { try await one.pass(now: { clock.now }) } }()
                async let b: Void = { for _ in 0..<6 { try await two.pass(now: { clock.now }) } }()
                _ = try await (a, b)
                #expect(await receiver.delivered.count == 25)
                clock.advance(by: 61) // the lease runs out
                try await one.pass(now: { clock.now })
                let delivered = await receiver.delivered
                #expect(delivered.count == 30)
                #expect(Set(delivered.map(\.id)).count == 30) // nothing twice
                #expect(try await fixture.outbox.events(state: "pending").isEmpty)
                if kind == .postgres { await second.shutdown() }
            }
        }
    }
}

/// Finds a loopback port nothing listens on (bind to 0, read the port, close).
enum ServerSocketProbe {
    static func freePort() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw POSIXError(.EIO) }
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = 0
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) } }
        guard bound == 0 else { throw POSIXError(.EADDRINUSE) }
        let named = withUnsafeMutablePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) } }
        guard named == 0 else { throw POSIXError(.EIO) }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}
