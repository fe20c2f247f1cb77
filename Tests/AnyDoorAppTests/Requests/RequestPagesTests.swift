@testable import AnyDoorApp
import AnyDoorCore
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

@Suite struct RequestPagesTests {
    static let service = "get-workbc-employment-services"

    /// A person with an account and two factors (personal information needs them).
    func person(_ client: any TestClientProtocol, clock: TestClock, email: String) async throws -> Browser {
        let browser = Browser(client)
        try await browser.register(email: email)
        _ = try await browser.enableTOTP(clock: { clock.now })
        return browser
    }

    static func personID(of email: String, agent: Browser) async throws -> String {
        try await agent.get("/staff/people")
        let found = try await agent.post("/staff/people/find", ["email": email])
        return try #require(found.location?.split(separator: "/").last.map(String.init))
    }

    @Test func aPersonAppliesOnlineWithFieldErrorsFirstAndFollowsTheRequest() async throws {
        let clock = TestClock()
        try await withRequestsApp(clock: clock) { client in
            let ada = try await person(client, clock: clock, email: "ada.apply@example.ca")
            let form = try await ada.get("/services/\(Self.service)/request")
            #expect(form.status == .ok)
            #expect(form.html.contains(#"name="answers.employment-status""#))
            // Missing and invalid answers: the form comes back naming each field, and nothing is stored.
            let refused = try await ada.post("/services/\(Self.service)/request", ["answers.employment-status": "retired", "answers.community": ""])
            #expect(refused.status == .unprocessableContent)
            #expect(refused.html.contains("#field-answers-employment-status"))
            #expect(refused.html.contains("#field-answers-help-needed"))
            #expect(refused.html.contains("#field-answers-community"))
            #expect(!(try await ada.get("/my/requests")).html.contains("/my/requests/"))
            let sent = try await ada.post("/services/\(Self.service)/request", ["answers.employment-status": "laid-off", "answers.help-needed": "resume", "answers.community": "Prince George"])
            #expect(sent.status == .seeOther || sent.status == .found)
            let location = try #require(sent.location)
            let path = try #require(location.split(separator: "?").first.map(String.init))
            let page = try await ada.get(location)
            #expect(page.status == .ok)
            #expect(page.html.contains("Your request was sent."))
            #expect(page.html.contains("Prince George"))
            #expect(page.html.contains("Resume and interviews"))
            #expect(page.html.contains("The ministry will confirm that it has your request."))
            #expect((try await ada.get("/my/requests")).html.contains(path))
            // Someone else cannot see it: the same 404 as a request that does not exist.
            let other = try await person(client, clock: clock, email: "grace.other@example.ca")
            #expect(try await other.get(path).status == .notFound)
            #expect(try await Browser(client).get(path).status == .found) // anonymous: sign in first
        }
    }

    @Test func onePhoneOnlineAndCounterRequestShowsAllThreeChannels() async throws {
        let clock = TestClock()
        try await withRequestsApp(clock: clock) { client in
            let ada = try await person(client, clock: clock, email: "ada.channels@example.ca")
            // A contact-centre agent opens a request for Ada during her call.
            let phone = Browser(client)
            try await phone.signInStaff(.contactCentreAgent, clock: clock)
            let id = try await Self.personID(of: "ada.channels@example.ca", agent: phone)
            try await phone.get("/staff/people/\(id)?purpose=phone-enquiry")
            let chooser = try await phone.get("/staff/people/\(id)/requests/new")
            #expect(chooser.html.contains(Self.service))
            try await phone.get("/staff/people/\(id)/requests/new?service=\(Self.service)")
            let opened = try await phone.post("/staff/people/\(id)/requests/new?service=\(Self.service)",
                                              ["channel": "phone", "answers.employment-status": "unemployed", "answers.help-needed": "job-search", "answers.community": "Smithers"])
            let staffPath = try #require(opened.location?.split(separator: "?").first.map(String.init))
            let reference = try #require(staffPath.split(separator: "/").last.map(String.init))
            // The ministry asks for more information.
            let caseworker = Browser(client)
            try await caseworker.signInStaff(.ministryCaseworker, clock: clock)
            let worklist = try await caseworker.get("/staff/requests")
            #expect(worklist.html.contains(reference))
            let opening = try await caseworker.get(staffPath)
            #expect(opening.html.contains("Smithers"))
            try await caseworker.post("\(staffPath)/steps", ["step": "receive"])
            try await caseworker.get(staffPath)
            let noReason = try await caseworker.post("\(staffPath)/steps", ["step": "request-information", "note": ""])
            #expect(noReason.status == .unprocessableContent)
            #expect(noReason.html.contains("#field-note"))
            try await caseworker.post("\(staffPath)/steps", ["step": "request-information", "note": "Which WorkBC centre is closest to you?"])
            // Ada answers online.
            let mine = try await ada.get("/my/requests/\(reference)")
            #expect(mine.html.contains("Which WorkBC centre is closest to you?"))
            #expect(mine.html.contains("The ministry needs something from you."))
            try await ada.post("/my/requests/\(reference)/messages", ["body": "The Smithers centre on Main Street."])
            // The ministry approves; Ada comes to the counter and the agent closes the request.
            try await caseworker.get(staffPath)
            try await caseworker.post("\(staffPath)/steps", ["step": "approve", "note": "Referred to the Smithers centre."])
            let counter = Browser(client)
            try await counter.signInStaff(.counterAgent, clock: clock)
            let found = try await counter.get("/staff/requests?reference=\(reference.lowercased())")
            #expect(found.location == staffPath)
            try await counter.get(staffPath)
            try await counter.post("\(staffPath)/contacts", ["channel": "in-person", "note": "Came in with her resume."])
            try await counter.get(staffPath)
            try await counter.post("\(staffPath)/steps", ["step": "close"])
            let final = try await ada.get("/my/requests/\(reference)")
            #expect(final.html.contains("This request is closed."))
            for channel in ["By phone", "Online", "In person"] {
                #expect(final.html.contains("· \(channel)</p>"), "the timeline lacks \(channel)")
            }
            #expect(!final.html.contains("Came in with her resume.")) // staff contact notes stay internal
            let staffView = try await counter.get(staffPath)
            #expect(staffView.html.contains("Came in with her resume."))
        }
    }

