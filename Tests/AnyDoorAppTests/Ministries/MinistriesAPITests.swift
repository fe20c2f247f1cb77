@testable import AnyDoorApp
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

@Suite struct MinistriesAPITests {
    static let newMinistry = #"{"code":"DEMO","names":{"en":"Ministry of Demonstrations","fr":"Ministère des Démonstrations"},"contact":{"email":"demo@gov.bc.ca"}}"#

    func ministryCount(_ client: any TestClientProtocol) async throws -> Int {
        try await client.execute(uri: "/api/v1/ministries", method: .get) { response in
            try #require((try response.json()["items"] as? [Any])?.count)
        }
    }

    @Test func theDemoListsTheProvincesMinistriesByCode() async throws {
        try await TestApp.run { client in
            try await client.execute(uri: "/api/v1/ministries", method: .get) { response in
                #expect(response.status == .ok)
                #expect(response.headers[.contentType] == "application/json")
                let items = try #require(try response.json()["items"] as? [[String: Any]])
                #expect(items.count == 25)
                #expect(items.first?["code"] as? String == "AG")
                let citz = try #require(items.first { $0["code"] as? String == "CITZ" })
                #expect((citz["names"] as? [String: String])?["en"] == "Ministry of Citizens' Services")
            }
        }
    }

    @Test func anAdministratorCreatesAMinistryThatCanThenBeReadByItsLocation() async throws {
        try await TestApp.run { client in
            let location = try await client.execute(uri: "/api/v1/ministries", method: .post, headers: .admin, body: .json(Self.newMinistry)) { response in
                #expect(response.status == .created)
                let body = try response.json()
                #expect(body["code"] as? String == "DEMO")
                return try #require(response.headers[.location])
            }
            try await client.execute(uri: location, method: .get) { response in
                #expect(response.status == .ok)
                let body = try response.json()
                #expect((body["names"] as? [String: String])?["fr"] == "Ministère des Démonstrations")
                #expect((body["contact"] as? [String: Any])?["email"] as? String == "demo@gov.bc.ca")
            }
        }
    }

    @Test func writingWithoutTheAdministratorTokenIsRefusedAndChangesNothing() async throws {
        try await TestApp.run { client in
            for headers: HTTPFields in [.json, [.contentType: "application/json", .authorization: "Bearer wrong-token-wrong-token"]] {
                try await client.execute(uri: "/api/v1/ministries", method: .post, headers: headers, body: .json(Self.newMinistry)) { response in
                    #expect(response.status == .unauthorized)
                    #expect(response.headers[.contentType] == "application/problem+json")
                    #expect(response.headers[.wwwAuthenticate]?.hasPrefix("Bearer") == true)
                }
            }
            #expect(try await ministryCount(client) == 25)
        }
    }

