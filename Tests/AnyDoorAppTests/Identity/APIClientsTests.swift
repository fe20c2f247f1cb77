@testable import AnyDoorApp
import AnyDoorCore
import AnyDoorStore
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

@Suite struct APIClientsTests {
    static let body = #"{"name":"MSP enrolment system","ministry_code":"HLTH","services":["msp-enrolment"]}"#

    @Test func aKeyIsShownOnceWorksScopedToItsServicesAndStopsAtRotationAndRevocation() async throws {
        try await TestApp.run { client in
            let (id, key) = try await client.execute(uri: "/api/v1/clients", method: .post, headers: .admin, body: .json(Self.body)) { response in
                #expect(response.status == .created)
                let json = try response.json()
                return (try #require(json["id"] as? String), try #require(json["key"] as? String))
            }
            #expect(key.hasPrefix("adk_"))
            // Never shown again, and not stored in clear.
            let list = try await client.execute(uri: "/api/v1/clients", method: .get, headers: .admin) { String(buffer: $0.body) }
            #expect(!list.contains(key))
            #expect(!list.contains(String(key.split(separator: "_").last!)))
            let me = try await client.execute(uri: "/api/v1/clients/me", method: .get, headers: [.authorization: "Bearer \(key)"]) { response in
                #expect(response.status == .ok)
                return try response.json()
            }
            #expect(me["services"] as? [String] == ["msp-enrolment"])
            // Access rights are per service, default deny.
            #expect(AccessPolicy.decide(.apiClient(APIClientID(id)!, services: ["msp-enrolment"]), .callService("msp-enrolment")) == .allow)
            #expect(AccessPolicy.decide(.apiClient(APIClientID(id)!, services: ["msp-enrolment"]), .callService("income-assistance")) == .deny)
            // A key cannot manage keys or ministries.
            #expect(try await client.execute(uri: "/api/v1/clients", method: .get, headers: [.authorization: "Bearer \(key)"]) { $0.status } == .forbidden)
            // Rotation: the old key stops at once, the new one works.
            let newKey = try await client.execute(uri: "/api/v1/clients/\(id)/rotate", method: .post, headers: .admin) { response in
                try #require(try response.json()["key"] as? String)
            }
            #expect(try await client.execute(uri: "/api/v1/clients/me", method: .get, headers: [.authorization: "Bearer \(key)"]) { $0.status } == .unauthorized)
            #expect(try await client.execute(uri: "/api/v1/clients/me", method: .get, headers: [.authorization: "Bearer \(newKey)"]) { $0.status } == .ok)
            // Revocation: stops at once.
            #expect(try await client.execute(uri: "/api/v1/clients/\(id)", method: .delete, headers: .admin) { $0.status } == .noContent)
            #expect(try await client.execute(uri: "/api/v1/clients/me", method: .get, headers: [.authorization: "Bearer \(newKey)"]) { $0.status } == .unauthorized)
        }
    }

    @Test(arguments: [
        (#"{"ministry_code":"HLTH","services":["a"]}"#, "name"),
        (#"{"name":"x","ministry_code":"NOPE","services":["a"]}"#, "ministry_code"),
        (#"{"name":"x","ministry_code":"HLTH","services":[]}"#, "services"),
        (#"{"name":"x","ministry_code":"HLTH","services":["no spaces"]}"#, "services"),
    ])
    func badRegistrationsNameTheFieldAndCreateNothing(_ body: String, _ field: String) async throws {
        try await TestApp.run { client in
            try await client.execute(uri: "/api/v1/clients", method: .post, headers: .admin, body: .json(body)) { response in
                #expect(response.status == .unprocessableContent)
                let errors = try response.json()["errors"] as? [[String: Any]]
                #expect(errors?.contains { $0["field"] as? String == field } == true)
            }
            let items = try await client.execute(uri: "/api/v1/clients", method: .get, headers: .admin) { try $0.json()["items"] as? [Any] }
            #expect(items?.isEmpty == true)
        }
    }

    @Test func refusedAdministrativeCallsAreAuditedToo() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("anydoor-clients-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        try await TestApp.run(dataDirectory: folder) { client in
            let status = try await client.execute(uri: "/api/v1/clients", method: .post, headers: .json, body: .json(Self.body)) { $0.status }
            #expect(status == .unauthorized)
        }
        let services = try AppServices.open(configuration: TestApp.configuration(dataDirectory: folder.path), logger: .init(label: "test"))
        let entries = try await SQLAuditLog(database: services.database, keys: services.keys).recent(limit: 10)
        await services.database.shutdown()
        #expect(entries.contains { $0.entry.action == "api-client.created" && $0.entry.outcome == "failure" && $0.entry.actor == "anonymous" })
    }
}
