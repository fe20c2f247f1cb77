@testable import AnyDoorApp
import AnyDoorCore
import AnyDoorStore
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

@Suite struct RecordsTests {
    static func staff(_ role: StaffRole, _ client: any TestClientProtocol, clock: TestClock) async throws -> Browser {
        let browser = Browser(client)
        let local = try #require(DemoStaff.members.first { $0.2 == role }).0
        try await browser.get("/staff/sign-in")
        try await browser.post("/staff/sign-in", ["email": DemoStaff.email(local), "password": DemoStaff.password])
        try await browser.get("/sign-in/code")
        let done = try await browser.post("/sign-in/code", ["code": OneTimeCodes.code(secret: DemoStaff.totpSecret(role), at: clock.now)])
        #expect(done.status == .seeOther || done.status == .found)
        return browser
    }

    static func personID(_ browser: Browser, email: String, staff: Browser) async throws -> String {
        try await staff.get("/staff/people")
        let found = try await staff.post("/staff/people/find", ["email": email])
        return try #require(found.location?.split(separator: "/").last.map(String.init))
    }

    @Test func aPersonSeesThatACounterAgentOpenedTheirRecordWhenAndWhyButNotWho() async throws {
        let clock = TestClock()
        try await TestApp.run(clock: clock) { client in
            let person = Browser(client)
            try await person.register(email: "looked.at@example.ca", name: "Looked At")
            _ = try await person.enableTOTP(clock: { clock.now })
            let counter = try await Self.staff(.counterAgent, client, clock: clock)
            let id = try await Self.personID(person, email: "looked.at@example.ca", staff: counter)
            // Without a purpose the record does not open: staff are asked why first, and nothing is logged.
            let ask = try await counter.get("/staff/people/\(id)")
            #expect(ask.html.contains("Why are you opening this record?"))
            #expect(try await person.get("/account/who-looked").html.contains("Nobody has opened your record."))
            let record = try await counter.get("/staff/people/\(id)?purpose=serving-in-person")
            #expect(record.status == .ok)
            #expect(record.html.contains("Looked At"))
            let seen = try await person.get("/account/who-looked")
            #expect(seen.html.contains("Service BC"))
            #expect(seen.html.contains("Serving the person at a counter"))
            #expect(!seen.html.contains("Casey Counter"))
        }
    }

    @Test func noPersonAndNoStaffOutsideServiceRolesCanOpenSomeoneElsesRecordById() async throws {
        let clock = TestClock()
        try await TestApp.run(clock: clock) { client in
            let victim = Browser(client)
            try await victim.register(email: "victim@example.ca", name: "Victim Person")
            let counter = try await Self.staff(.counterAgent, client, clock: clock)
            let id = try await Self.personID(victim, email: "victim@example.ca", staff: counter)
            let snoop = Browser(client)
            try await snoop.register(email: "snoop@example.ca")
            _ = try await snoop.enableTOTP(clock: { clock.now })
            let asPerson = try await snoop.get("/staff/people/\(id)?purpose=privacy-review")
            #expect(asPerson.status == .forbidden)
            #expect(!asPerson.html.contains("Victim Person"))
            let steward = try await Self.staff(.catalogueSteward, client, clock: clock)
            #expect(try await steward.get("/staff/people/\(id)?purpose=privacy-review").status == .forbidden)
            #expect(try await steward.get("/staff/people").status == .forbidden)
            // Nobody but the counter agent shows in the victim's access list.
            _ = try await victim.enableTOTP(clock: { clock.now })
            #expect(try await victim.get("/account/who-looked").html.contains("Nobody has opened your record."))
        }
    }

    @Test func anInPersonCheckWithAPassportRaisesTheIdentityLevelToThreeAndRecordsTheInterpreter() async throws {
        let clock = TestClock()
        try await TestApp.run(clock: clock) { client in
            let person = Browser(client)
            try await person.register(email: "proofed@example.ca", name: "Proofed Person")
            let counter = try await Self.staff(.counterAgent, client, clock: clock)
            let id = try await Self.personID(person, email: "proofed@example.ca", staff: counter)
            try await counter.get("/staff/people/\(id)?purpose=identity-verification")
            let missing = try await counter.post("/staff/people/\(id)/verifications", ["outcome": "verified", "office": ""])
            #expect(missing.status == .unprocessableContent)
            #expect(missing.html.contains("Select the documents the person showed."))
            #expect(missing.html.contains("Level 1"))
            let done = try await counter.send("/staff/people/\(id)/verifications", method: .post,
                body: "csrf_token=\(Browser.csrfToken(in: missing.html) ?? "")&evidence=passport&method=chip-read&outcome=verified&office=Victoria&interpreter=yes")
            #expect(done.status == .ok)
            #expect(done.html.contains("Level 3: confirmed in person"))
            #expect(done.html.contains("An interpreter was present"))
            #expect(try await person.get("/account").html.contains("Level 3"))
        }
    }

