@testable import AnyDoorApp
import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import Testing

@Suite struct CrossCuttingTests {
    @Test(arguments: ["/", "/ministries", "/api/v1/ministries", "/health/live", "/no-such-page", "/assets/anydoor.css"])
    func everyResponseCarriesTheSecurityHeaders(_ path: String) async throws {
        try await TestApp.run { client in
            try await client.execute(uri: path, method: .get) { response in
                let csp = try #require(response.headers[.contentSecurityPolicy])
                #expect(csp.contains("frame-ancestors 'none'"))
                #expect(csp.contains("script-src 'self'"))
                #expect(!csp.contains("unsafe-inline"))
                #expect(response.headers[.xContentTypeOptions] == "nosniff")
                #expect(response.headers[.strictTransportSecurity]?.hasPrefix("max-age=") == true)
                #expect(response.headers[.referrerPolicy] == "strict-origin-when-cross-origin")
                #expect(response.headers[.server] == nil)
            }
        }
    }

    @Test func pagesAreNotCachedButAssetsAre() async throws {
        try await TestApp.run { client in
            try await client.execute(uri: "/ministries", method: .get) { response in
                #expect(response.headers[.cacheControl] == "no-store")
            }
            try await client.execute(uri: "/assets/anydoor.css", method: .get) { response in
                #expect(response.status == .ok)
                #expect(response.headers[.cacheControl]?.contains("max-age=3600") == true)
            }
        }
    }

    @Test func aSafeIncomingRequestIDIsEchoedAndAnUnsafeOneReplaced() async throws {
        try await TestApp.run { client in
            try await client.execute(uri: "/health/live", method: .get, headers: [.xRequestID: "abc-123-def-456"]) { response in
                #expect(response.headers[.xRequestID] == "abc-123-def-456")
            }
            try await client.execute(uri: "/health/live", method: .get, headers: [.xRequestID: "bad id\nwith newline"]) { response in
                let id = try #require(response.headers[.xRequestID])
                #expect(id.count == 32)
                #expect(id.allSatisfy { $0.isHexDigit })
            }
        }
    }

    @Test func anUnknownPageGetsAnAccessible404PageWithTheRequestID() async throws {
        try await TestApp.run { client in
            try await client.execute(uri: "/no-such-page", method: .get, headers: [.accept: "text/html"]) { response in
                #expect(response.status == .notFound)
                #expect(response.headers[.contentType] == "text/html; charset=utf-8")
                let id = try #require(response.headers[.xRequestID])
                #expect(response.text.contains("<h1>Page not found</h1>"))
                #expect(response.text.contains(id))
                #expect(response.text.contains(##"<a class="skip-link" href="#main">"##))
            }
            try await client.execute(uri: "/api/v1/nothing", method: .get) { response in
                #expect(response.status == .notFound)
                #expect(response.headers[.contentType] == "application/problem+json")
            }
        }
    }

    @Test func theLayoutSetsLanguageAndDirectionAndLinksEveryLanguage() async throws {
        try await TestApp.run { client in
            try await client.execute(uri: "/ministries", method: .get) { response in
                let html = response.text
                #expect(html.contains(#"<html lang="en" dir="ltr">"#))
                #expect(html.contains(#"<main id="main""#))
                #expect(html.contains(#"href="/assets/anydoor.css""#))
                for tag in ["fr", "zh-Hans", "zh-Hant", "pa", "tl", "ko", "fa", "ar", "vi", "es", "hi", "ja", "uk"] {
                    #expect(html.contains(#"hreflang="\#(tag)" href="/ministries?lang=\#(tag)""#), "no link to \(tag)")
                }
                #expect(html.contains("Ministry of Citizens&#39;") || html.contains("Ministry of Citizens&#x27;") || html.contains("Ministry of Citizens'"))
            }
            try await client.execute(uri: "/ministries?lang=fa", method: .get) { response in
                #expect(response.text.contains(#"<html lang="fa" dir="rtl">"#))
                #expect(response.headers[.contentLanguage] == "fa")
            }
        }
    }

    @Test func theOpenAPIDocumentDescribesEveryRegisteredJSONRoute() async throws {
        // setup: the routes the application really registers
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("anydoor-openapi-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        var logger = Logger(label: "test")
        logger.logLevel = .warning
        let services = try AppServices.open(configuration: TestApp.configuration(dataDirectory: folder.path), logger: logger)
        let router = try await buildRouter(services: services, registry: .init())
        await services.database.shutdown()
        let jsonRoutes = router.routes.filter { $0.path.description.hasPrefix("/api/") || $0.path.description.hasPrefix("/health/") }
        #expect(!jsonRoutes.isEmpty)
        // MUT: the served document
        let data = try await TestApp.run { client in
            try await client.execute(uri: "/openapi.json", method: .get) { Data(buffer: $0.body) }
        }
        let document = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        // validate
        #expect(document["openapi"] as? String == "3.1.0")
        let paths = try #require(document["paths"] as? [String: [String: Any]])
        for route in jsonRoutes {
            let operation = paths[route.path.description]?[route.method.rawValue.lowercased()]
            #expect(operation != nil, "\(route.method.rawValue) \(route.path.description) is not in openapi.json")
        }
    }
}
