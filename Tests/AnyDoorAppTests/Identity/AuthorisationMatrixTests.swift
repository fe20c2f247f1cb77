@testable import AnyDoorApp
import AnyDoorCore
import AnyDoorStore
import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import Testing

/// Every route against every kind of caller: the expected answers are written out here, independently
/// of the policy, so a change to the policy or a new route that nobody thought about fails this test.
@Suite struct AuthorisationMatrixTests {
    enum Caller: Hashable, CustomStringConvertible {
        case anonymous
        case personOneFactor
        case personTwoFactors
        case adminToken
        case staff(StaffRole)

        static var all: [Caller] { [.anonymous, .personOneFactor, .personTwoFactors, .adminToken] + StaffRole.allCases.map { .staff($0) } }
        var description: String {
            switch self {
            case .anonymous: "anonymous"
            case .personOneFactor: "person (1 factor)"
            case .personTwoFactors: "person (2 factors)"
            case .adminToken: "admin token"
            case .staff(let role): "staff \(role.rawValue)"
            }
        }
        var isPerson: Bool { self == .personOneFactor || self == .personTwoFactors }
        var isStaff: Bool { if case .staff = self { true } else { false } }
    }

    struct Rule: Sendable {
        let method: HTTPRequest.Method
        let path: String
        let allowed: @Sendable (Caller) -> Bool
    }

    static let everyone: @Sendable (Caller) -> Bool = { _ in true }

