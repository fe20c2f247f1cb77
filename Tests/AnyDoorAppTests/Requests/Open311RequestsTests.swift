@testable import AnyDoorApp
import AnyDoorCore
import Foundation
import FoundationXML
import Hummingbird
import HummingbirdTesting
import Testing

let demoAPIKey = "test-demo-open311-key-0123456789"

func withRequestsApp<Result: Sendable>(clock: TestClock = TestClock(), _ test: @Sendable (any TestClientProtocol) async throws -> Result) async throws -> Result {
    try await TestApp.run({ $0.seedDemoCatalogue = true; $0.demoAPIKey = demoAPIKey; $0.maxBodyBytes = 65536 }, clock: clock, test)
}

extension HTTPFields {
    static var form: HTTPFields { [.contentType: "application/x-www-form-urlencoded"] }
}

/// Reads `<service_requests><request>…</request></service_requests>` into the same shape as the JSON.
func open311XMLItems(_ text: String) throws -> [[String: String]] {
    #expect(text.hasPrefix(#"<?xml version="1.0" encoding="utf-8"?>"#))
    let document = try XMLDocument(xmlString: text)
    return try document.nodes(forXPath: "/*/*").map { node in
        var fields: [String: String] = [:]
        for child in node.children ?? [] { if let name = child.name { fields[name] = child.stringValue ?? "" } }
        return fields
    }
}

@Suite struct Open311RequestsTests {
    static let validPost = "api_key=\(demoAPIKey)&service_code=order-birth-certificate&address_string=1%20Main%20St%2C%20Victoria&lat=48.4284&long=-123.3656"
        + "&attribute%5Bname-on-record%5D=Ada%20Lovelace&attribute%5Bcertificate-type%5D=large&attribute%5Bcopies%5D=2&description=For%20a%20passport"

    @Test func aPostIsVisibleThroughGetWithTheSameFieldsInBothFormats() async throws {
        try await withRequestsApp { client in
            var id = ""
            var token = ""
            try await client.execute(uri: "/open311/v2/requests.json", method: .post, headers: .form, body: ByteBuffer(string: Self.validPost)) { response in
                #expect(response.status == .created)
                let items = try #require(try JSONSerialization.jsonObject(with: Data(buffer: response.body)) as? [[String: Any]])
                id = try #require(items.first?["service_request_id"] as? String)
                token = try #require(items.first?["token"] as? String)
                #expect(ReferenceNumber(id) != nil)
                #expect((items.first?["service_notice"] as? String)?.contains("2 weeks") == true)
            }
            var json: [String: Any] = [:]
            try await client.execute(uri: "/open311/v2/requests/\(id).json?api_key=\(demoAPIKey)", method: .get) { response in
                #expect(response.status == .ok)
                let items = try #require(try JSONSerialization.jsonObject(with: Data(buffer: response.body)) as? [[String: Any]])
                json = try #require(items.first)
            }
            #expect(json["service_request_id"] as? String == id)
            #expect(json["status"] as? String == "open")
            #expect(json["service_code"] as? String == "order-birth-certificate")
            #expect(json["description"] as? String == "For a passport")
            #expect(json["address"] as? String == "1 Main St, Victoria")
            #expect(json["lat"] as? Double == 48.4284)
            #expect(json["long"] as? Double == -123.3656)
            for field in ["requested_datetime", "updated_datetime", "expected_datetime"] {
                let text = try #require(json[field] as? String)
                #expect(ISO8601DateFormatter().date(from: text) != nil, "\(field) is not ISO 8601 with a zone")
            }
            for field in ["service_request_id", "status", "status_notes", "service_name", "service_code", "description", "agency_responsible", "service_notice",
                          "requested_datetime", "updated_datetime", "expected_datetime", "address", "address_id", "zipcode", "lat", "long", "media_url"] {
                #expect(json.keys.contains(field), "missing \(field)")
            }
            try await client.execute(uri: "/open311/v2/requests/\(id).xml?api_key=\(demoAPIKey)", method: .get) { response in
                #expect(response.headers[.contentType]?.hasPrefix("text/xml") == true)
                let xml = try #require(try open311XMLItems(response.text).first)
                for (key, value) in json {
                    switch value {
                    case let text as String: #expect(xml[key] == text, "\(key) differs")
                    case let number as Double: #expect(Double(xml[key] ?? "") == number, "\(key) differs")
                    case is NSNull: #expect(xml[key] == "", "\(key) differs")
                    default: Issue.record("unexpected type for \(key)")
                    }
                }
            }
            // The list and the token lead to the same request; without the key, nothing that identifies anyone.
            try await client.execute(uri: "/open311/v2/requests.json?service_code=order-birth-certificate&status=open", method: .get) { response in
                let items = try #require(try JSONSerialization.jsonObject(with: Data(buffer: response.body)) as? [[String: Any]])
                let item = try #require(items.first { $0["service_request_id"] as? String == id })
                #expect(item["description"] is NSNull)
                #expect(item["address"] is NSNull)
                #expect(item["lat"] is NSNull)
            }
            try await client.execute(uri: "/open311/v2/requests.json?service_request_id=\(id)&status=closed", method: .get) { response in
                let items = try #require(try JSONSerialization.jsonObject(with: Data(buffer: response.body)) as? [[String: Any]])
                #expect(items.count == 1) // the id list overrides every other filter
            }
            try await client.execute(uri: "/open311/v2/tokens/\(token).xml", method: .get) { response in
                let item = try open311XMLItems(response.text).first
                #expect(item?["service_request_id"] == id)
            }
        }
    }

