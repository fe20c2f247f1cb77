@testable import AnyDoorApp
import AnyDoorCore
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

@Suite struct AttachmentPagesTests {
    static let service = RequestPagesTests.service
    static let answers = ["answers.employment-status": "laid-off", "answers.help-needed": "resume", "answers.community": "Prince George"]
    static let pdf = Data("%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n".utf8)
    static let png = Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A] + Array(repeating: 1, count: 32))
    static let exe = Data([0x4D, 0x5A, 0x90, 0x00] + Array(repeating: 0, count: 60))

    func person(_ client: any TestClientProtocol, clock: TestClock, email: String) async throws -> Browser {
        try await RequestPagesTests().person(client, clock: clock, email: email)
    }

    @Test func aPersonSendsDocumentsWithTheFormAndLaterAndOnlyTheyTheMinistryAndItsSystemOpenThem() async throws {
        let clock = TestClock()
        try await withRequestsApp(clock: clock) { client in
            let ada = try await person(client, clock: clock, email: "ada.documents@example.ca")
            let form = try await ada.get("/services/\(Self.service)/request")
            #expect(form.html.contains(#"enctype="multipart/form-data""#))
            #expect(form.html.contains(#"type="file""#))
            // An executable named like a PDF, with a missing answer: both named, nothing stored.
            let refused = try await ada.postMultipart("/services/\(Self.service)/request", ["answers.employment-status": "laid-off", "answers.help-needed": "resume"],
                                                      files: [.init(field: "attachments", filename: "id.pdf", type: "application/pdf", data: Self.exe)])
            #expect(refused.status == .unprocessableContent)
            #expect(refused.html.contains("#field-attachments"))
            #expect(refused.html.contains("Each document must be a PDF, JPEG or PNG file."))
            #expect(refused.html.contains("#field-answers-community"))
            #expect(!(try await ada.get("/my/requests")).html.contains("/my/requests/"))
            // Without the form's token the upload is refused like any other form.
            try await ada.get("/services/\(Self.service)/request")
            let forged = try await ada.postMultipart("/services/\(Self.service)/request", Self.answers,
                                                     files: [.init(field: "attachments", filename: "id.pdf", type: "application/pdf", data: Self.pdf)], csrf: "forged-token-000000")
            #expect(forged.status == .forbidden)
            #expect(!(try await ada.get("/my/requests")).html.contains("/my/requests/"))

            try await ada.get("/services/\(Self.service)/request")
            let sent = try await ada.postMultipart("/services/\(Self.service)/request", Self.answers,
                                                   files: [.init(field: "attachments", filename: "Layoff letter.pdf", type: "application/pdf", data: Self.pdf),
                                                           .init(field: "attachments", filename: "", type: "application/octet-stream", data: Data())])
            #expect(sent.status == .seeOther)
            let path = try #require(sent.location?.split(separator: "?").first.map(String.init))
            let page = try await ada.get(path)
            #expect(page.html.contains("Layoff letter.pdf"))
            #expect(page.html.contains("PDF document"))
            let link = try #require(Browser.capture(#"href="(/my/requests/[^"]+/attachments/[0-9a-f-]{36})""#, in: page.html))
            let download = try await ada.get(link)
            #expect(download.status == .ok)
            #expect(download.bytes == Self.pdf)
            #expect(download.headers[.contentType] == "application/pdf")
            #expect(download.headers[.contentDisposition] == #"attachment; filename="Layoff letter.pdf"; filename*=UTF-8''Layoff%20letter.pdf"#)
            #expect(download.headers[.contentSecurityPolicy] == "sandbox; default-src 'none'")
            #expect(download.headers[.xContentTypeOptions] == "nosniff")
            #expect(download.headers[.cacheControl] == "private, no-store")
            // Later, from the request's page: a photo is added, a text file is refused.
            try await ada.get(path)
            let bad = try await ada.postMultipart("\(path)/attachments", [:], files: [.init(field: "attachments", filename: "notes.txt", type: "text/plain", data: Data("hello".utf8))])
            #expect(bad.status == .unprocessableContent)
            #expect(bad.html.contains("Each document must be a PDF, JPEG or PNG file."))
            try await ada.get(path)
            let none = try await ada.postMultipart("\(path)/attachments", [:], files: [])
            #expect(none.status == .unprocessableContent)
            #expect(none.html.contains("Choose at least one file."))
            try await ada.get(path)
            let added = try await ada.postMultipart("\(path)/attachments", [:], files: [.init(field: "attachments", filename: "record of employment", type: "image/png", data: Self.png)])
            #expect(added.status == .seeOther)
            let after = try await ada.get(path)
            #expect(after.html.contains("record of employment.png"))
            #expect(after.html.contains("Your documents were added.") == false) // the notice is on the redirect's page
            #expect(try await ada.get(try #require(added.location)).html.contains("Your documents were added."))

            // Someone else: the same 404 as a document that does not exist.
            let grace = try await person(client, clock: clock, email: "grace.documents@example.ca")
            #expect(try await grace.get(link).status == .notFound)
            #expect(try await ada.get("\(path)/attachments/\(UUID().uuidString.lowercased())").status == .notFound)

            // The ministry's caseworker opens it from the staff page (and that is audited) ...
            let reference = try #require(path.split(separator: "/").last.map(String.init))
            let caseworker = Browser(client)
            try await caseworker.signInStaff(.ministryCaseworker, clock: clock)
            let staffPage = try await caseworker.get("/staff/requests/\(reference)")
            let staffLink = try #require(Browser.capture(#"href="(/staff/requests/[^"]+/attachments/[0-9a-f-]{36})""#, in: staffPage.html))
            #expect(try await caseworker.get(staffLink).bytes == Self.pdf)
            // ... and its system reads the list and the bytes through the API.
            let id = try await client.execute(uri: "/api/v1/requests?service=\(Self.service)", method: .get, headers: [.authorization: "Bearer \(demoAPIKey)"]) { response in
                let items = try #require(try response.json()["items"] as? [[String: Any]])
                return try #require(items.first { $0["reference"] as? String == reference }?["id"] as? String)
            }
            let href = try await client.execute(uri: "/api/v1/requests/\(id)", method: .get, headers: [.authorization: "Bearer \(demoAPIKey)"]) { response in
                let attachments = try #require(try response.json()["attachments"] as? [[String: Any]])
                #expect(attachments.map { $0["name"] as? String } == ["Layoff letter.pdf", "record of employment.png"])
                #expect(attachments.map { $0["media_type"] as? String } == ["application/pdf", "image/png"])
                #expect(attachments.first?["size"] as? Int == Self.pdf.count)
                return try #require(attachments.first?["href"] as? String)
            }
            try await client.execute(uri: href, method: .get, headers: [.authorization: "Bearer \(demoAPIKey)"]) { response in
                #expect(response.status == .ok)
                #expect(Data(buffer: response.body) == Self.pdf)
            }
            try await client.execute(uri: href, method: .get) { response in #expect(response.status == .unauthorized || response.status == .forbidden) }
        }
    }

    @Test func aFormLargerThanTheUploadLimitIsRefusedWith413() async throws {
        let clock = TestClock()
        try await TestApp.run({ $0.seedDemoCatalogue = true; $0.maxUploadBytes = 50_000 }, clock: clock) { client in
            let ada = try await person(client, clock: clock, email: "ada.large@example.ca")
            try await ada.get("/services/\(Self.service)/request")
            let big = try await ada.postMultipart("/services/\(Self.service)/request", Self.answers,
                                                  files: [.init(field: "attachments", filename: "big.pdf", type: "application/pdf", data: Self.pdf + Data(count: 60_000))])
            #expect(big.status == .contentTooLarge)
            #expect(!(try await ada.get("/my/requests")).html.contains("/my/requests/"))
        }
    }

    @Test func aRepresentativeAppliesForThePersonAndFollowsTheRequestWithinTheirScope() async throws {
        let clock = TestClock()
        try await withRequestsApp(clock: clock) { client in
            let father = try await person(client, clock: clock, email: "arjun.father@example.ca")
            let daughter = try await person(client, clock: clock, email: "simran.daughter@example.ca")
            let son = try await person(client, clock: clock, email: "dev.son@example.ca")
            let stranger = try await person(client, clock: clock, email: "someone.else@example.ca")
            try await father.get("/account/representatives")
            for (email, scope) in [("simran.daughter@example.ca", "act"), ("dev.son@example.ca", "view")] {
                let granted = try await father.post("/account/representatives", ["email": email, "relationship": "family-member", "services": Self.service,
                                                                                 "scope": scope, "starts": "2026-01-01", "ends": "2027-12-31"])
                #expect(granted.status == .ok)
            }
            let agent = Browser(client)
            try await agent.signInStaff(.counterAgent, clock: clock)
            let fatherID = try await RequestPagesTests.personID(of: "arjun.father@example.ca", agent: agent)

            // The daughter's list of people she acts for links to the service; she may apply there.
            let held = try await daughter.get("/account/representatives")
            #expect(held.html.contains("/act-for/\(fatherID)/services/\(Self.service)"))
            let acting = try await daughter.get("/act-for/\(fatherID)/services/\(Self.service)")
            #expect(acting.html.contains("/act-for/\(fatherID)/services/\(Self.service)/request"))
            let form = try await daughter.get("/act-for/\(fatherID)/services/\(Self.service)/request")
            #expect(form.status == .ok)
            #expect(form.html.contains("Acting for"))
            let sent = try await daughter.postMultipart("/act-for/\(fatherID)/services/\(Self.service)/request", Self.answers,
                                                        files: [.init(field: "attachments", filename: "power of attorney.pdf", type: "application/pdf", data: Self.pdf)])
            #expect(sent.status == .seeOther)
            let path = try #require(sent.location?.split(separator: "?").first.map(String.init))
            #expect(path.hasPrefix("/act-for/\(fatherID)/requests/"))
            let reference = try #require(path.split(separator: "/").last.map(String.init))
            let page = try await daughter.get(path)
            #expect(page.html.contains("Acting for"))
            #expect(page.html.contains("power of attorney.pdf"))
            try await daughter.post("\(path)/messages", ["body": "My father's last day was 30 October."])

            // The request is the father's: on his list, with his representative's steps named so.
            #expect(try await father.get("/my/requests").html.contains("/my/requests/\(reference)"))
            let his = try await father.get("/my/requests/\(reference)")
            #expect(his.html.contains("By a representative"))
            #expect(his.html.contains("My father&#39;s last day was 30 October.") || his.html.contains("My father's last day was 30 October."))
            #expect(!(try await daughter.get("/my/requests")).html.contains(reference))

            // The son may look but not act.
            let seen = try await son.get(path)
            #expect(seen.status == .ok)
            #expect(!seen.html.contains("\(path)/messages"))
            #expect(try await son.post("\(path)/messages", ["body": "Hello"]).status == .forbidden)
            #expect(try await son.get("/act-for/\(fatherID)/services/\(Self.service)/request").status == .forbidden)
            // Someone with no permission learns nothing; nor does the daughter on another service or person.
            #expect(try await stranger.get(path).status == .notFound)
            #expect(try await daughter.get("/act-for/\(fatherID)/services/income-assistance/request").status == .forbidden)
            let strangerID = try await RequestPagesTests.personID(of: "someone.else@example.ca", agent: agent)
            #expect(try await daughter.get("/act-for/\(strangerID)/requests/\(reference)").status == .notFound)

            // The son may open the documents; only the daughter may add one or withdraw the request.
            let sonsView = try await son.get(path)
            let document = try #require(Browser.capture(#"href="(/act-for/[^"]+/attachments/[0-9a-f-]{36})""#, in: sonsView.html))
            #expect(try await son.get(document).bytes == Self.pdf)
            try await son.get(path)
            #expect(try await son.postMultipart("\(path)/attachments", [:], files: [.init(field: "attachments", filename: "x.png", type: "image/png", data: Self.png)]).status == .forbidden)
            try await daughter.get(path)
            #expect(try await daughter.postMultipart("\(path)/attachments", [:], files: [.init(field: "attachments", filename: "x.png", type: "image/png", data: Self.png)]).status == .seeOther)
            try await daughter.get(path)
            #expect(try await daughter.post("\(path)/withdraw", [:]).status == .seeOther)
            #expect(try await father.get("/my/requests/\(reference)").html.contains("Withdrawn"))

            // Taken back: it stops working at once.
            let grants = try await father.get("/account/representatives")
            for id in Browser.allMatches(#"/account/representatives/([0-9a-f-]{36})/revoke"#, in: grants.html) {
                try await father.get("/account/representatives")
                try await father.post("/account/representatives/\(id)/revoke", [:])
            }
            #expect(try await daughter.get(path).status == .notFound)
        }
    }
}