    /// The Foundation issue's list: each bad input gets its specific status and message, and changes nothing.
    @Test(arguments: [
        ("malformed JSON", #"{"code": "X""#, "application/json", 400, "malformed-json", nil),
        ("wrong content type", Self.newMinistry, "text/plain", 415, "unsupported-media-type", nil),
        ("form body to the API", "code=DEMO", "application/x-www-form-urlencoded", 415, "unsupported-media-type", nil),
        ("oversize body", #"{"code":"BIG","names":{"en":""# + String(repeating: "x", count: 5000) + #""}}"#, "application/json", 413, "too-large", nil),
        ("duplicate code", #"{"code":"CITZ","names":{"en":"Another Citizens' Services"}}"#, "application/json", 409, "duplicate", "code"),
        ("missing required field", #"{"code":"NEW"}"#, "application/json", 422, "validation", "names.en"),
        ("invalid code", #"{"code":"lower","names":{"en":"Lower"}}"#, "application/json", 422, "validation", "code"),
        ("wrong type", #"{"code":12,"names":{"en":"Numbers"}}"#, "application/json", 400, "invalid-field", "code"),
        ("not an object", #"["DEMO"]"#, "application/json", 400, "invalid-field", nil),
    ] as [(String, String, String, Int, String, String?)])
    func badInputGetsASpecificProblemAndChangesNothing(_ label: String, _ body: String, _ contentType: String, _ status: Int, _ slug: String, _ field: String?) async throws {
        try await TestApp.run { client in
            var headers = HTTPFields.admin
            headers[.contentType] = contentType
            try await client.execute(uri: "/api/v1/ministries", method: .post, headers: headers, body: ByteBuffer(string: body)) { response in
                #expect(response.status.code == status, "\(label)")
                #expect(response.headers[.contentType] == "application/problem+json", "\(label)")
                let problem = try response.json()
                #expect(problem["type"] as? String == "https://anydoor.gov.bc.ca/problems/\(slug)", "\(label)")
                #expect(problem["status"] as? Int == status)
                #expect((problem["detail"] as? String)?.isEmpty == false)
                #expect((problem["request_id"] as? String) == response.headers[.xRequestID])
                if let field {
                    let fields = (problem["errors"] as? [[String: Any]])?.compactMap { $0["field"] as? String }
                    #expect(fields?.contains(field) == true, "\(label): \(String(describing: fields))")
                }
            }
            #expect(try await ministryCount(client) == 25, "\(label) changed the data")
        }
    }

    @Test func anInvalidIdIsABadRequestAndAnUnknownIdIsNotFound() async throws {
        try await TestApp.run { client in
            try await client.execute(uri: "/api/v1/ministries/not-a-uuid", method: .get) { response in
                #expect(response.status == .badRequest)
                let body = try response.json()
                #expect(body["type"] as? String == "https://anydoor.gov.bc.ca/problems/invalid-id")
            }
            try await client.execute(uri: "/api/v1/ministries/\(UUID().uuidString)", method: .get) { response in
                #expect(response.status == .notFound)
                #expect(response.headers[.contentType] == "application/problem+json")
            }
        }
    }

    @Test func patchChangesOnlyTheMembersGivenAndRejectsATakenCode() async throws {
        try await TestApp.run { client in
            let id = try await client.execute(uri: "/api/v1/ministries", method: .post, headers: .admin, body: .json(Self.newMinistry)) { response in
                try #require(try response.json()["id"] as? String)
            }
            try await client.execute(uri: "/api/v1/ministries/\(id)", method: .patch, headers: .admin, body: .json(#"{"names":{"ko":"시연부"},"contact":{"email":""}}"#)) { response in
                #expect(response.status == .ok)
                let body = try response.json()
                let names = try #require(body["names"] as? [String: String])
                #expect(names == ["en": "Ministry of Demonstrations", "fr": "Ministère des Démonstrations", "ko": "시연부"])
                #expect((body["contact"] as? [String: Any])?["email"] == nil)
            }
            try await client.execute(uri: "/api/v1/ministries/\(id)", method: .patch, headers: .admin, body: .json(#"{"code":"FIN"}"#)) { response in
                #expect(response.status == .conflict)
            }
            try await client.execute(uri: "/api/v1/ministries/\(id)", method: .get) { response in
                let body = try response.json()
                #expect(body["code"] as? String == "DEMO")
            }
        }
    }
}

@Suite struct RestartTests {
    @Test func dataWrittenBeforeARestartIsThereAfterItAndDemoDataIsNotLoadedTwice() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("anydoor-restart-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let id = try await TestApp.run(dataDirectory: folder) { client in
            try await client.execute(uri: "/api/v1/ministries", method: .post, headers: .admin, body: .json(MinistriesAPITests.newMinistry)) { response in
                try #require(try response.json()["id"] as? String)
            }
        }
        #expect(FileManager.default.fileExists(atPath: folder.appendingPathComponent("anydoor.sqlite").path))
        try await TestApp.run(dataDirectory: folder) { client in
            try await client.execute(uri: "/api/v1/ministries/\(id)", method: .get) { response in
                #expect(response.status == .ok)
            }
            try await client.execute(uri: "/api/v1/ministries", method: .get) { response in
                let items = try response.json()["items"] as? [Any]
                #expect(items?.count == 26)
            }
        }
    }
}

@Suite struct MinistryListCachingTests {
    @Test func aWriteIsVisibleInTheListAtOnceAndAnUnchangedListAnswers304() async throws {
        try await TestApp.run { client in
            let etag = try await client.execute(uri: "/api/v1/ministries", method: .get) { response in
                try #require(response.headers[.eTag])
            }
            try await client.execute(uri: "/api/v1/ministries", method: .get, headers: [.ifNoneMatch: etag]) { response in
                #expect(response.status == .notModified)
                #expect(response.body.readableBytes == 0)
            }
            try await client.execute(uri: "/api/v1/ministries", method: .post, headers: .admin, body: .json(MinistriesAPITests.newMinistry)) { _ in }
            try await client.execute(uri: "/api/v1/ministries", method: .get, headers: [.ifNoneMatch: etag]) { response in
                #expect(response.status == .ok)
                let items = try response.json()["items"] as? [Any]
                #expect(items?.count == 26)
                #expect(response.headers[.eTag] != etag)
            }
        }
    }
}