    @Test func errorsFollowTheSpecificationInBothFormats() async throws {
        try await withRequestsApp { client in
            func expectError(_ method: HTTPRequest.Method, _ uri: String, body: String? = nil, _ status: HTTPResponse.Status, _ phrase: String) async throws {
                for format in ["json", "xml"] {
                    let target = uri.replacingOccurrences(of: "{fmt}", with: format)
                    try await client.execute(uri: target, method: method, headers: .form, body: body.map { ByteBuffer(string: $0) }) { response in
                        #expect(response.status == status, "\(target)")
                        if format == "json" {
                            let items = try #require(try JSONSerialization.jsonObject(with: Data(buffer: response.body)) as? [[String: Any]])
                            #expect(items.first?["code"] as? Int == Int(status.code))
                            #expect((items.first?["description"] as? String)?.contains(phrase) == true, "\(items)")
                        } else {
                            let item = try #require(try open311XMLItems(response.text).first)
                            #expect(item["code"] == String(status.code))
                            #expect(item["description"]?.contains(phrase) == true)
                        }
                    }
                }
            }
            let noKey = Self.validPost.replacingOccurrences(of: "api_key=\(demoAPIKey)&", with: "")
            try await expectError(.post, "/open311/v2/requests.{fmt}", body: noKey, .forbidden, "api_key is required")
            try await expectError(.post, "/open311/v2/requests.{fmt}", body: noKey + "&api_key=adk_nope_nope", .forbidden, "api_key is not valid")
            try await expectError(.post, "/open311/v2/requests.{fmt}", body: Self.validPost.replacingOccurrences(of: "order-birth-certificate", with: "no-such-service"), .notFound, "no-such-service")
            try await expectError(.post, "/open311/v2/requests.{fmt}", body: Self.validPost.replacingOccurrences(of: "&attribute%5Bcopies%5D=2", with: ""), .badRequest, "attribute[copies] is required")
            try await expectError(.post, "/open311/v2/requests.{fmt}", body: Self.validPost.replacingOccurrences(of: "&lat=48.4284&long=-123.3656", with: "&lat=48.4"), .badRequest, "lat and long go together")
            try await expectError(.get, "/open311/v2/requests/ZZZZ-ZZZZ-Z.{fmt}", .notFound, "ZZZZ-ZZZZ-Z")
            try await expectError(.get, "/open311/v2/requests.{fmt}?start_date=2026-01-01T00:00:00Z&end_date=2026-06-01T00:00:00Z", .badRequest, "90 days")
            try await expectError(.get, "/open311/v2/requests.{fmt}?status=pending", .badRequest, "open or closed")
            try await expectError(.get, "/open311/v2/tokens/nope.{fmt}", .notFound, "nope")
            // Nothing was stored by the refused POSTs.
            try await client.execute(uri: "/open311/v2/requests.json?api_key=\(demoAPIKey)", method: .get) { response in
                #expect(response.text == "[]")
            }
        }
    }
}
