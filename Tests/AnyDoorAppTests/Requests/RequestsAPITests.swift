@testable import AnyDoorApp
import AnyDoorCore
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

@Suite struct RequestsAPITests {
    /// Opens a request through Open311 with the demo key (allowed every service) and returns its id.
    func openRequest(_ client: any TestClientProtocol) async throws -> String {
        let reference = try await client.execute(uri: "/open311/v2/requests.json", method: .post, headers: .form, body: ByteBuffer(string: Open311RequestsTests.validPost)) { response in
            let items = try #require(try JSONSerialization.jsonObject(with: Data(buffer: response.body)) as? [[String: Any]])
            return try #require(items.first?["service_request_id"] as? String)
        }
        return try await client.execute(uri: "/api/v1/requests?service=order-birth-certificate", method: .get, headers: [.authorization: "Bearer \(demoAPIKey)"]) { response in
            let items = try #require(try response.json()["items"] as? [[String: Any]])
            return try #require(items.first { $0["reference"] as? String == reference }?["id"] as? String)
        }
    }

    @Test func aMinistrySystemMovesARequestIdempotently() async throws {
        try await withRequestsApp { client in
            let id = try await openRequest(client)
            var headers: HTTPFields = [.authorization: "Bearer \(demoAPIKey)", .contentType: "application/json"]
            // No key: refused, nothing changes.
            try await client.execute(uri: "/api/v1/requests/\(id)/transitions", method: .post, headers: headers, body: .json(#"{"step":"receive"}"#)) { response in
                #expect(response.status == .badRequest)
                #expect(response.text.contains("idempotency-key-required"))
            }
            headers[.init("Idempotency-Key")!] = "k-1"
            let first = try await client.execute(uri: "/api/v1/requests/\(id)/transitions", method: .post, headers: headers, body: .json(#"{"step":"receive"}"#)) { response in
                #expect(response.status == .ok)
                let body = try response.json()
                #expect(body["status"] as? String == "received")
                return response.text
            }
            // A replay gets the stored answer and changes nothing.
            try await client.execute(uri: "/api/v1/requests/\(id)/transitions", method: .post, headers: headers, body: .json(#"{"step":"receive"}"#)) { response in
                #expect(response.status == .ok)
                #expect(response.headers[.init("Idempotent-Replayed")!] == "true")
                #expect(response.text == first)
            }
            // The same key with another payload: 422.
            try await client.execute(uri: "/api/v1/requests/\(id)/transitions", method: .post, headers: headers, body: .json(#"{"step":"start"}"#)) { response in
                #expect(response.status == .unprocessableContent)
            }
            headers[.init("Idempotency-Key")!] = "k-2"
            try await client.execute(uri: "/api/v1/requests/\(id)/information-requests", method: .post, headers: headers, body: .json(#"{"question":"Which hospital?"}"#)) { response in
                let body = try response.json()
                #expect(body["status"] as? String == "waiting-for-person")
                #expect(body["status_note"] as? String == "Which hospital?")
            }
            headers[.init("Idempotency-Key")!] = "k-3"
            try await client.execute(uri: "/api/v1/requests/\(id)/transitions", method: .post, headers: headers, body: .json(#"{"step":"approve"}"#)) { response in
                #expect(response.status == .conflict) // waiting for the person: not decidable, and a decision needs a reason anyway
            }
            headers[.init("Idempotency-Key")!] = "k-4"
            try await client.execute(uri: "/api/v1/requests/\(id)/messages", method: .post, headers: headers, body: .json(#"{"body":""}"#)) { response in
                #expect(response.status == .badRequest)
                #expect(response.text.contains("\"field\":\"body\""))
            }
            try await client.execute(uri: "/api/v1/requests/\(id)", method: .get, headers: headers) { response in
                let timeline = try #require(try response.json()["timeline"] as? [[String: Any]])
                #expect(timeline.compactMap { $0["step"] as? String } == ["submit", "receive", "request-information"])
                #expect(timeline.first?["channel"] as? String == "api")
            }
            // Someone else's request, or none: the same 404.
            try await client.execute(uri: "/api/v1/requests/\(UUID().uuidString.lowercased())", method: .get, headers: headers) { #expect($0.status == .notFound) }
            try await client.execute(uri: "/api/v1/requests/\(id)", method: .get) { #expect($0.status == .unauthorized) }
            try await client.execute(uri: "/api/v1/requests/\(id)", method: .get, headers: .admin) { #expect($0.status == .forbidden) }
        }
    }

    @Test func administratorsRegisterReceiversAndListEvents() async throws {
        try await withRequestsApp { client in
            let clientID = try await client.execute(uri: "/api/v1/clients", method: .get, headers: .admin) { response in
                let items = try #require(try response.json()["items"] as? [[String: Any]])
                return try #require(items.first { $0["name"] as? String == DemoOpen311Client.name }?["id"] as? String)
            }
            try await client.execute(uri: "/api/v1/clients/\(clientID)/webhooks", method: .post, headers: .admin, body: .json(#"{"url":"ftp://example.ca/x"}"#)) { response in
                #expect(response.status == .badRequest)
                #expect(response.text.contains("\"field\":\"url\""))
            }
            try await client.execute(uri: "/api/v1/clients/\(clientID)/webhooks", method: .post, headers: .admin, body: .json(#"{"url":"http://127.0.0.1:9/hooks"}"#)) { response in
                #expect(response.status == .created)
                let body = try response.json()
                #expect((body["secret"] as? String)?.hasPrefix("whsec_") == true)
            }
            try await client.execute(uri: "/api/v1/clients/\(clientID)/webhooks", method: .get, headers: .admin) { response in
                let items = try #require(try response.json()["items"] as? [[String: Any]])
                #expect(items.count == 1 && items.first?["secret"] == nil) // shown once only
            }
            _ = try await openRequest(client)
            try await client.execute(uri: "/api/v1/webhooks/events?state=pending", method: .get, headers: .admin) { response in
                let items = try #require(try response.json()["items"] as? [[String: Any]])
                #expect(items.first?["type"] as? String == "request.created")
            }
            try await client.execute(uri: "/api/v1/webhooks/events?state=lost", method: .get, headers: .admin) { #expect($0.status == .badRequest) }
            try await client.execute(uri: "/api/v1/webhooks/events/msg_nope/replay", method: .post, headers: .admin) { #expect($0.status == .notFound) }
            try await client.execute(uri: "/api/v1/clients/\(clientID)/webhooks", method: .get) { #expect($0.status == .unauthorized) }
        }
    }
}
