@testable import AnyDoorApp
import AnyDoorCore
import AnyDoorStore
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

@Suite struct PrivacyRightsTests {
    @Test func consentsAreGrantedAndWithdrawnAndBothStayOnRecord() async throws {
        let clock = TestClock()
        try await TestApp.run(clock: clock) { client in
            let person = Browser(client)
            try await person.register(email: "consenting@example.ca")
            _ = try await person.enableTOTP(clock: { clock.now })
            try await person.get("/account/consents")
            let saved = try await person.send("/account/consents", method: .post,
                                              body: "csrf_token=\(Browser.csrfToken(in: try await person.get("/account/consents").html)!)&ministry=HLTH&ministry=FIN")
            #expect(saved.html.contains("Your choices have been saved."))
            #expect(saved.html.contains(#"value="HLTH" checked"#))
            clock.advance(minutes: 5)
            let changed = try await person.send("/account/consents", method: .post, body: "csrf_token=\(Browser.csrfToken(in: saved.html)!)&ministry=HLTH")
            #expect(changed.html.contains(#"value="HLTH" checked"#))
            #expect(!changed.html.contains(#"value="FIN" checked"#))
            #expect(changed.html.contains("Ministry of Finance: withdrawn on"))
            #expect(changed.html.contains("Ministry of Health: agreed on"))
        }
    }

    @Test func aPersonDownloadsEverythingHeldAboutThemAsJSON() async throws {
        let clock = TestClock()
        try await TestApp.run(clock: clock) { client in
            let person = Browser(client)
            try await person.register(email: "exporter@example.ca", name: "Ex Porter")
            _ = try await person.enableTOTP(clock: { clock.now })
            let counter = try await RecordsTests.staff(.counterAgent, client, clock: clock)
            let id = try await RecordsTests.personID(person, email: "exporter@example.ca", staff: counter)
            try await counter.get("/staff/people/\(id)?purpose=phone-enquiry")
            let export = try await person.get("/account/export")
            #expect(export.status == .ok)
            let json = try #require(try JSONSerialization.jsonObject(with: Data(export.html.utf8)) as? [String: Any])
            let profile = try #require(json["profile"] as? [String: Any])
            #expect(profile["name"] as? String == "Ex Porter")
            #expect(profile["email"] as? String == "exporter@example.ca")
            #expect(profile["twoFactorEnabled"] as? Bool == true)
            #expect((json["recordAccesses"] as? [[String: Any]])?.first?["purpose"] as? String == "phone-enquiry")
            #expect(((json["activity"] as? [[String: Any]]) ?? []).contains { $0["action"] as? String == "account.registered" })
            // Another person's session cannot download it: the export is always the caller's own.
            let other = Browser(client)
            #expect(try await other.get("/account/export").status == .found)
        }
    }