    @Test func staffSeeOnlyWhatTheirRoleAllows() async throws {
        let clock = TestClock()
        try await withRequestsApp(clock: clock) { client in
            let steward = Browser(client)
            try await steward.signInStaff(.catalogueSteward, clock: clock)
            #expect(try await steward.get("/staff/requests").status == .forbidden)
            #expect(try await steward.get("/staff/webhooks").status == .forbidden)
            let admin = Browser(client)
            try await admin.signInStaff(.administrator, clock: clock)
            let hooks = try await admin.get("/staff/webhooks")
            #expect(hooks.status == .ok)
            #expect(hooks.html.contains("Every event was delivered or is still being tried."))
            #expect(try await admin.post("/staff/webhooks/events/msg_nope/replay", [:]).status == .notFound)
            let caseworker = Browser(client)
            try await caseworker.signInStaff(.ministryCaseworker, clock: clock)
            #expect(try await caseworker.get("/staff/people/\(UUID().uuidString.lowercased())/requests/new").status == .forbidden)
            let page = try await caseworker.get("/staff/requests?reference=AAAA-AAAA-A")
            #expect(page.status == .notFound)
            #expect(page.html.contains("No request has that reference number."))
        }
    }

    @Test func aCaseworkerFiltersByAgeAndReceivesOrAssignsSeveralRequestsAtOnce() async throws {
        let clock = TestClock()
        try await withRequestsApp(clock: clock) { client in
            // Ada's request is ten days older than Bo's two (a new sign-in after ten days: sessions do not last that long).
            let ada = try await person(client, clock: clock, email: "ada.bulk@example.ca")
            var references: [String] = []
            var bo = ada
            for index in 0..<3 {
                if index == 1 {
                    clock.advance(minutes: 60 * 24 * 10)
                    bo = try await person(client, clock: clock, email: "bo.bulk@example.ca")
                }
                let applicant = index == 0 ? ada : bo
                try await applicant.get("/services/\(Self.service)/request")
                let sent = try await applicant.post("/services/\(Self.service)/request", ["answers.employment-status": "laid-off", "answers.help-needed": "resume",
                                                                                         "answers.community": "Quesnel \(index)"])
                references.append(try #require(sent.location?.split(separator: "?").first?.split(separator: "/").last.map(String.init)))
            }
            let caseworker = Browser(client)
            try await caseworker.signInStaff(.ministryCaseworker, clock: clock)
            // Open for more than seven days: only the first; the filter shows what it is set to.
            let old = try await caseworker.get("/staff/requests?service=\(Self.service)&older=7")
            #expect(old.html.contains(references[0]))
            #expect(!old.html.contains(references[1]) && !old.html.contains(references[2]))
            #expect(old.html.contains(#"<option value="7" selected>"#))
            #expect(old.html.contains(#"<option value="\#(Self.service)" selected>"#))
            // Receive two at once; then "start" for all three: the one still submitted cannot start and is left as it was.
            let token = try #require(Browser.csrfToken(in: try await caseworker.get("/staff/requests").html))
            let received = try await caseworker.send("/staff/requests/bulk", method: .post,
                                                     body: "csrf_token=\(token)&action=receive&selected=\(references[0])&selected=\(references[1])")
            #expect(received.status == .seeOther)
            #expect(try await caseworker.get(try #require(received.location)).html.contains("2 requests were updated."))
            let started = try await caseworker.send("/staff/requests/bulk", method: .post,
                                                    body: "csrf_token=\(token)&action=start&selected=\(references.joined(separator: "&selected="))")
            let notice = try await caseworker.get(try #require(started.location)).html
            #expect(notice.contains("2 requests were updated. 1 request could not take that step and was left as it was."))
            #expect(try await bo.get("/my/requests/\(references[1])").html.contains(#"<p class="status-tag">In progress</p>"#))
            #expect(try await bo.get("/my/requests/\(references[2])").html.contains(#"<p class="status-tag">Sent</p>"#))
            // Assign to me; a step the worklist does not offer in bulk is refused.
            let assigned = try await caseworker.post("/staff/requests/bulk", ["action": "assign", "selected": references[2]])
            #expect(try await caseworker.get(try #require(assigned.location)).html.contains("1 request was assigned to you."))
            try await caseworker.get("/staff/requests")
            #expect(try await caseworker.post("/staff/requests/bulk", ["action": "approve", "selected": references[2]]).status == .badRequest)
            // Front-line staff are not the ministry: nothing changes.
            let counter = Browser(client)
            try await counter.signInStaff(.counterAgent, clock: clock)
            try await counter.get("/staff/requests")
            let refused = try await counter.post("/staff/requests/bulk", ["action": "receive", "selected": references[2]])
            #expect(try await counter.get(try #require(refused.location)).html.contains("0 requests were updated."))
            #expect(try await bo.get("/my/requests/\(references[2])").html.contains(#"<p class="status-tag">Sent</p>"#))
        }
    }
}