    /// Safe requests only (GET), plus API writes which the matrix sends with an empty JSON object: an
    /// allowed caller gets a validation error (422), a refused one 401/403. Form posts are covered by
    /// their own tests because they need a valid form.
    static let rules: [Rule] = [
        Rule(method: .get, path: "/", allowed: everyone),
        Rule(method: .get, path: "/ministries", allowed: everyone),
        Rule(method: .get, path: "/health/live", allowed: everyone),
        Rule(method: .get, path: "/health/ready", allowed: everyone),
        Rule(method: .get, path: "/metrics", allowed: everyone),
        Rule(method: .get, path: "/openapi.json", allowed: everyone),
        Rule(method: .get, path: "/api/v1/ministries", allowed: everyone),
        Rule(method: .get, path: "/api/v1/ministries/{id}", allowed: everyone),
        Rule(method: .post, path: "/api/v1/ministries", allowed: { $0 == .adminToken }),
        Rule(method: .patch, path: "/api/v1/ministries/{id}", allowed: { $0 == .adminToken }),
        Rule(method: .get, path: "/api/v1/clients", allowed: { $0 == .adminToken }),
        Rule(method: .post, path: "/api/v1/clients", allowed: { $0 == .adminToken }),
        Rule(method: .get, path: "/api/v1/clients/me", allowed: { _ in false }), // API clients only: APIClientsTests
        Rule(method: .get, path: "/api/v1/requests", allowed: { _ in false }), // ministry systems only: RequestsAPITests
        Rule(method: .get, path: "/api/v1/webhooks/events", allowed: { $0 == .adminToken }),
        Rule(method: .get, path: "/api/v1/service-requirements/{code}", allowed: everyone),
        Rule(method: .put, path: "/api/v1/service-requirements/{code}", allowed: { $0 == .adminToken }),
        Rule(method: .get, path: "/staff/people/{person}", allowed: { caller in
            if case .staff(let role) = caller { return [.counterAgent, .contactCentreAgent, .officeManager, .ministryCaseworker, .privacyOfficer].contains(role) }
            return false
        }),
        Rule(method: .get, path: "/account/prove-identity", allowed: { $0.isPerson }),
        Rule(method: .get, path: "/register", allowed: everyone),
        Rule(method: .get, path: "/register/done", allowed: everyone),
        Rule(method: .get, path: "/sign-in", allowed: everyone),
        Rule(method: .get, path: "/staff/sign-in", allowed: everyone),
        Rule(method: .get, path: "/password-reset", allowed: everyone),
        Rule(method: .get, path: "/dev/mailbox", allowed: everyone),
        Rule(method: .get, path: "/account", allowed: { $0.isPerson }),
        Rule(method: .get, path: "/account/two-factor", allowed: { $0.isPerson }),
        Rule(method: .get, path: "/staff", allowed: { $0.isStaff }),
        Rule(method: .get, path: "/staff/people", allowed: { caller in
            if case .staff(let role) = caller { return [.counterAgent, .contactCentreAgent, .officeManager, .ministryCaseworker, .privacyOfficer].contains(role) }
            return false
        }),
        Rule(method: .get, path: "/account/step-up", allowed: { $0.isPerson }),
        Rule(method: .get, path: "/account/who-looked", allowed: { $0 == .personTwoFactors }),
        Rule(method: .get, path: "/account/representatives", allowed: { $0 == .personTwoFactors }),
        Rule(method: .get, path: "/account/consents", allowed: { $0 == .personTwoFactors }),
        Rule(method: .get, path: "/account/corrections", allowed: { $0 == .personTwoFactors }),
        Rule(method: .get, path: "/account/export", allowed: { $0 == .personTwoFactors }),
        Rule(method: .get, path: "/staff/corrections", allowed: { $0 == .staff(.privacyOfficer) }),
        // Catalogue: reading is public; drafts by owners (and the administrator token), review by stewards.
        Rule(method: .get, path: "/services", allowed: everyone),
        Rule(method: .get, path: "/services/{code}", allowed: everyone),
        Rule(method: .get, path: "/life-events/{event}", allowed: everyone),
        Rule(method: .get, path: "/ministries/{ministry}", allowed: everyone),
        Rule(method: .get, path: "/open311/v2/{file}", allowed: everyone),
        Rule(method: .get, path: "/open311/v2/services/{file}", allowed: everyone),
        Rule(method: .get, path: "/api/v1/services", allowed: everyone),
        Rule(method: .get, path: "/api/v1/services/suggestions", allowed: everyone),
        Rule(method: .get, path: "/api/v1/services/{code}", allowed: everyone),
        Rule(method: .get, path: "/api/v1/services/{code}/versions", allowed: everyone),
        Rule(method: .get, path: "/api/v1/services/{code}/versions/{version}", allowed: everyone),
        Rule(method: .get, path: "/api/v1/services/{code}/diff", allowed: everyone),
        Rule(method: .get, path: "/api/v1/life-events", allowed: everyone),
        Rule(method: .get, path: "/api/v1/life-events/{event}", allowed: everyone),
        Rule(method: .get, path: "/api/v1/services/{code}/draft", allowed: { $0 == .adminToken }), // the API takes no cookies
        Rule(method: .post, path: "/api/v1/services", allowed: { $0 == .adminToken }),
        Rule(method: .put, path: "/api/v1/services/{code}/draft", allowed: { $0 == .adminToken }),
        Rule(method: .post, path: "/api/v1/services/{code}/submit", allowed: { $0 == .adminToken }),
        Rule(method: .post, path: "/api/v1/services/{code}/send-back", allowed: { $0 == .adminToken }),
        Rule(method: .get, path: "/translations", allowed: everyone),
        Rule(method: .get, path: "/api/v1/translations", allowed: everyone),
        Rule(method: .get, path: "/api/v1/translations/{lang}", allowed: everyone),
        Rule(method: .get, path: "/staff/translations", allowed: { [.adminToken, .staff(.serviceOwner), .staff(.catalogueSteward)].contains($0) }),
        Rule(method: .get, path: "/staff/catalogue", allowed: { [.adminToken, .staff(.serviceOwner), .staff(.catalogueSteward)].contains($0) }),
        Rule(method: .get, path: "/staff/catalogue/new", allowed: { [.adminToken, .staff(.serviceOwner)].contains($0) }),
        Rule(method: .get, path: "/staff/catalogue/{code}", allowed: { [.adminToken, .staff(.serviceOwner), .staff(.catalogueSteward)].contains($0) }),
        Rule(method: .get, path: "/staff/catalogue/{code}/edit", allowed: { [.adminToken, .staff(.serviceOwner)].contains($0) }),
        Rule(method: .get, path: "/staff/catalogue/{code}/diff", allowed: { [.adminToken, .staff(.serviceOwner), .staff(.catalogueSteward)].contains($0) }),
        // Counter and contact centre: offices are public; queue work by counter agents and managers; the console by the contact centre.
        Rule(method: .get, path: "/offices", allowed: everyone),
        Rule(method: .get, path: "/offices/{office}", allowed: everyone),
        Rule(method: .get, path: "/offices/{office}/check-in", allowed: everyone),
        Rule(method: .get, path: "/offices/{office}/display", allowed: everyone),
        Rule(method: .get, path: "/api/v1/offices", allowed: everyone),
        Rule(method: .get, path: "/api/v1/offices/{office}", allowed: everyone),
        Rule(method: .get, path: "/offices/{office}/appointments/new", allowed: { $0 == .personTwoFactors }),
        Rule(method: .get, path: "/my/appointments", allowed: { $0 == .personTwoFactors }),
        Rule(method: .get, path: "/staff/offices", allowed: { [.staff(.counterAgent), .staff(.officeManager)].contains($0) }),
        Rule(method: .get, path: "/staff/offices/{office}/queue", allowed: { [.staff(.counterAgent), .staff(.officeManager)].contains($0) }),
        Rule(method: .get, path: "/staff/offices/{office}/dashboard", allowed: { [.staff(.counterAgent), .staff(.officeManager)].contains($0) }),
        Rule(method: .get, path: "/staff/contact", allowed: { [.staff(.contactCentreAgent), .staff(.officeManager)].contains($0) }),
        Rule(method: .get, path: "/staff/contact/new", allowed: { [.staff(.contactCentreAgent), .staff(.officeManager)].contains($0) }),
        Rule(method: .get, path: "/staff/contact/people/{person}", allowed: { [.staff(.contactCentreAgent), .staff(.officeManager)].contains($0) }),
        Rule(method: .get, path: "/staff/people/{person}/appointments/new", allowed: { [.staff(.counterAgent), .staff(.contactCentreAgent), .staff(.officeManager)].contains($0) }),
        Rule(method: .get, path: "/staff/interpreters", allowed: { [.staff(.counterAgent), .staff(.contactCentreAgent), .staff(.officeManager)].contains($0) }),
    ]

