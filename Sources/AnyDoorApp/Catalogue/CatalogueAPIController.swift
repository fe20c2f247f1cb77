import AnyDoorCore
import AnyDoorStore
import Foundation
import Hummingbird

/// The catalogue's JSON API (issue 5 item 7). Reading published services is public; drafts and review
/// follow the catalogue roles: service owners of the competent ministry (or a ministry system whose key
/// names the service) draft and submit; catalogue stewards send back, publish and retire.
struct CatalogueAPIController: Sendable {
    let catalogue: SQLCatalogue
    let ministries: MinistryService
    let environment: AnyDoorCore.Environment

    /// A published service as the API returns it.
    struct ServiceResource: Encodable, Sendable {
        let code: String
        let version: Int
        let retired: Bool
        let replacedBy: String?
        let translations: [String: String]
        let service: ServiceDescription
    }

    /// A service's working state, for its owner and stewards.
    struct WorkResource: Encodable, Sendable {
        let code: String
        let ministry: String
        let draftState: String?
        let reviewComment: String?
        let publishedVersion: Int?
        let retired: Bool
        let draft: ServiceDescription?
        /// What stops the draft from being published now (empty when nothing does).
        let problems: [FieldError]
    }

    struct SearchResult: Encodable, Sendable {
        let code: String
        let title: String
        let titleLanguage: String
        let summary: String
        let ministry: String
        let score: Int
        let url: String
    }

    struct SearchResource: Encodable, Sendable {
        let query: String
        let language: String
        let count: Int
        let results: [SearchResult]
    }

    struct VersionSummary: Encodable, Sendable {
        let version: Int
        let publishedAt: Date
        let publishedBy: String
    }

    struct DiffResource: Encodable, Sendable {
        let code: String
        let from: Int
        let to: Int
        let changes: [DocumentChange]
    }

    struct CommentInput: Decodable, Sendable { let comment: String? }
    struct RetireInput: Decodable, Sendable { let replacedBy: String? }