    @Test func aCorrectionIsAppliedAndEveryMinistryItWasDisclosedToInThePastYearIsTold() async throws {
        let clock = TestClock()
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("anydoor-corrections-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        // setup: demo data, then a caseworker of the Ministry of Health (a ministry-scoped role)
        try await TestApp.run(dataDirectory: folder, clock: clock) { client in
            _ = try await client.execute(uri: "/health/ready", method: .get) { $0.status }
        }
        try await TestDatabaseForApp.withServices(folder: folder) { services in
            let health = try #require(try await services.ministries.find(code: MinistryCode("HLTH")!))
            let empty = folder.appendingPathComponent("empty-blocklist.txt")
            try Data().write(to: empty)
            let hash = try await Passwords(blocklistFile: empty).hash(DemoStaff.password)
            try await SQLStaff(database: services.database, keys: services.keys).create(
                StaffAccount(id: StaffID(rawValue: UUID()), email: "hlth.caseworker@example.gov", name: "Health Caseworker", passwordHash: hash,
                             totpSecret: DemoStaff.totpSecret(.ministryCaseworker), roles: [RoleAssignment(.ministryCaseworker, scope: .ministry(health.id))]),
                createdAt: clock.now)
        }

        try await TestApp.run(dataDirectory: folder, clock: clock) { client in
            let person = Browser(client)
            try await person.register(email: "mistaken@example.ca", name: "Jon Smiht")
            _ = try await person.enableTOTP(clock: { clock.now })
            // The Ministry of Health's caseworker opens the record: a disclosure to Health.
            let caseworker = Browser(client)
            try await caseworker.get("/staff/sign-in")
            try await caseworker.post("/staff/sign-in", ["email": "hlth.caseworker@example.gov", "password": DemoStaff.password])
            try await caseworker.get("/sign-in/code")
            try await caseworker.post("/sign-in/code", ["code": OneTimeCodes.code(secret: DemoStaff.totpSecret(.ministryCaseworker), at: clock.now)])
            let id = try await RecordsTests.personID(person, email: "mistaken@example.ca", staff: caseworker)
            #expect(try await caseworker.get("/staff/people/\(id)?purpose=processing-request").status == .ok)
            // The person asks for a correction (bad input first: nothing is created).
            try await person.get("/account/corrections")
            let bad = try await person.post("/account/corrections", ["field": "", "requested": ""])
            #expect(bad.status == .unprocessableContent)
            #expect(bad.html.contains("Choose what is wrong."))
            let sent = try await person.post("/account/corrections", ["field": "name", "requested": "Jon Smith", "reason": "Typing mistake"])
            #expect(sent.html.contains("A privacy officer will reply within 30 business days."))
            // The privacy officer corrects it; Health is told.
            clock.advance(minutes: 1)
            let officer = try await RecordsTests.staff(.privacyOfficer, client, clock: clock)
            let queue = try await officer.get("/staff/corrections")
            let correction = try #require(Browser.capture(#"/staff/corrections/([0-9a-f-]{36})"#, in: queue.html))
            #expect(queue.html.contains("Jon Smith"))
            let done = try await officer.post("/staff/corrections/\(correction)", ["action": "correct", "annotation": "Spelling fixed"])
            #expect(done.html.contains("Ministries told: 1."))
            #expect(try await person.get("/account").html.contains("Jon Smith"))
            let mailbox = try await officer.get("/dev/mailbox")
            #expect(mailbox.html.contains("Correction notice for a person&#39;s record (name)") || mailbox.html.contains("Correction notice for a person"))
            #expect(mailbox.html.contains("Ministry of Health"))
            let requests = try await person.get("/account/corrections")
            #expect(requests.html.contains("Corrected"))
        }
    }

    @Test func disclosuresOlderThanAYearAreNotToldAboutACorrection() async throws {
        try await TestDatabaseForApp.withServices { services in
            let privacy = SQLPrivacy(database: services.database, keys: services.keys)
            try await DemoSeeder(ministries: services.ministries).seed()
            let people = SQLPeople(database: services.database, keys: services.keys)
            let person = Person(id: PersonID(rawValue: UUID()), email: "old@example.ca", name: "Old", preferredLanguage: .english, assurance: .selfAsserted, emailVerifiedAt: nil, createdAt: Date())
            let ministries = try await services.ministries.list()
            let now = Date()
            try await services.database.transaction { sql in
                try await people.create(person, passwordHash: nil, on: sql)
                try await privacy.recordDisclosure(person: person.id, ministry: ministries[0].id, what: "old", at: now.addingTimeInterval(-400 * 24 * 3600), id: UUID(), on: sql)
                try await privacy.recordDisclosure(person: person.id, ministry: ministries[1].id, what: "recent", at: now.addingTimeInterval(-30 * 24 * 3600), id: UUID(), on: sql)
            }
            let lastYear = try await privacy.disclosures(of: person.id, since: now.addingTimeInterval(-365 * 24 * 3600))
            #expect(lastYear.map(\.ministry) == [ministries[1].id])
        }
    }

    @Test func thePurgeDeletesWhatIsPastItsTimeAndLeavesAnAuditTrace() async throws {
        try await TestDatabaseForApp.withServices { services in
            let sessions = SQLSessions(database: services.database)
            let old = Date(timeIntervalSince1970: 1_700_000_000)
            try await sessions.recordFailure(key: "account:x", at: old)
            try await sessions.recordFailure(key: "account:x", at: Date())
            let counts = try await RetentionService(database: services.database, keys: services.keys, environment: .live, logger: .init(label: "test")).purgeOnce()
            #expect(counts["sign_in_failures"] == 1)
            #expect(try await sessions.failures(key: "account:x", since: old.addingTimeInterval(-1)) == 1)
            let entries = try await SQLAuditLog(database: services.database, keys: services.keys).recent(limit: 5)
            #expect(entries.first?.entry.action == "retention.purged")
            #expect(entries.first?.entry.detail == "sign_in_failures: 1")
        }
    }
}

enum TestDatabaseForApp {
    /// Opens the services on `folder` (a fresh temporary one by default), always closing the pool after.
    static func withServices(folder given: URL? = nil, _ body: (AppServices) async throws -> Void) async throws {
        let folder = given ?? FileManager.default.temporaryDirectory.appendingPathComponent("anydoor-svc-\(UUID().uuidString)")
        defer { if given == nil { try? FileManager.default.removeItem(at: folder) } }
        var configuration = TestApp.configuration(dataDirectory: folder.path)
        configuration.seedDemoWhenEmpty = false
        let services = try AppServices.open(configuration: configuration, logger: .init(label: "test"))
        do {
            try await Migrator(database: services.database, logger: .init(label: "test")).migrate()
            try await body(services)
        } catch {
            await services.database.shutdown()
            throw error
        }
        await services.database.shutdown()
    }
}
