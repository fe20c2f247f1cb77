@testable import AnyDoorApp
import AnyDoorCore
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

@Suite struct ProfileTests {
    @Test func aNewAddressGoesToTheChosenMinistryWhichAcknowledgesItAndFormsArePrefilled() async throws {
        let clock = TestClock()
        try await withRequestsApp(clock: clock) { client in
            // The demo Open311 client belongs to Citizens' Services (CITZ); give it a webhook receiver.
            let clientID = try await client.execute(uri: "/api/v1/clients", method: .get, headers: .admin) { response in
                let items = try #require(try response.json()["items"] as? [[String: Any]])
                return try #require(items.first { $0["name"] as? String == DemoOpen311Client.name }?["id"] as? String)
            }
            try await client.execute(uri: "/api/v1/clients/\(clientID)/webhooks", method: .post, headers: .admin, body: .json(#"{"url":"http://127.0.0.1:9/hooks"}"#)) {
                #expect($0.status == .created)
            }
            let ada = Browser(client)
            try await ada.register(email: "ada.profile@example.ca")
            _ = try await ada.enableTOTP(clock: { clock.now })
            try await ada.get("/account/consents")
            try await ada.post("/account/consents", ["ministry": "CITZ"])
            try await ada.get("/account/profile")
            let refused = try await ada.post("/account/profile", ["street": "1 Main St", "city": "", "postalCode": "", "dateOfBirth": "", "phone": "", "interpreter": "", "accessibility": ""])
            #expect(refused.status == .unprocessableContent)
            #expect(refused.html.contains("#field-address"))
            let saved = try await ada.post("/account/profile", ["street": "501 Belleville St", "city": "Victoria", "postalCode": "v8v1x4", "dateOfBirth": "1985-04-12",
                                                                "phone": "", "interpreter": "pa", "accessibility": ""])
            #expect(saved.status == .ok)
            #expect(saved.html.contains("Your new address was sent to 1 ministry you chose."))
            #expect(saved.html.contains("not yet confirmed"))
            // The ministry's system got the event, and acknowledges it.
            let changeID = try await client.execute(uri: "/api/v1/webhooks/events?state=pending", method: .get, headers: .admin) { response in
                let items = try #require(try response.json()["items"] as? [[String: Any]])
                let event = try #require(items.first { $0["type"] as? String == "person.address-changed" })
                return try #require((event["request_id"] as? String)?.replacingOccurrences(of: "address-change:", with: ""))
            }
            let key: HTTPFields = [.authorization: "Bearer \(demoAPIKey)", .contentType: "application/json"]
            try await client.execute(uri: "/api/v1/address-changes/nope/acknowledge", method: .post, headers: key) { #expect($0.status == .notFound) }
            try await client.execute(uri: "/api/v1/address-changes/\(changeID)/acknowledge", method: .post, headers: .json) { #expect($0.status == .unauthorized) }
            try await client.execute(uri: "/api/v1/address-changes/\(changeID)/acknowledge", method: .post, headers: key) { #expect($0.status == .noContent) }
            let after = try await ada.get("/account/profile")
            #expect(after.html.contains("received on"))
            #expect(after.html.contains("V8V 1X4"))
            // Saving the same address again sends nothing more.
            let again = try await ada.post("/account/profile", ["street": "501 Belleville St", "city": "Victoria", "postalCode": "V8V 1X4", "dateOfBirth": "1985-04-12",
                                                                "phone": "", "interpreter": "pa", "accessibility": ""])
            #expect(!again.html.contains("was sent to"))
            // Forms fill in what she told us once.
            let form = try await ada.get("/services/get-workbc-employment-services/request")
            #expect(form.html.contains(#"value="Victoria""#))
        }
    }
}