    @Test func aDaughterActingForHerFatherIsAllowedOnOneServiceRefusedOnAnotherAndStoppedAtOnceByRevocation() async throws {
        let clock = TestClock()
        try await TestApp.run(clock: clock) { client in
            let father = Browser(client)
            try await father.register(email: "father@example.ca", name: "Arjun Father")
            _ = try await father.enableTOTP(clock: { clock.now })
            let daughter = Browser(client)
            try await daughter.register(email: "daughter@example.ca", name: "Simran Daughter")
            _ = try await daughter.enableTOTP(clock: { clock.now })
            try await father.get("/account/representatives")
            let bad = try await father.post("/account/representatives", ["email": "nobody@example.ca", "relationship": "family-member", "services": "", "scope": "view", "starts": "2026-01-01", "ends": "2020-01-01"])
            #expect(bad.status == .unprocessableContent)
            #expect(bad.html.contains("There is no account with this email address."))
            let granted = try await father.post("/account/representatives", ["email": "daughter@example.ca", "relationship": "family-member", "services": "msp-enrolment",
                                                                              "scope": "act", "starts": "2026-01-01", "ends": "2027-12-31"])
            #expect(granted.status == .ok)
            let held = try await daughter.get("/account/representatives")
            #expect(held.html.contains("Arjun Father"))
            let counter = try await Self.staff(.counterAgent, client, clock: clock)
            let id = try await Self.personID(father, email: "father@example.ca", staff: counter)
            let allowed = try await daughter.get("/act-for/\(id)/services/msp-enrolment")
            #expect(allowed.status == .ok)
            #expect(allowed.html.contains("Acting for"))
            #expect(allowed.html.contains("Arjun Father"))
            #expect(try await daughter.get("/act-for/\(id)/services/income-assistance").status == .forbidden)
            // The father takes it back: it stops working on the next request.
            let page = try await father.get("/account/representatives")
            let representation = try #require(Browser.capture(#"/account/representatives/([0-9a-f-]{36})/revoke"#, in: page.html))
            // The daughter cannot revoke (or learn about) her father's grants.
            try await daughter.get("/account/representatives")
            #expect(try await daughter.post("/account/representatives/\(representation)/revoke", [:]).status == .notFound)
            #expect(try await father.post("/account/representatives/\(representation)/revoke", [:]).status == .ok)
            #expect(try await daughter.get("/act-for/\(id)/services/msp-enrolment").status == .forbidden)
        }
    }

    @Test func aOneFactorSessionIsSteppedUpNotRefused() async throws {
        let clock = TestClock()
        try await TestApp.run(clock: clock) { client in
            let person = Browser(client)
            try await person.register(email: "weak@example.ca")
            // No second factor yet: sent to set one up.
            let first = try await person.get("/account/who-looked")
            #expect(first.status == .found)
            #expect(first.location == "/account/step-up?return=%2Faccount%2Fwho%2Dlooked")
            #expect(try await person.get("/account/step-up?return=%2Faccount%2Fwho%2Dlooked").location?.hasPrefix("/account/two-factor") == true)
            let (secret, _) = try await person.enableTOTP(clock: { clock.now })
            #expect(try await person.get("/account/who-looked").status == .ok)
            _ = secret
        }
    }
}

@Suite struct ServiceRequirementTests {
    @Test func aServiceNeedingAVerifiedIdentitySendsARepresentativeToProveItAndLetsThemInOnceVerified() async throws {
        let clock = TestClock()
        try await TestApp.run(clock: clock) { client in
            // The service asks for level 3 (in person), two factors.
            let set = try await client.execute(uri: "/api/v1/service-requirements/msp-enrolment", method: .put, headers: .admin,
                                               body: .json(#"{"assurance_level":3,"authentication":"multi-factor"}"#)) { $0.status }
            #expect(set == .ok)
            let bad = try await client.execute(uri: "/api/v1/service-requirements/msp-enrolment", method: .put, headers: .admin,
                                               body: .json(#"{"assurance_level":4,"authentication":"sometimes"}"#)) { response in
                (response.status, (try response.json()["errors"] as? [[String: Any]])?.compactMap { $0["field"] as? String })
            }
            #expect(bad.0 == .unprocessableContent)
            #expect(bad.1 == ["assurance_level", "authentication"])
            let father = Browser(client)
            try await father.register(email: "needs.father@example.ca", name: "Needs Father")
            _ = try await father.enableTOTP(clock: { clock.now })
            let daughter = Browser(client)
            try await daughter.register(email: "needs.daughter@example.ca", name: "Needs Daughter")
            _ = try await daughter.enableTOTP(clock: { clock.now })
            try await father.get("/account/representatives")
            try await father.post("/account/representatives", ["email": "needs.daughter@example.ca", "relationship": "family-member", "services": "msp-enrolment",
                                                               "scope": "view", "starts": "2026-01-01", "ends": "2027-12-31"])
            let counter = try await RecordsTests.staff(.counterAgent, client, clock: clock)
            let fatherID = try await RecordsTests.personID(father, email: "needs.father@example.ca", staff: counter)
            // Level 1: not refused, sent to prove identity.
            let first = try await daughter.get("/act-for/\(fatherID)/services/msp-enrolment")
            #expect(first.status == .found)
            #expect(first.location?.hasPrefix("/account/prove-identity?level=3") == true)
            let prove = try await daughter.get(try #require(first.location))
            #expect(prove.html.contains("This service needs your identity confirmed"))
            #expect(prove.html.contains("Passport"))
            // Verified in person at a counter: in.
            let daughterID = try await RecordsTests.personID(daughter, email: "needs.daughter@example.ca", staff: counter)
            let record = try await counter.get("/staff/people/\(daughterID)?purpose=identity-verification")
            try await counter.send("/staff/people/\(daughterID)/verifications", method: .post,
                                   body: "csrf_token=\(Browser.csrfToken(in: record.html) ?? "")&evidence=drivers-licence&method=visual-inspection&outcome=verified&office=Surrey")
            #expect(try await daughter.get("/act-for/\(fatherID)/services/msp-enrolment").status == .ok)
        }
    }
}