    /// Routes outside the matrix, each with the reason and the test that covers it.
    static let coveredElsewhere: Set<String> = [
        "POST /register", "POST /sign-in", "POST /staff/sign-in", "GET /sign-in/code", "POST /sign-in/code", "POST /sign-out", // SignInTests
        "POST /account/sessions/sign-out-others", "POST /account/two-factor", // SessionTests, SignInTests
        "POST /staff/people/find", "POST /staff/people/{id}/verifications", "POST /staff/people/{id}/representations", // RecordsTests
        "POST /account/step-up", "POST /account/representatives", "POST /account/representatives/{id}/revoke", "GET /act-for/{person}/services/{service}", // RecordsTests
        "GET /sign-in/provincial", "GET /sign-in/provincial/callback", // only with a provider configured: browser-tests/test_provincial_sign_in.py
        "POST /api/v1/clients/{id}/rotate", "DELETE /api/v1/clients/{id}", // APIClientsTests
        "GET /api/v1/requests/{id}", "POST /api/v1/requests/{id}/transitions", "POST /api/v1/requests/{id}/messages", // RequestsAPITests
        "POST /api/v1/requests/{id}/information-requests", "GET /api/v1/clients/{id}/webhooks", "POST /api/v1/clients/{id}/webhooks", // RequestsAPITests
        "POST /api/v1/webhooks/events/{event}/replay", "POST /api/v1/webhooks/endpoints/{endpoint}/enable", // RequestsAPITests, WebhookDeliveryTests
        "POST /open311/v2/{file}", "GET /open311/v2/requests/{file}", "GET /open311/v2/tokens/{file}", // Open311RequestsTests
        "GET /services/{code}/request", "POST /services/{code}/request", "GET /my/requests", "GET /my/requests/{reference}", // RequestPagesTests
        "POST /my/requests/{reference}/messages", "POST /my/requests/{reference}/withdraw", "GET /staff/requests", "POST /staff/requests/bulk", // RequestPagesTests
        "GET /staff/requests/{reference}", "POST /staff/requests/{reference}/steps", "POST /staff/requests/{reference}/contacts", // RequestPagesTests
        "GET /staff/people/{id}/requests/new", "POST /staff/people/{id}/requests/new", "GET /staff/webhooks", // RequestPagesTests
        "POST /staff/webhooks/events/{event}/replay", "POST /staff/webhooks/endpoints/{endpoint}/enable", // RequestPagesTests
        "GET /account/notifications", "POST /account/notifications", "POST /api/v1/notifications/receipts", // NotificationTests
        "GET /account/profile", "POST /account/profile", "POST /api/v1/address-changes/{id}/acknowledge", // ProfileTests
        "GET /life-events/{code}/apply", "POST /life-events/{code}/apply", // BundleTests
        "GET /staff/offices/{office}/skills", "POST /staff/offices/{office}/skills/{staff}", // CounterPagesTests
        "POST /my/requests/{reference}/attachments", "GET /my/requests/{reference}/attachments/{attachment}", // AttachmentPagesTests
        "POST /staff/requests/{reference}/attachments", "GET /staff/requests/{reference}/attachments/{attachment}", // AttachmentPagesTests
        "GET /api/v1/requests/{id}/attachments/{attachment}", // AttachmentPagesTests
        "GET /act-for/{person}/services/{service}/request", "POST /act-for/{person}/services/{service}/request", // AttachmentPagesTests (representatives)
        "GET /act-for/{person}/requests/{reference}", "POST /act-for/{person}/requests/{reference}/messages", // AttachmentPagesTests (representatives)
        "POST /act-for/{person}/requests/{reference}/attachments", "GET /act-for/{person}/requests/{reference}/attachments/{attachment}", // AttachmentPagesTests
        "POST /act-for/{person}/requests/{reference}/withdraw", // AttachmentPagesTests (representatives)
        "POST /account/consents", "POST /account/corrections", "POST /staff/corrections/{id}", // PrivacyRightsTests
        "POST /api/v1/services/{code}/publish", "POST /api/v1/services/{code}/retire", "PUT /api/v1/life-events/{code}", // CatalogueAPITests
        "PUT /api/v1/translations/{lang}", "POST /staff/translations/import", // TranslationPagesTests
        "POST /staff/catalogue/new", "POST /staff/catalogue/{code}/edit", "POST /staff/catalogue/{code}/submit", // CatalogueStaffPagesTests
        "POST /staff/catalogue/{code}/send-back", "POST /staff/catalogue/{code}/publish", "POST /staff/catalogue/{code}/retire", // CatalogueStaffPagesTests
        "GET /offices/{office}/display/events", "GET /queue/{token}", "GET /queue/{token}/status", "POST /queue/{token}/leave", // CounterPagesTests (stream, token routes)
        "POST /offices/{office}/check-in", "POST /staff/offices/{office}/sit", "POST /staff/offices/{office}/call-next", // CounterPagesTests
        "POST /staff/offices/{office}/tickets/{ticket}/{step}", "POST /staff/offices/{office}/check-in", // CounterPagesTests
        "POST /offices/{office}/appointments", "GET /my/appointments/{id}", "POST /my/appointments/{id}/cancel", "POST /my/appointments/{id}/check-in", // CounterPagesTests
        "POST /staff/people/{id}/appointments", "POST /staff/contact/find", "POST /staff/contact/log", "POST /staff/contact/people/{id}/log", // CounterPagesTests
        "POST /staff/offices/{office}/closures", "POST /staff/contact/people/{id}/verify", "POST /staff/contact/callbacks/{id}/done", "POST /staff/interpreters/{id}/{status}", // CounterPagesTests
        "GET /verify-email/{token}", "GET /password-reset/{token}", "POST /password-reset", "POST /password-reset/{token}", // token routes: SignInTests, SessionTests
    ]

