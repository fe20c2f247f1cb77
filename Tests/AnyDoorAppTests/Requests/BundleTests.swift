@testable import AnyDoorApp
import AnyDoorCore
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

@Suite struct BundleTests {
    @Test func oneSubmissionOpensLinkedRequestsAtTwoMinistriesAllOrNothing() async throws {
        let clock = TestClock()
        try await withRequestsApp(clock: clock) { client in
            let ada = Browser(client)
            try await ada.register(email: "ada.bundle@example.ca")
            _ = try await ada.enableTOTP(clock: { clock.now })
            let event = try await ada.get("/life-events/losing-a-job")
            #expect(event.html.contains("/life-events/losing-a-job/apply"))
            let choose = try await ada.get("/life-events/losing-a-job/apply")
            #expect(choose.html.contains(#"value="get-workbc-employment-services""#))
            #expect(choose.html.contains(#"value="ask-service-bc""#))
            #expect(try await ada.get("/life-events/losing-a-job/apply?service=register-birth").html.contains("field-bundle-error"))
            let form = try await ada.get("/life-events/losing-a-job/apply?service=get-workbc-employment-services&service=ask-service-bc")
            #expect(form.html.contains(#"name="get-workbc-employment-services/answers.community""#))
            #expect(form.html.contains(#"name="ask-service-bc/answers.question""#))
            // One service's answers missing: nothing is opened at either ministry.
            let body = "service=get-workbc-employment-services&service=ask-service-bc"
                + "&get-workbc-employment-services%2Fanswers.employment-status=laid-off&get-workbc-employment-services%2Fanswers.help-needed=resume"
                + "&get-workbc-employment-services%2Fanswers.community=Nanaimo"
            let csrf = Browser.csrfToken(in: form.html) ?? ""
            let refused = try await ada.send("/life-events/losing-a-job/apply", method: .post, body: body + "&csrf_token=\(csrf)")
            #expect(refused.status == .unprocessableContent)
            #expect(refused.html.contains("#field-ask-service-bc/answers-question"))
            #expect(!(try await ada.get("/my/requests")).html.contains("/my/requests/"))
            let sent = try await ada.send("/life-events/losing-a-job/apply", method: .post,
                                          body: body + "&ask-service-bc%2Fanswers.question=Where%20do%20I%20apply%20for%20EI%3F&ask-service-bc%2Fanswers.contact-method=email&csrf_token=\(csrf)")
            #expect(sent.location == "/my/requests?sent=2")
            let mine = try await ada.get("/my/requests?sent=2")
            #expect(mine.html.contains("2 requests were sent together."))
            let references = Browser.allMatches(#"/my/requests/([0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z])"#, in: mine.html)
            #expect(Set(references).count == 2)
            let first = try await ada.get("/my/requests/\(try #require(references.first))")
            #expect(first.html.contains("Sent together with"))
            #expect(first.html.contains(try #require(Set(references).subtracting([references.first!]).first)))
        }
    }
}