    func addRoutes(to router: Router<AppRequestContext>) {
        router.get("/api/v1/services") { request, context in
            let parameters = request.uri.queryParameters
            let language = try Self.language(parameters["lang"].map(String.init), default: context.language)
            let filter = try Self.filter(request)
            let text = request.formParameter("q") ?? ""
            let limit = try Self.limit(parameters["limit"].map(String.init))
            let results: [SearchResult]
            if SearchQuery(text).isEmpty {
                let services = try await catalogue.listPublished(filter)
                results = services.prefix(limit).map { Self.result($0.document, score: 0, language: language) }
            } else {
                let hits = try await catalogue.search(text, language: language, filter: filter, limit: limit)
                var found: [SearchResult] = []
                for hit in hits {
                    if let service = try await catalogue.published(hit.code) { found.append(Self.result(service.document, score: hit.score, language: language)) }
                }
                results = found
            }
            return try APIResponse.json(SearchResource(query: text, language: language.rawValue, count: results.count, results: results))
        }
        router.get("/api/v1/services/suggestions") { request, context in
            let parameters = request.uri.queryParameters
            let language = try Self.language(parameters["lang"].map(String.init), default: context.language)
            let query = request.formParameter("q") ?? ""
            let hits = try await catalogue.search(query, language: language, limit: 8)
            var results: [SearchResult] = []
            for hit in hits {
                if let service = try await catalogue.published(hit.code) { results.append(Self.result(service.document, score: hit.score, language: language)) }
            }
            return try APIResponse.json(SearchResource(query: query, language: language.rawValue, count: results.count, results: results))
        }
        router.get("/api/v1/services/{code}") { _, context in
            let code = try context.parameters.require("code")
            guard let service = try await catalogue.published(code)else { throw CatalogueError.notFound(code) }
            return try APIResponse.json(Self.resource(service))
        }
        router.get("/api/v1/services/{code}/versions") { _, context in
            let code = try context.parameters.require("code")
            let versions = try await catalogue.versions(code)
            guard !versions.isEmpty else { throw CatalogueError.notFound(code) }
            return try APIResponse.json(versions.map { VersionSummary(version: $0.version, publishedAt: $0.publishedAt, publishedBy: Self.publicName($0.publishedBy)) })
        }
        router.get("/api/v1/services/{code}/versions/{version}") { _, context in
            let code = try context.parameters.require("code")
            let number = try context.parameters.require("version", as: Int.self)
            guard let version = try await catalogue.version(code, number) else { throw CatalogueError.versionNotFound(code, number) }
            return try APIResponse.json(version.document)
        }
        router.get("/api/v1/services/{code}/diff") { request, context in
            let code = try context.parameters.require("code")
            let (from, to) = try Self.versionPair(request)
            let changes = try await Self.diff(catalogue, code, from, to)
            return try APIResponse.json(DiffResource(code: code, from: from, to: to, changes: changes))
        }
        router.get("/api/v1/services/{code}/draft") { _, context in
            try context.require(.readCatalogueWork)
            let code = try context.parameters.require("code")
            guard let entry = try await catalogue.entry(code) else { throw CatalogueError.notFound(code) }
            return try APIResponse.json(try await work(entry))
        }
        router.post("/api/v1/services") { request, context in
            let document = try await JSONBody.decode(ServiceDescription.self, from: request)
            try context.require(.draftService(ministry: try await ministryID(document.ministry), code: document.code))
            try await catalogue.createDraft(document, actor: context.actor.auditName, at: environment.now())
            guard let entry = try await catalogue.entry(document.code) else { throw CatalogueError.notFound(document.code) }
            var response = try APIResponse.json(try await work(entry), status: .created)
            response.headers[.location] = "/api/v1/services/\(document.code)/draft"
            return response
        }
        router.put("/api/v1/services/{code}/draft") { request, context in
            let code = try context.parameters.require("code")
            var document = try await JSONBody.decode(ServiceDescription.self, from: request)
            if document.code.isEmpty { document.code = code }
            guard document.code == code else {
                throw ValidationError(field: "code", code: "mismatch", message: "The body's code must be the code in the address; a service's code cannot change.")
            }
            guard let entry = try await catalogue.entry(code) else { throw CatalogueError.notFound(code) }
            // Both the current and the new competent ministry must be the caller's.
            try context.require(.draftService(ministry: try await ministryID(entry.ministry), code: code))
            try context.require(.draftService(ministry: try await ministryID(document.ministry), code: code))
            try await catalogue.saveDraft(document, actor: context.actor.auditName, at: environment.now())
            return try APIResponse.json(try await work(try await catalogue.entry(code)!))
        }
        router.post("/api/v1/services/{code}/submit") { _, context in
            let code = try context.parameters.require("code")
            guard let entry = try await catalogue.entry(code) else { throw CatalogueError.notFound(code) }
            try context.require(.draftService(ministry: try await ministryID(entry.ministry), code: code))
            try await catalogue.submit(code, actor: context.actor.auditName, at: environment.now())
            return try APIResponse.json(try await work(try await catalogue.entry(code)!))
        }
        router.post("/api/v1/services/{code}/send-back") { request, context in
            try context.require(.reviewCatalogue)
            let code = try context.parameters.require("code")
            let input = try await JSONBody.decode(CommentInput.self, from: request)
            try await catalogue.sendBack(code, comment: input.comment ?? "", actor: context.actor.auditName, at: environment.now())
            return try APIResponse.json(try await work(try await catalogue.entry(code)!))
        }
        router.post("/api/v1/services/{code}/publish") { _, context in
            try context.require(.reviewCatalogue)
            let code = try context.parameters.require("code")
            try await catalogue.publish(code, actor: context.actor.auditName, at: environment.now())
            guard let service = try await catalogue.published(code)else { throw CatalogueError.notFound(code) }
            return try APIResponse.json(Self.resource(service))
        }
        router.post("/api/v1/services/{code}/retire") { request, context in
            try context.require(.reviewCatalogue)
            let code = try context.parameters.require("code")
            let input = try await JSONBody.decode(RetireInput.self, from: request)
            try await catalogue.retire(code, replacedBy: input.replacedBy.flatMap { $0.isEmpty ? nil : $0 }, actor: context.actor.auditName, at: environment.now())
            guard let service = try await catalogue.published(code)else { throw CatalogueError.notFound(code) }
            return try APIResponse.json(Self.resource(service))
        }
        router.get("/api/v1/life-events") { _, _ in
            try APIResponse.json(try await catalogue.lifeEvents())
        }
        router.get("/api/v1/life-events/{code}") { _, context in
            let code = try context.parameters.require("code")
            guard let event = try await catalogue.lifeEvent(code) else {
                throw Problem(.notFound, slug: "not-found", title: "Not found", detail: "There is no life event '\(code)'.")
            }
            return try APIResponse.json(event)
        }
        router.put("/api/v1/life-events/{code}") { request, context in
            try context.require(.reviewCatalogue)
            let code = try context.parameters.require("code")
            var event = try await JSONBody.decode(LifeEvent.self, from: request)
            event.code = code
            try await catalogue.saveLifeEvent(event, actor: context.actor.auditName, at: environment.now())
            return try APIResponse.json(event)
        }
    }