    @Test func everyRegisteredRouteIsInTheMatrixOrCoveredElsewhere() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("anydoor-matrix-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let services = try AppServices.open(configuration: TestApp.configuration(dataDirectory: folder.path), logger: Logger(label: "test"))
        let router = try await buildRouter(services: services, registry: .init())
        await services.database.shutdown()
        let inMatrix = Set(Self.rules.map { rule in
            var path = rule.path.replacingOccurrences(of: "{person}", with: "{id}")
            // Hummingbird names a parameter at one position by the first route registered there.
            if path.hasPrefix("/ministries/") || path.hasPrefix("/api/v1/life-events/") { path = path.replacingOccurrences(of: "{event}", with: "{code}").replacingOccurrences(of: "{ministry}", with: "{code}") }
            if path.hasPrefix("/life-events/") { path = path.replacingOccurrences(of: "{event}", with: "{code}") }
            return "\(rule.method.rawValue) \(path)"
        })
        for route in router.routes {
            let name = "\(route.method.rawValue) \(route.path.description)"
            #expect(inMatrix.contains(name) || Self.coveredElsewhere.contains(name), "\(name) is in neither the authorisation matrix nor the covered list")
        }
    }

    @Test func everyCallerGetsExactlyTheAccessTheMatrixSays() async throws {
        let clock = TestClock()
        try await TestApp.run({ $0.seedDemoCatalogue = true }, clock: clock) { client in
            // setup: one signed-in browser per caller
            var browsers: [Caller: Browser] = [:]
            let oneFactor = Browser(client)
            try await oneFactor.register(email: "one.factor@example.ca")
            browsers[.personOneFactor] = oneFactor
            let twoFactors = Browser(client)
            try await twoFactors.register(email: "two.factors@example.ca")
            _ = try await twoFactors.enableTOTP(clock: { clock.now })
            browsers[.personTwoFactors] = twoFactors
            for (local, _, role) in DemoStaff.members {
                let browser = Browser(client)
                try await browser.get("/staff/sign-in")
                let first = try await browser.post("/staff/sign-in", ["email": DemoStaff.email(local), "password": DemoStaff.password])
                #expect(first.location?.hasPrefix("/sign-in/code") == true, "staff must give a second factor")
                try await browser.get("/sign-in/code")
                let second = try await browser.post("/sign-in/code", ["code": OneTimeCodes.code(secret: DemoStaff.totpSecret(role), at: clock.now)])
                #expect(second.status == .found, "\(role) could not sign in")
                browsers[.staff(role)] = browser
            }
            browsers[.anonymous] = Browser(client)
            let ministryID = try await client.execute(uri: "/api/v1/ministries", method: .get) { response in
                try #require(((try response.json()["items"] as? [[String: Any]])?.first?["id"]) as? String)
            }
            // Reading another person's record by id: the one-factor person's record, asked for by everyone.
            let counter = try #require(browsers[.staff(.counterAgent)])
            try await counter.get("/staff/people")
            let personID = try #require(try await counter.post("/staff/people/find", ["email": "one.factor@example.ca"]).location?.split(separator: "/").last.map(String.init))
            // MUT + validate
            for rule in Self.rules {
                let path = rule.path.replacingOccurrences(of: "/open311/v2/services/{file}", with: "/open311/v2/services/register-birth.xml")
                    .replacingOccurrences(of: "{id}", with: ministryID).replacingOccurrences(of: "{code}", with: "register-birth")
                    .replacingOccurrences(of: "{event}", with: "having-a-baby").replacingOccurrences(of: "{ministry}", with: "HLTH")
                    .replacingOccurrences(of: "{version}", with: "1").replacingOccurrences(of: "{lang}", with: "fa").replacingOccurrences(of: "{file}", with: "services.json")
                    .replacingOccurrences(of: "{person}/", with: personID + "/").replacingOccurrences(of: "{person}", with: personID + "?purpose=privacy-review")
                    .replacingOccurrences(of: "{office}", with: "TRN")
                for caller in Caller.all {
                    let status: HTTPResponse.Status
                    let location: String?
                    if caller == .adminToken {
                        (status, location) = try await client.execute(uri: path, method: rule.method, headers: .admin, body: rule.method == .get ? nil : .json("{}")) { ($0.status, $0.headers[.location]) }
                    } else {
                        let browser = try #require(browsers[caller])
                        let cookie = browser.cookies.map { "\($0.key)=\($0.value)" }.joined(separator: "; ")
                        var headers: HTTPFields = [.contentType: "application/json"]
                        if !cookie.isEmpty { headers[.cookie] = cookie }
                        (status, location) = try await client.execute(uri: path, method: rule.method, headers: headers, body: rule.method == .get ? nil : .json("{}")) { ($0.status, $0.headers[.location]) }
                    }
                    // Sent to sign in or to step up is a refusal (with a way on); any other redirect is the page's own answer.
                    let sentAway = status == .found && (location?.hasPrefix("/sign-in") == true || location?.hasPrefix("/account/step-up") == true)
                    let allowed = (200..<300).contains(status.code) || status == .unprocessableContent || (status == .found && !sentAway)
                    if rule.path == "/staff/people/{person}", caller == .personOneFactor || caller == .personTwoFactors {
                        #expect(status == .forbidden, "a person read someone's record by id: \(status.code)")
                    }
                    let refused = [401, 403].contains(status.code) || sentAway
                    if rule.allowed(caller) {
                        #expect(allowed, "\(caller) should be allowed \(rule.method) \(rule.path), got \(status.code)")
                    } else {
                        #expect(refused, "\(caller) should be refused \(rule.method) \(rule.path), got \(status.code)")
                    }
                }
            }
        }
    }
}
