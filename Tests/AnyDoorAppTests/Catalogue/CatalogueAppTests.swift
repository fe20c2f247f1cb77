@testable import AnyDoorApp
import AnyDoorCore
import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import Hummingbird
import HummingbirdTesting
import Testing

extension Browser {
    /// Signs in the demo member of staff holding `role`, with the TOTP code of `clock`'s time.
    func signInStaff(_ role: StaffRole, clock: TestClock) async throws {
        let local = try #require(DemoStaff.members.first { $0.2 == role }?.0)
        try await get("/staff/sign-in")
        _ = try await post("/staff/sign-in", ["email": DemoStaff.email(local), "password": DemoStaff.password])
        try await get("/sign-in/code")
        let done = try await post("/sign-in/code", ["code": OneTimeCodes.code(secret: DemoStaff.totpSecret(role), at: clock.now)])
        #expect(done.status == .found, "\(role) could not sign in")
        clock.advance(minutes: 0.6) // the next sign-in needs a fresh TOTP step
    }
}

func withCatalogueApp<Result: Sendable>(clock: TestClock = TestClock(), _ test: @Sendable (any TestClientProtocol) async throws -> Result) async throws -> Result {
    try await TestApp.run({ $0.seedDemoCatalogue = true }, clock: clock, test)
}

