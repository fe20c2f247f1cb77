@testable import AnyDoorApp
import AnyDoorCore
import AnyDoorStore
import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import SQLKit
import Testing

/// A GC Notify-compatible server on loopback that records what it is sent.
actor FakeNotify {
    struct Sent: Sendable { let path: String; let authorization: String; let body: [String: String]; let personalisation: [String: String] }
    var sent: [Sent] = []

    func record(path: String, authorization: String, json: Data) -> String {
        let object = (try? JSONSerialization.jsonObject(with: json) as? [String: Any]) ?? [:]
        var flat: [String: String] = [:]
        for (key, value) in object { if let text = value as? String { flat[key] = text } }
        sent.append(Sent(path: path, authorization: authorization, body: flat, personalisation: object["personalisation"] as? [String: String] ?? [:]))
        return UUID().uuidString.lowercased()
    }
}

func withFakeNotify<Result: Sendable>(_ notify: FakeNotify, _ body: @Sendable (Int) async throws -> Result) async throws -> Result {
    let router = Router()
    router.post("/v2/notifications/{kind}") { request, context -> Response in
        var request = request
        let data = Data(buffer: try await request.collectBody(upTo: 1 << 20))
        let id = await notify.record(path: request.uri.path, authorization: request.headers[.authorization] ?? "", json: data)
        return Response(status: .created, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(string: #"{"id":"\#(id)"}"#)))
    }
    let bound = Box<Int?>(nil)
    var logger = Logger(label: "notify")
    logger.logLevel = .error
    let app = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)), onServerRunning: { bound.set($0.localAddress?.port) }, logger: logger)
    let server = Task { try await app.runService(gracefulShutdownSignals: []) }
    defer { server.cancel() }
    for _ in 0..<200 where bound.get() == nil { try await Task.sleep(for: .milliseconds(10)) }
    let result = try await body(try #require(bound.get()))
    server.cancel()
    _ = await server.result
    return result
}

@Suite struct NotificationTests {
    @Test func aPersonsChoicesAreCheckedAndARequestIsAnnouncedThroughNotifyInTheirLanguage() async throws {
        let notify = FakeNotify()
        try await withFakeNotify(notify) { port in
            let clock = TestClock()
            try await TestApp.run({
                $0.seedDemoCatalogue = true
                $0.notify = NotifySettings(baseURL: "http://127.0.0.1:\(port)", apiKey: "test-notify-key", emailTemplate: "tpl-email", smsTemplate: "tpl-sms")
                $0.notifyCallbackToken = "notify-callback-token-0123"
            }, clock: clock) { client in
                let ada = Browser(client)
                try await ada.register(email: "ada.notify@example.ca")
                _ = try await ada.enableTOTP(clock: { clock.now })
                try await ada.get("/account/notifications")
                let bad = try await ada.post("/account/notifications", ["email": "on", "sms": "on", "phone": "555"])
                #expect(bad.status == .unprocessableContent)
                #expect(bad.html.contains("#field-phone"))
                let none = try await ada.post("/account/notifications", ["sms": "on", "phone": ""])
                #expect(none.status == .unprocessableContent)
                let saved = try await ada.post("/account/notifications", ["email": "on", "sms": "on", "phone": "250 555 0123"])
                #expect(saved.status == .ok)
                #expect(saved.html.contains("+12505550123"))
                try await ada.get("/services/get-workbc-employment-services/request?lang=fr")
                let sent = try await ada.post("/services/get-workbc-employment-services/request?lang=fr",
                                              ["answers.employment-status": "laid-off", "answers.help-needed": "resume", "answers.community": "Nelson"])
                #expect(sent.status == .seeOther || sent.status == .found)
                for _ in 0..<100 where await notify.sent.count < 2 { try await Task.sleep(for: .milliseconds(100)) }
                let messages = await notify.sent
                #expect(messages.map(\.path).sorted() == ["/v2/notifications/email", "/v2/notifications/sms"])
                #expect(messages.allSatisfy { $0.authorization == "ApiKey-v1 test-notify-key" })
                let email = try #require(messages.first { $0.path.hasSuffix("email") })
                let sms = try #require(messages.first { $0.path.hasSuffix("sms") })
                #expect(email.body["email_address"] == "ada.notify@example.ca" && email.body["template_id"] == "tpl-email")
                #expect(sms.body["phone_number"] == "+12505550123" && sms.body["template_id"] == "tpl-sms")
                // The reference is our notification id: never personal data.
                for message in messages { #expect(UUID(uuidString: message.body["reference"] ?? "") != nil) }
                // Written in French, the language the person used.
                #expect(email.personalisation["subject"]?.contains("demande") == true, "\(email.personalisation)")
                #expect(email.personalisation["body"]?.contains("/my/requests/") == true)
                // Receipts: only with the token, only forward.
                let reference = try #require(email.body["reference"])
                try await client.execute(uri: "/api/v1/notifications/receipts", method: .post, headers: .json, body: .json(#"{"reference":"\#(reference)","status":"delivered"}"#)) {
                    #expect($0.status == .unauthorized)
                }
                var headers = HTTPFields.json
                headers[.authorization] = "Bearer notify-callback-token-0123"
                try await client.execute(uri: "/api/v1/notifications/receipts", method: .post, headers: headers, body: .json(#"{"reference":"\#(reference)","status":"delivered"}"#)) {
                    #expect($0.status == .noContent)
                }
                try await client.execute(uri: "/api/v1/notifications/receipts", method: .post, headers: headers, body: .json(#"{"reference":"\#(reference)","status":"lost"}"#)) {
                    #expect($0.status == .badRequest)
                }
                try await client.execute(uri: "/api/v1/notifications/receipts", method: .post, headers: headers, body: .json(#"{"reference":"nope","status":"delivered"}"#)) {
                    #expect($0.status == .notFound)
                }
            }
        }
    }

    @Test func receiptsNeverMoveAStatusBack() async throws {
        try await DeliveryDatabase.sqlite.withFresh { database in
            try await Migrator(database: database, logger: Logger(label: "test")).migrate()
            let keys = WebhookFixture.keys
            let store = SQLNotifications(database: database, keys: keys)
            try await database.withSQL { sql in
                try await sql.insert(into: "notifications")
                    .columns("id", "kind", "template", "language", "recipient_enc", "personalisation_enc", "reference", "status", "attempts", "next_attempt_at", "created_at", "updated_at")
                    .values(SQLBind("n1"), SQLBind("email"), SQLBind("submitted"), SQLBind("en"), SQLBind(try keys.seal("x@example.ca", context: "notifications.recipient")),
                            SQLBind(try keys.seal("{}", context: "notifications.personalisation")), SQLBind("n1"), SQLBind("sending"), SQLBind(1), SQLBind(0.0), SQLBind(0.0), SQLBind(0.0))
                    .run()
            }
            #expect(try await store.receipt(reference: "n1", status: .delivered, at: Date()))
            #expect(try await store.receipt(reference: "n1", status: .sending, at: Date()))
            #expect(try await store.find("n1")?.status == .delivered)
            #expect(try await store.receipt(reference: "n2", status: .delivered, at: Date()) == false)
        }
    }
}