    func ministryID(_ code: String) async throws -> MinistryID? {
        guard let code = MinistryCode(code) else { return nil }
        return try await ministries.find(code: code)?.id
    }

    func work(_ entry: CatalogueEntry) async throws -> WorkResource {
        let problems = entry.draft == nil ? [] : CatalogueRules.publishProblems(entry.draft!, context: try await catalogue.context())
        return WorkResource(code: entry.code, ministry: entry.ministry, draftState: entry.draftState?.rawValue, reviewComment: entry.reviewComment,
                            publishedVersion: entry.publishedVersion, retired: entry.isRetired, draft: entry.draft, problems: problems)
    }

    static func resource(_ service: PublishedService) -> ServiceResource {
        var translations: [String: String] = [:]
        for language in LanguageCode.allCases { translations[language.rawValue] = service.document.translationStatus(language).rawValue }
        return ServiceResource(code: service.code, version: service.version, retired: service.retired, replacedBy: service.replacedBy,
                               translations: translations, service: service.document)
    }

    static func result(_ document: ServiceDescription, score: Int, language: LanguageCode) -> SearchResult {
        let translated = document.title[language] != nil
        return SearchResult(code: document.code, title: document.title.resolved(for: language) ?? document.code,
                            titleLanguage: (translated ? language : .base).rawValue,
                            summary: document.description.resolved(for: language) ?? "", ministry: document.ministry, score: score,
                            url: "/services/\(document.code)")
    }

    /// Who published, as the public may see it: staff ids stay internal.
    static func publicName(_ actor: String) -> String {
        actor.hasPrefix("staff:") ? "catalogue steward" : actor == "system" ? "demo data" : actor.hasPrefix("api-client:") ? "ministry system" : "administrator"
    }

    static func diff(_ catalogue: SQLCatalogue, _ code: String, _ from: Int, _ to: Int) async throws -> [DocumentChange] {
        guard let old = try await catalogue.version(code, from) else { throw CatalogueError.versionNotFound(code, from) }
        guard let new = try await catalogue.version(code, to) else { throw CatalogueError.versionNotFound(code, to) }
        return DocumentDiff.changes(from: old.document, to: new.document)
    }

    static func versionPair(_ request: Request) throws -> (Int, Int) {
        let parameters = request.uri.queryParameters
        var problems = ValidationCollector()
        let from = parameters["from"].flatMap { Int(String($0)) }, to = parameters["to"].flatMap { Int(String($0)) }
        if from == nil || from! < 1 { problems.add("from", "invalid", "Give the older version's number, 1 or more.") }
        if to == nil || to! < 1 { problems.add("to", "invalid", "Give the newer version's number, 1 or more.") }
        try problems.check()
        return (from!, to!)
    }

    static func language(_ tag: String?, default language: LanguageCode) throws -> LanguageCode {
        guard let tag, !tag.isEmpty else { return language }
        guard let match = LocaleNegotiation.match(tag) else {
            throw ValidationError(field: "lang", code: "unsupportedLanguage", message: "'\(tag)' is not a language AnyDoor serves.")
        }
        return match
    }

    static func limit(_ text: String?) throws -> Int {
        guard let text, !text.isEmpty else { return 20 }
        guard let value = Int(text), (1...50).contains(value) else {
            throw ValidationError(field: "limit", code: "outOfRange", message: "Give a limit from 1 to 50.")
        }
        return value
    }

    /// Filters from query parameters; an empty parameter means the same as an absent one.
    static func filter(_ request: Request) throws -> CatalogueFilter {
        var filter = CatalogueFilter()
        var problems = ValidationCollector()
        func value(_ name: String) -> String? { request.formParameter(name).flatMap { $0.isEmpty ? nil : $0 } }
        filter.ministry = value("ministry")
        filter.lifeEvent = value("life_event")
        if let channel = value("channel") {
            filter.channel = ChannelKind(rawValue: channel)
            if filter.channel == nil { problems.add("channel", "invalid", "Give one of \(ChannelKind.allCases.map(\.rawValue).joined(separator: ", ")).") }
        }
        if let audience = value("audience") {
            filter.audience = Audience(rawValue: audience)
            if filter.audience == nil { problems.add("audience", "invalid", "Give one of \(Audience.allCases.map(\.rawValue).joined(separator: ", ")).") }
        }
        try problems.check()
        return filter
    }
}

extension Request {
    /// A query parameter as an HTML form sends it: `+` is a space, then percent-decoding (WHATWG
    /// application/x-www-form-urlencoded). `nil` when absent.
    func formParameter(_ name: String) -> String? {
        guard let query = uri.query else { return nil }
        return CSRFMiddleware.field(name, in: query)
    }
}