@Suite struct CatalogueAPITests {
    @Test func searchReadsAndFiltersArePublicAndBadParametersAreNamed() async throws {
        try await withCatalogueApp { client in
            try await client.execute(uri: "/api/v1/services?q=%E5%87%BA%E7%94%9F%E7%99%BB%E8%AE%B0&lang=zh-Hans", method: .get) { response in
                #expect(response.status == .ok)
                let results = try #require(try response.json()["results"] as? [[String: Any]])
                #expect(results.first?["code"] as? String == "register-birth")
                #expect(results.first?["title"] as? String == "办理出生登记")
                #expect(results.first?["titleLanguage"] as? String == "zh-Hans")
            }
            try await client.execute(uri: "/api/v1/services?life_event=having-a-baby&audience=people", method: .get) { response in
                let results = try #require(try response.json()["results"] as? [[String: Any]])
                #expect(results.count >= 4)
                #expect(results.contains { $0["code"] as? String == "register-birth" })
            }
            try await client.execute(uri: "/api/v1/services?channel=fax&lang=xx&limit=500", method: .get) { response in
                #expect(response.status == .unprocessableContent)
                let errors = try #require(try response.json()["errors"] as? [[String: Any]])
                #expect(errors.compactMap { $0["field"] as? String } == ["lang"]) // the first refusal stops it
            }
            try await client.execute(uri: "/api/v1/services?channel=fax", method: .get) { response in
                #expect(response.status == .unprocessableContent)
                #expect(String(buffer: response.body).contains("\"field\":\"channel\""))
            }
            try await client.execute(uri: "/api/v1/services/register-birth", method: .get) { response in
                let body = try response.json()
                #expect(body["version"] as? Int == 1)
                #expect((body["translations"] as? [String: String])?["fa"] == "draft")
                #expect((body["translations"] as? [String: String])?["en"] == "reviewed")
                let service = try #require(body["service"] as? [String: Any])
                #expect(service["ministry"] as? String == "HLTH")
                #expect(service["processingTime"] as? String != nil)
            }
            try await client.execute(uri: "/api/v1/services/no-such-service", method: .get) { #expect($0.status == .notFound) }
            try await client.execute(uri: "/api/v1/services/suggestions?q=regi&lang=en", method: .get) { response in
                let results = try #require(try response.json()["results"] as? [[String: Any]])
                #expect(results.count <= 8)
                #expect(results.contains { $0["code"] as? String == "register-birth" })
            }
        }
    }

    @Test func draftsAreWrittenByRoleAndPublishingNamesEachMissingField() async throws {
        try await withCatalogueApp { client in
            let draft = #"{"code":"apply-boat-grant","ministry":"MOTT","title":{"en":"Apply for a boat grant"}}"#
            try await client.execute(uri: "/api/v1/services", method: .post, headers: .json, body: .json(draft)) { #expect($0.status == .unauthorized) }
            try await client.execute(uri: "/api/v1/services", method: .post, headers: .admin, body: .json(draft)) { response in
                #expect(response.status == .created)
                #expect(response.headers[.location] == "/api/v1/services/apply-boat-grant/draft")
                let problems = try #require(try response.json()["problems"] as? [[String: Any]]).compactMap { $0["field"] as? String }
                #expect(problems == ["description.en", "programArea", "channels", "audience", "processingTime"])
            }
            try await client.execute(uri: "/api/v1/services", method: .post, headers: .admin, body: .json(draft)) { #expect($0.status == .conflict) }
            for step in ["publish", "retire", "send-back", "submit"] {
                try await client.execute(uri: "/api/v1/services/apply-boat-grant/\(step)", method: .post, headers: .json, body: .json("{}")) { #expect($0.status == .unauthorized, "\(step)") }
            }
            try await client.execute(uri: "/api/v1/life-events/having-a-baby", method: .put, headers: .json, body: .json("{}")) { #expect($0.status == .unauthorized) }
            try await client.execute(uri: "/api/v1/life-events/having-a-baby", method: .put, headers: .admin,
                                     body: .json(#"{"code":"x","position":1,"title":{"en":"Having a baby","fr":"Avoir un bébé"},"description":{"en":"Everything for a new baby."}}"#)) { response in
                #expect(response.status == .ok)
                let body = try response.json()
                #expect(body["code"] as? String == "having-a-baby")
            }
            try await client.execute(uri: "/api/v1/life-events/having-a-baby", method: .put, headers: .admin,
                                     body: .json(#"{"code":"x","position":1,"title":{"fr":"Avoir un bébé"},"description":{"en":"x"}}"#)) { #expect($0.status == .unprocessableContent) }
            try await client.execute(uri: "/api/v1/services/apply-boat-grant/submit", method: .post, headers: .admin, body: .json("{}")) { response in
                #expect(response.status == .unprocessableContent)
                let fields = try #require(try response.json()["errors"] as? [[String: Any]]).compactMap { $0["field"] as? String }
                #expect(fields == ["description.en", "programArea", "channels", "audience", "processingTime"])
            }
            let complete = #"""
            {"code":"apply-boat-grant","ministry":"MOTT","programArea":"Marine","title":{"en":"Apply for a boat grant"},
             "description":{"en":"Money for small boat owners."},"audience":["people"],"processingTime":"P2W",
             "channels":{"online":true,"inPerson":true},"fields":[{"code":"length","datatype":"number","required":true,"label":{"en":"Boat length in metres"}}]}
            """#
            try await client.execute(uri: "/api/v1/services/apply-boat-grant/draft", method: .put, headers: .admin, body: .json(complete)) { #expect($0.status == .ok) }
            try await client.execute(uri: "/api/v1/services/apply-boat-grant/draft", method: .put, headers: .admin,
                                     body: .json(complete.replacingOccurrences(of: "\"code\":\"apply-boat-grant\"", with: "\"code\":\"other\""))) { #expect($0.status == .unprocessableContent) }
            try await client.execute(uri: "/api/v1/services/apply-boat-grant/publish", method: .post, headers: .admin, body: .json("{}")) { #expect($0.status == .conflict) }
            try await client.execute(uri: "/api/v1/services/apply-boat-grant/submit", method: .post, headers: .admin, body: .json("{}")) { #expect($0.status == .ok) }
            try await client.execute(uri: "/api/v1/services/apply-boat-grant/send-back", method: .post, headers: .admin, body: .json(#"{"comment":""}"#)) { #expect($0.status == .unprocessableContent) }
            try await client.execute(uri: "/api/v1/services/apply-boat-grant/publish", method: .post, headers: .admin, body: .json("{}")) { response in
                #expect(response.status == .ok)
                let body = try response.json()
                #expect(body["version"] as? Int == 1)
            }
            let found = try await client.execute(uri: "/api/v1/services?q=boat%20grant", method: .get) { try $0.json() }
            #expect((found["results"] as? [[String: Any]])?.first?["code"] as? String == "apply-boat-grant")
            try await client.execute(uri: "/open311/v2/services/apply-boat-grant.json", method: .get) { response in
                #expect(String(buffer: response.body).contains(#""datatype":"number""#))
            }
            try await client.execute(uri: "/api/v1/services/apply-boat-grant/diff?from=1&to=2", method: .get) { #expect($0.status == .notFound) }
            try await client.execute(uri: "/api/v1/services/apply-boat-grant/diff?from=x", method: .get) { #expect($0.status == .unprocessableContent) }
        }
    }
}

@Suite struct Open311DiscoveryTests {
    /// The same data in both formats: every JSON member appears as an XML element with the same text.
    @Test func servicesAndDefinitionsCarryTheSameDataInJSONAndXML() async throws {
        try await withCatalogueApp { client in
            let json = try await client.execute(uri: "/open311/v2/services.json", method: .get) { response in
                #expect(response.headers[.contentType] == "application/json; charset=utf-8")
                return try #require(try JSONSerialization.jsonObject(with: Data(buffer: response.body)) as? [[String: Any]])
            }
            let xml = try await client.execute(uri: "/open311/v2/services.xml", method: .get) { response in
                #expect(response.headers[.contentType] == "text/xml; charset=utf-8")
                return String(buffer: response.body)
            }
            #expect(xml.hasPrefix(#"<?xml version="1.0" encoding="utf-8"?>"#))
            #expect(json.count == 155)
            for service in json {
                // REFERENCE.md section 2: the list's fields, with codes as strings and metadata a boolean.
                #expect(Set(service.keys) == ["service_code", "service_name", "description", "metadata", "type", "keywords", "group"])
                #expect(service["service_code"] is String && service["metadata"] is Bool)
                #expect(["realtime", "batch", "blackbox"].contains(service["type"] as? String))
            }
            let xmlDocument = try XMLDocument(xmlString: xml)
            let codes = try xmlDocument.nodes(forXPath: "/services/service/service_code").map { $0.stringValue ?? "" }
            #expect(codes == json.map { $0["service_code"] as! String })
            let names = try xmlDocument.nodes(forXPath: "/services/service/service_name").map { $0.stringValue ?? "" }
            #expect(names == json.map { $0["service_name"] as! String })
            let metadata = try xmlDocument.nodes(forXPath: "/services/service/metadata").map { $0.stringValue ?? "" }
            #expect(metadata == json.map { ($0["metadata"] as! Bool) ? "true" : "false" })

            let definition = try await client.execute(uri: "/open311/v2/services/register-birth.json", method: .get) {
                try #require(try JSONSerialization.jsonObject(with: Data(buffer: $0.body)) as? [String: Any])
            }
            #expect(definition["service_code"] as? String == "register-birth")
            let attributes = try #require(definition["attributes"] as? [[String: Any]])
            #expect(!attributes.isEmpty)
            for (index, attribute) in attributes.enumerated() {
                #expect(Set(attribute.keys) == ["variable", "code", "datatype", "required", "datatype_description", "order", "description", "values"])
                #expect(attribute["order"] as? Int == index + 1)
                #expect(attribute["variable"] as? Bool == true && attribute["required"] is Bool && attribute["code"] is String)
                #expect(["string", "number", "datetime", "text", "singlevaluelist", "multivaluelist"].contains(attribute["datatype"] as? String))
            }
            let definitionXML = try await client.execute(uri: "/open311/v2/services/register-birth.xml", method: .get) { try XMLDocument(data: Data(buffer: $0.body)) }
            let xmlCodes = try definitionXML.nodes(forXPath: "/service_definition/attributes/attribute/code").map { $0.stringValue ?? "" }
            #expect(xmlCodes == attributes.map { $0["code"] as! String })
            let xmlOrders = try definitionXML.nodes(forXPath: "/service_definition/attributes/attribute/order").map { $0.stringValue ?? "" }
            #expect(xmlOrders == attributes.map { String($0["order"] as! Int) })
        }
    }

    @Test func unknownCodesAndFormatsAnswer404WithTheSpecifiedErrorBody() async throws {
        try await withCatalogueApp { client in
            try await client.execute(uri: "/open311/v2/services/no-such-service.json", method: .get) { response in
                #expect(response.status == .notFound)
                let errors = try #require(try JSONSerialization.jsonObject(with: Data(buffer: response.body)) as? [[String: Any]])
                #expect(errors.first?["code"] as? Int == 404)
                #expect(errors.first?["description"] is String)
            }
            try await client.execute(uri: "/open311/v2/services/no-such-service.xml", method: .get) { response in
                #expect(response.status == .notFound)
                let document = try XMLDocument(data: Data(buffer: response.body))
                #expect(try document.nodes(forXPath: "/errors/error/code").first?.stringValue == "404")
            }
            try await client.execute(uri: "/open311/v2/services.html", method: .get) { #expect($0.status == .notFound) }
            try await client.execute(uri: "/open311/v2/services.json?jurisdiction_id=toronto.ca", method: .get) { #expect($0.status == .notFound) }
            try await client.execute(uri: "/open311/v2/services.json?jurisdiction_id=", method: .get) { #expect($0.status == .ok) }
        }
    }

    @Test func discoveryNamesTheEndpointInBothFormats() async throws {
        try await withCatalogueApp { client in
            let json = try await client.execute(uri: "/open311/v2/discovery.json", method: .get) {
                try #require(try JSONSerialization.jsonObject(with: Data(buffer: $0.body)) as? [String: Any])
            }
            #expect(Set(json.keys) == ["changeset", "contact", "key_service", "endpoints"])
            let endpoint = try #require((json["endpoints"] as? [[String: Any]])?.first)
            #expect(endpoint["specification"] as? String == "http://wiki.open311.org/GeoReport_v2")
            #expect(endpoint["formats"] as? [String] == ["text/xml", "application/json"])
            #expect(ISO8601DateFormatter().date(from: json["changeset"] as? String ?? "") != nil)
            let xml = try await client.execute(uri: "/open311/v2/discovery.xml", method: .get) { try XMLDocument(data: Data(buffer: $0.body)) }
            #expect(try xml.nodes(forXPath: "/discovery/endpoints/endpoint/formats/format").map { $0.stringValue ?? "" } == ["text/xml", "application/json"])
            #expect(try xml.nodes(forXPath: "/discovery/changeset").first?.stringValue == json["changeset"] as? String)
        }
    }
}

@Suite struct CataloguePagesTests {
    @Test func aServicePageSaysHowToGetItWithJSONLDAndANoticeWhenTextIsMissing() async throws {
        try await withCatalogueApp { client in
            let page = try await client.execute(uri: "/services/register-birth?lang=fa", method: .get) { String(buffer: $0.body) }
            #expect(page.contains(#"<html lang="fa" dir="rtl">"#))
            #expect(page.contains("ثبت تولد"))
            #expect(!page.contains("Ministry of Health")) // the ministry's name is in Farsi too
            #expect(page.contains(#"href="tel:+18888761633""#) || page.contains(#"href="tel:+1"#))
            let jsonText = try #require(Browser.capture(#"<script type="application/ld\+json">(.*?)</script>"#, in: page))
            let jsonLD = try #require(try JSONSerialization.jsonObject(with: Data(jsonText.utf8)) as? [String: Any])
            #expect(jsonLD["@type"] as? String == "GovernmentService")
            #expect((jsonLD["provider"] as? [String: Any])?["identifier"] as? String == "HLTH")
            #expect((jsonLD["availableChannel"] as? [[String: Any]])?.isEmpty == false)
            // A service with no translation into a language shows English marked as English, with a notice.
            let created = #"{"code":"apply-boat-grant","ministry":"MOTT","programArea":"Marine","title":{"en":"Apply for a boat grant"},"description":{"en":"Money for boats."},"audience":["people"],"processingTime":"P2W","channels":{"inPerson":true}}"#
            try await client.execute(uri: "/api/v1/services", method: .post, headers: .admin, body: .json(created)) { #expect($0.status == .created) }
            try await client.execute(uri: "/api/v1/services/apply-boat-grant/submit", method: .post, headers: .admin, body: .json("{}")) { #expect($0.status == .ok) }
            try await client.execute(uri: "/api/v1/services/apply-boat-grant/publish", method: .post, headers: .admin, body: .json("{}")) { #expect($0.status == .ok) }
            let korean = try await client.execute(uri: "/services/apply-boat-grant?lang=ko", method: .get) { String(buffer: $0.body) }
            #expect(korean.contains(#"<h1 lang="en">Apply for a boat grant</h1>"#))
            #expect(korean.contains(#"class="notice" role="note""#))
            try await client.execute(uri: "/services/nothing-here", method: .get) { #expect($0.status == .notFound) }
            // The document kept for visitors who are not signed in is never given to someone signed in.
            let anonymous = try await client.execute(uri: "/services/register-birth", method: .get) { String(buffer: $0.body) }
            #expect(!anonymous.contains(#"action="/sign-out""#))
            let person = Browser(client)
            try await person.register(email: "reader@example.ca")
            let signedIn = try await person.get("/services/register-birth")
            #expect(signedIn.html.contains(#"action="/sign-out""#))
            // A new version is shown at once on this node, even though the old page was kept.
            let before = try await client.execute(uri: "/services/apply-boat-grant", method: .get) { String(buffer: $0.body) }
            #expect(before.contains("Version 1,"))
            var document = try #require(try await client.execute(uri: "/api/v1/services/apply-boat-grant", method: .get) { try $0.json() }["service"] as? [String: Any])
            document["processingTime"] = "P3D"
            let body = String(decoding: try JSONSerialization.data(withJSONObject: document), as: UTF8.self)
            try await client.execute(uri: "/api/v1/services/apply-boat-grant/draft", method: .put, headers: .admin, body: .json(body)) { #expect($0.status == .ok) }
            try await client.execute(uri: "/api/v1/services/apply-boat-grant/submit", method: .post, headers: .admin, body: .json("{}")) { #expect($0.status == .ok) }
            try await client.execute(uri: "/api/v1/services/apply-boat-grant/publish", method: .post, headers: .admin, body: .json("{}")) { #expect($0.status == .ok) }
            let updated = try await client.execute(uri: "/services/apply-boat-grant", method: .get) { String(buffer: $0.body) }
            #expect(updated.contains("Version 2,"))
            #expect(updated.contains("3 days"))
        }
    }

    @Test func searchLifeEventAndMinistryPagesListTheirServices() async throws {
        try await withCatalogueApp { client in
            let search = try await client.execute(uri: "/services?q=evenement&lang=fr", method: .get) { String(buffer: $0.body) }
            #expect(search.contains(#"<html lang="fr""#))
            // A GET form sends spaces as "+" (application/x-www-form-urlencoded).
            let spaced = try await client.execute(uri: "/services?q=register+birth&lang=en", method: .get) { String(buffer: $0.body) }
            #expect(spaced.contains(#"value="register birth""#))
            #expect(spaced.contains("/services/register-birth"))
            let bad = try await client.execute(uri: "/services?channel=fax", method: .get) { ($0.status, String(buffer: $0.body)) }
            #expect(bad.0 == .badRequest)
            #expect(bad.1.contains("error-summary"))
            let event = try await client.execute(uri: "/life-events/having-a-baby?lang=zh-Hant", method: .get) { String(buffer: $0.body) }
            #expect(event.contains("/services/register-birth"))
            #expect(event.contains("辦理出生登記"))
            let ministry = try await client.execute(uri: "/ministries/HLTH", method: .get) { String(buffer: $0.body) }
            #expect(ministry.contains("/services/enrol-msp"))
            try await client.execute(uri: "/ministries/NOPE", method: .get) { #expect($0.status == .notFound) }
            try await client.execute(uri: "/life-events/nothing", method: .get) { #expect($0.status == .notFound) }
            let home = try await client.execute(uri: "/", method: .get) { String(buffer: $0.body) }
            #expect(home.contains("/life-events/having-a-baby"))
            #expect(home.contains(#"action="/services""#))
        }
    }
}

@Suite struct CatalogueStaffPagesTests {
    @Test func anOwnerDraftsAStewardSendsItBackThenPublishes() async throws {
        let clock = TestClock()
        try await withCatalogueApp(clock: clock) { client in
            let owner = Browser(client)
            try await owner.signInStaff(.serviceOwner, clock: clock)
            try await owner.get("/staff/catalogue/new")
            // Invalid identifier: the form comes back with the error at the field, and nothing is created.
            let refused = try await owner.post("/staff/catalogue/new", ["serviceCode": "Boat Grant!", "title": "Apply for a boat grant", "ministry": "MOTT"])
            #expect(refused.status == .unprocessableContent)
            #expect(refused.html.contains(#"id="field-serviceCode-error""#))
            #expect(refused.html.contains(#"aria-invalid="true""#))
            try await client.execute(uri: "/api/v1/services/boat-grant/draft", method: .get, headers: .admin) { #expect($0.status == .notFound) }
            let created = try await owner.post("/staff/catalogue/new", ["serviceCode": "boat-grant", "title": "Apply for a boat grant", "ministry": "MOTT"])
            #expect(created.location == "/staff/catalogue/boat-grant")
            // Submitting an incomplete draft re-renders the form with each missing field named.
            try await owner.get("/staff/catalogue/boat-grant/edit")
            let incomplete = try await owner.post("/staff/catalogue/boat-grant/edit", ["intent": "submit", "title": "Apply for a boat grant", "ministry": "MOTT", "text_language": "en"])
            #expect(incomplete.status == .unprocessableContent)
            for field in ["description", "programArea", "channels", "audience", "processingTime"] {
                #expect(incomplete.html.contains("href=\"#field-\(field)\""), "\(field) is not in the error summary")
            }
            let submitted = try await owner.post("/staff/catalogue/boat-grant/edit", [
                "intent": "submit", "text_language": "en", "title": "Apply for a boat grant", "description": "Money for small boat owners.",
                "keywords": "boat, grant", "ministry": "MOTT", "programArea": "Marine", "audience": "people", "online": "yes", "inPerson": "yes",
                "processingTime": "p2w", "cost": "", "assurance": "2", "authentication": "2",
                "formFields": "length | number | required | Boat length in metres | Round to the nearest metre |",
            ])
            #expect(submitted.location == "/staff/catalogue/boat-grant?done=submitted")
            // The owner cannot publish; the steward can, after sending it back once.
            try await owner.get("/staff/catalogue/boat-grant")
            #expect(try await owner.post("/staff/catalogue/boat-grant/publish", [:]).status == .forbidden)
            let steward = Browser(client)
            try await steward.signInStaff(.catalogueSteward, clock: clock)
            let review = try await steward.get("/staff/catalogue/boat-grant")
            #expect(review.html.contains("/staff/catalogue/boat-grant/send-back"))
            let noComment = try await steward.post("/staff/catalogue/boat-grant/send-back", ["comment": " "])
            #expect(noComment.status == .unprocessableContent)
            #expect(noComment.html.contains(#"id="field-comment-error""#))
            try await steward.get("/staff/catalogue/boat-grant")
            #expect(try await steward.post("/staff/catalogue/boat-grant/send-back", ["comment": "Add who can apply."]).location == "/staff/catalogue?done=sent-back")
            let returned = try await owner.get("/staff/catalogue/boat-grant")
            #expect(returned.html.contains("Add who can apply."))
            #expect(try await owner.post("/staff/catalogue/boat-grant/submit", [:]).location == "/staff/catalogue/boat-grant?done=submitted")
            try await steward.get("/staff/catalogue/boat-grant")
            #expect(try await steward.post("/staff/catalogue/boat-grant/publish", [:]).location == "/staff/catalogue/boat-grant?done=published")
            let published = try await client.execute(uri: "/api/v1/services/boat-grant", method: .get) { try $0.json() }
            let service = try #require(published["service"] as? [String: Any])
            #expect(service["processingTime"] as? String == "P2W")
            #expect((service["requirement"] as? [String: Any])?["assurance"] as? Int == 2)
            #expect(((service["fields"] as? [[String: Any]])?.first?["label"] as? [String: String])?["en"] == "Boat length in metres")
            // Without the form's CSRF token nothing happens.
            #expect(try await steward.post("/staff/catalogue/boat-grant/retire", [:], csrf: "forged").status == .forbidden)
        }
    }
}

@Suite struct TranslationPagesTests {
    @Test func theCoveragePageChartsEveryLanguageAndTheStewardImportsTranslations() async throws {
        let clock = TestClock()
        try await withCatalogueApp(clock: clock) { client in
            let page = try await client.execute(uri: "/translations?lang=fa", method: .get) { String(buffer: $0.body) }
            #expect(page.contains(#"<svg class="chart" role="img""#))
            for language in LanguageCode.allCases { #expect(page.contains(#"lang="\#(language.rawValue)""#)) }
            let coverage = try await client.execute(uri: "/api/v1/translations", method: .get) {
                try #require(try JSONSerialization.jsonObject(with: Data(buffer: $0.body)) as? [[String: Any]])
            }
            #expect(coverage.count == 14)
            #expect(coverage.first { $0["language"] as? String == "en" }?["reviewed"] as? Int == 155)
            // Every demo service has a drafted Farsi title and description.
            #expect(coverage.first { $0["language"] as? String == "fa" }?["translatedPercent"] as? Int == 100)

            // The export for translators, and the import back through the steward's page.
            let export = try await client.execute(uri: "/api/v1/translations/ko?status=draft&ministry=HLTH", method: .get) { response in
                #expect(response.headers[.contentDisposition] == #"attachment; filename="catalogue-ko-draft.json""#)
                return try response.json()
            }
            var services = try #require(export["services"] as? [String: [String: Any]])
            #expect(services.keys.contains("register-birth"))
            services = ["register-birth": ["title": "출생 신고하기"]]
            let file = String(decoding: try JSONSerialization.data(withJSONObject: ["language": "ko", "status": "reviewed", "services": services]), as: UTF8.self)
            try await client.execute(uri: "/api/v1/translations/ko", method: .put, headers: .json, body: .json(file)) { #expect($0.status == .unauthorized) }
            let steward = Browser(client)
            try await steward.signInStaff(.catalogueSteward, clock: clock)
            try await steward.get("/staff/translations")
            let empty = try await steward.post("/staff/translations/import", ["file": " "])
            #expect(empty.status == .unprocessableContent && empty.html.contains(#"id="field-file-error""#))
            try await steward.get("/staff/translations")
            let rejected = try await steward.post("/staff/translations/import", ["file": file.replacingOccurrences(of: "register-birth", with: "register-nothing")])
            #expect(rejected.status == .unprocessableContent && rejected.html.contains("register-nothing: no published service has this code."))
            try await steward.get("/staff/translations")
            #expect(try await steward.post("/staff/translations/import", ["file": file]).location == "/staff/translations?updated=1")
            let service = try await client.execute(uri: "/api/v1/services/register-birth", method: .get) { try $0.json() }
            #expect(service["version"] as? Int == 2)
            #expect((service["translations"] as? [String: String])?["ko"] == "reviewed")
            // The owner may download but not import.
            let owner = Browser(client)
            try await owner.signInStaff(.serviceOwner, clock: clock)
            try await owner.get("/staff/translations")
            #expect(try await owner.post("/staff/translations/import", ["file": file]).status == .forbidden)
        }
    }
}
