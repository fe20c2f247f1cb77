import AnyDoorCore
import Foundation
import SQLKit

/// Why a catalogue operation was refused. Nothing changed.
public enum CatalogueError: Error, Sendable, Equatable {
    case notFound(String)
    case duplicateCode(String)
    case versionNotFound(String, Int)
    /// The step is not allowed from the service's current state.
    case transitionNotAllowed(CatalogueTransition)
    /// The draft breaks the description standard; every problem is named.
    case invalid([FieldError])
}

/// A bulk publish stopped at one document; nothing was published.
public enum CatalogueImportError: Error, Sendable, Equatable {
    /// The document at `index` (0-based) breaks the standard.
    case invalid(index: Int, problems: [FieldError])
}

/// A service's place in the catalogue: its working copy (if any) and its latest published version (if any).
public struct CatalogueEntry: Sendable, Equatable {
    public var code: String
    public var ministry: String
    public var draftState: DraftState?
    public var draft: ServiceDescription?
    public var draftUpdatedAt: Date?
    public var reviewComment: String?
    public var publishedVersion: Int?
    public var published: ServiceDescription?
    public var publishedAt: Date?
    public var retiredAt: Date?
    public var replacedBy: String?

    public var isRetired: Bool { retiredAt != nil }
}

/// One published version in a service's history.
public struct CatalogueVersion: Sendable, Equatable {
    public var code: String
    public var version: Int
    public var document: ServiceDescription
    public var publishedAt: Date
    public var publishedBy: String
}

/// A published service as lists show it.
public struct PublishedService: Sendable, Equatable {
    public var code: String
    public var version: Int
    public var document: ServiceDescription
    public var retired: Bool
    public var publishedAt: Date
    /// For a retired service: what replaces it.
    public var replacedBy: String?
}

/// Filters of a catalogue search or list (issue 5 item 4): every one given must match.
public struct CatalogueFilter: Sendable, Equatable {
    public var ministry: String?
    public var channel: ChannelKind?
    public var lifeEvent: String?
    public var audience: Audience?

    public init(ministry: String? = nil, channel: ChannelKind? = nil, lifeEvent: String? = nil, audience: Audience? = nil) {
        self.ministry = ministry
        self.channel = channel
        self.lifeEvent = lifeEvent
        self.audience = audience
    }

    var facets: [(String, String)] {
        var facets: [(String, String)] = []
        if let ministry { facets.append(("ministry", ministry)) }
        if let channel { facets.append(("channel", channel.rawValue)) }
        if let lifeEvent { facets.append(("life-event", lifeEvent)) }
        if let audience { facets.append(("audience", audience.rawValue)) }
        return facets
    }

    public var isEmpty: Bool { facets.isEmpty }
}

/// The service catalogue in SQL: drafts, review, immutable published versions, life events, search.
public struct SQLCatalogue: Sendable {
    let database: Database
    let audit: SQLAuditLog
    let cache = PublishedCache()
    let serviceCodes = ServiceCodes()

    public init(database: Database, audit: SQLAuditLog) {
        self.database = database
        self.audit = audit
    }

    /// Runs a write and forgets every cached published service afterwards (and before, so no reader stores
    /// a value it read during the write).
    func changing<Result: Sendable>(_ body: () async throws -> Result) async throws -> Result {
        cache.clear()
        defer { cache.clear() }
        return try await body()
    }

    static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }()

    static func json(_ document: ServiceDescription) throws -> String {
        String(decoding: try encoder.encode(document), as: UTF8.self)
    }

    static func document(_ text: String) throws -> ServiceDescription {
        try JSONDecoder().decode(ServiceDescription.self, from: Data(text.utf8))
    }

    // MARK: Reading

    public func entry(_ code: String) async throws -> CatalogueEntry? {
        try await database.withSQL { sql in try await Self.entry(code, on: sql) }
    }

    static func entry(_ code: String, on sql: any SQLDatabase) async throws -> CatalogueEntry? {
        guard let row = try await sql.select().column("*").from("catalogue_services").where("code", .equal, code).first() else { return nil }
        return try entry(row)
    }

    static func entry(_ row: any SQLRow) throws -> CatalogueEntry {
        func date(_ column: String) throws -> Date? {
            try row.decode(column: column, as: Double?.self).map(Date.init(timeIntervalSince1970:))
        }
        return CatalogueEntry(
            code: try row.decode(column: "code", as: String.self),
            ministry: try row.decode(column: "ministry", as: String.self),
            draftState: try row.decode(column: "draft_state", as: String?.self).flatMap(DraftState.init(rawValue:)),
            draft: try row.decode(column: "draft_document", as: String?.self).map(document),
            draftUpdatedAt: try date("draft_updated_at"),
            reviewComment: try row.decode(column: "review_comment", as: String?.self),
            publishedVersion: try row.decode(column: "published_version", as: Int?.self),
            published: try row.decode(column: "published_document", as: String?.self).map(document),
            publishedAt: try date("published_at"),
            retiredAt: try date("retired_at"),
            replacedBy: try row.decode(column: "replaced_by", as: String?.self)
        )
    }

    /// The latest published version of a service, or `nil` if it was never published.
    public func published(_ code: String) async throws -> PublishedService? {
        if let cached = cache.get(code) { return cached }
        let generation = cache.currentGeneration
        let service = try await database.withSQL { sql in
            guard let row = try await sql.select().columns("code", "published_version", "published_document", "retired_at", "published_at", "replaced_by").from("catalogue_services")
                .where("code", .equal, code).where("published_version", .isNot, SQLLiteral.null).first() else { return nil as PublishedService? }
            return try Self.published(row)
        }
        cache.store(code, service, generation: generation)
        return service
    }

    static func published(_ row: any SQLRow) throws -> PublishedService {
        PublishedService(code: try row.decode(column: "code", as: String.self),
                         version: try row.decode(column: "published_version", as: Int.self),
                         document: try document(try row.decode(column: "published_document", as: String.self)),
                         retired: try row.decode(column: "retired_at", as: Double?.self) != nil,
                         publishedAt: Date(timeIntervalSince1970: try row.decode(column: "published_at", as: Double?.self) ?? 0),
                         replacedBy: try row.decode(column: "replaced_by", as: String?.self))
    }

    /// Published services that are not retired, matching every filter, ordered by code. Documents already in
    /// the cache at the same version are not decoded again.
    public func listPublished(_ filter: CatalogueFilter = CatalogueFilter(), includeRetired: Bool = false) async throws -> [PublishedService] {
        let generation = cache.currentGeneration
        let rows = try await database.withSQL { sql in
            var query = sql.select().columns("code", "published_version", "published_document", "retired_at", "published_at", "replaced_by").from("catalogue_services")
                .where("published_version", .isNot, SQLLiteral.null)
            if !includeRetired { query = query.where("retired_at", .is, SQLLiteral.null) }
            for (facet, value) in filter.facets {
                query = query.where(SQLColumn("service_key"), .in, SQLGroupExpression(
                    SQLQueryString("SELECT service_key FROM catalogue_facets WHERE facet = \(bind: facet) AND value = \(bind: value)")))
            }
            return try await query.orderBy("code").all()
        }
        return try rows.map { row in
            let code = try row.decode(column: "code", as: String.self)
            let version = try row.decode(column: "published_version", as: Int.self)
            let retired = try row.decode(column: "retired_at", as: Double?.self) != nil
            if let cached = cache.get(code), let service = cached, service.version == version, service.retired == retired { return service }
            let service = try Self.published(row)
            cache.store(code, service, generation: generation)
            return service
        }
    }

    /// Every service with its working state, for staff: optionally only those of some ministries.
    public func entries(ministries: Set<String>? = nil) async throws -> [CatalogueEntry] {
        try await database.withSQL { sql in
            var query = sql.select().column("*").from("catalogue_services")
            if let ministries { query = query.where("ministry", .in, Array(ministries)) }
            return try await query.orderBy("code").all().map(Self.entry)
        }
    }

    public func versions(_ code: String) async throws -> [CatalogueVersion] {
        try await database.withSQL { sql in
            try await sql.select().column("*").from("catalogue_versions").where("code", .equal, code).orderBy("version").all().map(Self.version)
        }
    }

    public func version(_ code: String, _ number: Int) async throws -> CatalogueVersion? {
        try await database.withSQL { sql in
            try await sql.select().column("*").from("catalogue_versions").where("code", .equal, code).where("version", .equal, number).first().map(Self.version)
        }
    }

    static func version(_ row: any SQLRow) throws -> CatalogueVersion {
        CatalogueVersion(code: try row.decode(column: "code", as: String.self), version: try row.decode(column: "version", as: Int.self),
                         document: try document(try row.decode(column: "document", as: String.self)),
                         publishedAt: Date(timeIntervalSince1970: try row.decode(column: "published_at", as: Double.self)),
                         publishedBy: try row.decode(column: "published_by", as: String.self))
    }

    /// When the published catalogue last changed (a publish or a retirement): Open311's `changeset`.
    public func lastPublishedAt() async throws -> Date? {
        try await database.withSQL { sql in
            let row = try await sql.raw("SELECT MAX(published_at) AS p, MAX(retired_at) AS r FROM catalogue_services").first()
            let times = [try row?.decode(column: "p", as: Double?.self), try row?.decode(column: "r", as: Double?.self)].compactMap { $0 }
            return times.max().map(Date.init(timeIntervalSince1970:))
        }
    }

    public func count() async throws -> (published: Int, all: Int) {
        try await database.withSQL { sql in
            let row = try await sql.raw("SELECT COUNT(*) AS n, COUNT(published_version) AS p FROM catalogue_services WHERE retired_at IS NULL").first()
            return (try row?.decode(column: "p", as: Int.self) ?? 0, try row?.decode(column: "n", as: Int.self) ?? 0)
        }
    }

    // MARK: Life events

    public func lifeEvents() async throws -> [LifeEvent] {
        try await database.withSQL { sql in
            try await sql.select().column("*").from("life_events").orderBy("position").orderBy("code").all().map { row in
                LifeEvent(code: try row.decode(column: "code", as: String.self),
                          title: try JSONDecoder().decode(LocalizedText.self, from: Data(try row.decode(column: "title", as: String.self).utf8)),
                          description: try JSONDecoder().decode(LocalizedText.self, from: Data(try row.decode(column: "description", as: String.self).utf8)),
                          position: try row.decode(column: "position", as: Int.self))
            }
        }
    }

    public func lifeEvent(_ code: String) async throws -> LifeEvent? {
        try await lifeEvents().first { $0.code == code }
    }

    /// Creates or replaces a life event (stewards). Its English title and description are required.
    public func saveLifeEvent(_ event: LifeEvent, actor: String, at time: Date) async throws {
        var problems = ValidationCollector()
        if ServiceCode(event.code) == nil { problems.add("code", "invalidFormat", "A life event's code is 3 to 60 lower-case letters, digits and hyphens.") }
        CatalogueRules.text(event.title, "title", max: CatalogueRules.maxTitleLength, required: true, into: &problems)
        CatalogueRules.text(event.description, "description", max: CatalogueRules.maxDescriptionLength, required: true, into: &problems)
        guard problems.errors.isEmpty else { throw CatalogueError.invalid(problems.errors) }
        let title = String(decoding: try Self.encoder.encode(event.title), as: UTF8.self)
        let description = String(decoding: try Self.encoder.encode(event.description), as: UTF8.self)
        try await database.transaction { sql in
            try await sql.delete(from: "life_events").where("code", .equal, event.code).run()
            try await sql.insert(into: "life_events").columns("code", "title", "description", "position")
                .values(SQLBind(event.code), SQLBind(title), SQLBind(description), SQLBind(event.position)).run()
            try await audit.append(AuditEntry(at: time, actor: actor, action: "catalogue.life-event.saved", target: "life-event:\(event.code)", channel: .online), on: sql)
        }
    }

    /// What validation checks references against.
    public func context() async throws -> CatalogueContext {
        try await database.withSQL { sql in try await Self.context(on: sql) }
    }

    static func context(on sql: any SQLDatabase) async throws -> CatalogueContext {
        let ministries = try await sql.select().column("code").from("ministries").all().map { try $0.decode(column: "code", as: String.self) }
        let events = try await sql.select().column("code").from("life_events").all().map { try $0.decode(column: "code", as: String.self) }
        return CatalogueContext(ministries: Set(ministries), lifeEvents: Set(events))
    }

    // MARK: Writing: drafts and governance

    /// Starts a new service as a draft. Fails if the code is taken.
    public func createDraft(_ document: ServiceDescription, actor: String, at time: Date) async throws {
        let problems = CatalogueRules.draftProblems(document)
        guard problems.isEmpty else { throw CatalogueError.invalid(problems) }
        let flavour = database.flavour
        do {
            try await database.transaction { sql in
                let next = try await sql.raw("SELECT COALESCE(MAX(service_key), 0) + 1 AS k FROM catalogue_services").first()?.decode(column: "k", as: Int.self) ?? 1
                try await sql.insert(into: "catalogue_services")
                    .columns("code", "service_key", "ministry", "draft_state", "draft_document", "draft_updated_at", "created_at")
                    .values(SQLBind(document.code), SQLBind(next), SQLBind(document.ministry), SQLBind(DraftState.draft.rawValue),
                            SQLBind(try Self.json(document)), SQLBind(time.timeIntervalSince1970), SQLBind(time.timeIntervalSince1970))
                    .run()
                try await audit.append(AuditEntry(at: time, actor: actor, action: "catalogue.draft.created", target: "service:\(document.code)", channel: .online), on: sql)
            }
        } catch where flavour.isUniqueViolation(error) {
            throw CatalogueError.duplicateCode(document.code)
        }
    }

    /// Replaces the working copy. A published service without one gets a new draft; a submitted one
    /// cannot be edited until a steward sends it back. The code cannot change.
    public func saveDraft(_ document: ServiceDescription, actor: String, at time: Date) async throws {
        let problems = CatalogueRules.draftProblems(document)
        guard problems.isEmpty else { throw CatalogueError.invalid(problems) }
        try await database.transaction { sql in
            guard let entry = try await Self.entry(document.code, on: sql) else { throw CatalogueError.notFound(document.code) }
            if entry.draftState == .submitted { throw CatalogueError.transitionNotAllowed(.submit) }
            // The responsible ministry (who may edit) changes with a publish; before the first one, with the draft.
            if entry.publishedVersion == nil, !document.ministry.isEmpty {
                try await sql.update("catalogue_services").set("ministry", to: document.ministry).where("code", .equal, document.code).run()
            }
            try await sql.update("catalogue_services")
                .set("draft_state", to: (entry.draftState ?? .draft).rawValue)
                .set("draft_document", to: try Self.json(document))
                .set("draft_updated_at", to: time.timeIntervalSince1970)
                .where("code", .equal, document.code).run()
            try await audit.append(AuditEntry(at: time, actor: actor, action: "catalogue.draft.saved", target: "service:\(document.code)", channel: .online), on: sql)
        }
    }

    /// Submits the working copy for review, after checking it against the standard.
    public func submit(_ code: String, actor: String, at time: Date) async throws {
        try await database.transaction { sql in
            let entry = try await Self.require(code, .submit, on: sql)
            let problems = CatalogueRules.publishProblems(entry.draft!, context: try await Self.context(on: sql))
            guard problems.isEmpty else { throw CatalogueError.invalid(problems) }
            try await sql.update("catalogue_services").set("draft_state", to: DraftState.submitted.rawValue).set("draft_updated_at", to: time.timeIntervalSince1970)
                .where("code", .equal, code).run()
            try await audit.append(AuditEntry(at: time, actor: actor, action: "catalogue.draft.submitted", target: "service:\(code)", channel: .online), on: sql)
        }
    }

    /// Sends a submitted draft back to its owner with the steward's comment.
    public func sendBack(_ code: String, comment: String, actor: String, at time: Date) async throws {
        let comment = comment.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !comment.isEmpty, comment.count <= 4000 else {
            throw CatalogueError.invalid([FieldError(field: "comment", code: comment.isEmpty ? "required" : "tooLong",
                                                     message: comment.isEmpty ? "Say what the owner should change." : "At most 4000 characters.")])
        }
        try await database.transaction { sql in
            _ = try await Self.require(code, .sendBack, on: sql)
            try await sql.update("catalogue_services").set("draft_state", to: DraftState.returned.rawValue).set("review_comment", to: comment)
                .set("draft_updated_at", to: time.timeIntervalSince1970).where("code", .equal, code).run()
            try await audit.append(AuditEntry(at: time, actor: actor, action: "catalogue.draft.sent-back", target: "service:\(code)", channel: .online), on: sql)
        }
    }

    /// Publishes the submitted working copy as the next immutable version and makes it what people see.
    @discardableResult
    public func publish(_ code: String, actor: String, at time: Date) async throws -> Int {
        try await changing {
            try await database.transaction { sql in
                let entry = try await Self.require(code, .publish, on: sql)
                return try await Self.publishDocument(entry.draft!, actor: actor, at: time, on: sql, audit: audit, flavour: database.flavour)
            }
        }
    }

    /// Publishes `document` directly (demo seed, catalogue import): validated exactly as a steward's publish is.
    @discardableResult
    public func publishDirectly(_ document: ServiceDescription, actor: String, at time: Date) async throws -> Int {
        let flavour = database.flavour
        return try await changing {
            try await database.transaction { sql in
                try await Self.publishDirectly(document, actor: actor, at: time, on: sql, audit: audit, flavour: flavour)
            }
        }
    }

    /// Publishes many documents in one transaction (demo seed, catalogue import): all or nothing. A document
    /// that breaks the standard stops everything, with its position and problems.
    @discardableResult
    public func publishDirectly(_ documents: [ServiceDescription], actor: String, at time: Date, progress: @Sendable (Int) -> Void = { _ in }) async throws -> Int {
        let flavour = database.flavour
        guard !documents.isEmpty else { return 0 }
        return try await changing { try await database.transaction { sql in
            let context = try await Self.context(on: sql)
            for (index, document) in documents.enumerated() {
                let problems = CatalogueRules.publishProblems(document, context: context)
                guard problems.isEmpty else { throw CatalogueImportError.invalid(index: index, problems: problems) }
                _ = try await Self.publishDirectly(document, actor: actor, at: time, on: sql, audit: audit, flavour: flavour)
                progress(index + 1)
            }
            return documents.count
        } }
    }

    static func publishDirectly(_ document: ServiceDescription, actor: String, at time: Date, on sql: any SQLDatabase, audit: SQLAuditLog, flavour: SQLFlavour) async throws -> Int {
        if try await entry(document.code, on: sql) == nil {
            let next = try await sql.raw("SELECT COALESCE(MAX(service_key), 0) + 1 AS k FROM catalogue_services").first()?.decode(column: "k", as: Int.self) ?? 1
            try await sql.insert(into: "catalogue_services").columns("code", "service_key", "ministry", "created_at")
                .values(SQLBind(document.code), SQLBind(next), SQLBind(document.ministry), SQLBind(time.timeIntervalSince1970)).run()
        }
        return try await publishDocument(document, actor: actor, at: time, on: sql, audit: audit, flavour: flavour)
    }

    static func publishDocument(_ document: ServiceDescription, actor: String, at time: Date, on sql: any SQLDatabase, audit: SQLAuditLog, flavour: SQLFlavour) async throws -> Int {
        let problems = CatalogueRules.publishProblems(document, context: try await context(on: sql))
        guard problems.isEmpty else { throw CatalogueError.invalid(problems) }
        let latest = try await sql.raw("SELECT COALESCE(MAX(version), 0) AS v FROM catalogue_versions WHERE code = \(bind: document.code)").first()?.decode(column: "v", as: Int.self) ?? 0
        let version = latest + 1
        let json = try json(document)
        try await sql.insert(into: "catalogue_versions").columns("code", "version", "document", "published_at", "published_by")
            .values(SQLBind(document.code), SQLBind(version), SQLBind(json), SQLBind(time.timeIntervalSince1970), SQLBind(actor)).run()
        try await sql.update("catalogue_services")
            .set("published_version", to: version).set("published_document", to: json).set("published_at", to: time.timeIntervalSince1970)
            .set("ministry", to: document.ministry)
            .set("draft_state", to: SQLLiteral.null).set("draft_document", to: SQLLiteral.null).set("review_comment", to: SQLLiteral.null)
            .set("draft_updated_at", to: SQLLiteral.null)
            .where("code", .equal, document.code).run()
        let key = try await serviceKey(document.code, on: sql)
        try await CatalogueSearchIndex.replace(key: key, document: document, on: sql, flavour: flavour)
        try await audit.append(AuditEntry(at: time, actor: actor, action: "catalogue.version.published", target: "service:\(document.code)",
                                          channel: .online, detail: "version \(version)"), on: sql)
        return version
    }

    /// Retires a published service: it stays reachable with a notice pointing at what replaces it, and
    /// leaves search and lists.
    public func retire(_ code: String, replacedBy: String?, actor: String, at time: Date) async throws {
        let flavour = database.flavour
        try await changing { try await database.transaction { sql in
            _ = try await Self.require(code, .retire, on: sql)
            if let replacedBy {
                guard replacedBy != code, let replacement = try await Self.entry(replacedBy, on: sql), replacement.publishedVersion != nil, !replacement.isRetired else {
                    throw CatalogueError.invalid([FieldError(field: "replacedBy", code: "unknown", message: "'\(replacedBy)' is not another published service.")])
                }
            }
            try await sql.update("catalogue_services").set("retired_at", to: time.timeIntervalSince1970).set("replaced_by", to: replacedBy)
                .where("code", .equal, code).run()
            try await CatalogueSearchIndex.remove(key: try await Self.serviceKey(code, on: sql), on: sql, flavour: flavour)
            try await audit.append(AuditEntry(at: time, actor: actor, action: "catalogue.service.retired", target: "service:\(code)",
                                              channel: .online, detail: replacedBy.map { "replaced by \($0)" }), on: sql)
        } }
    }

    static func require(_ code: String, _ transition: CatalogueTransition, on sql: any SQLDatabase) async throws -> CatalogueEntry {
        guard let entry = try await entry(code, on: sql) else { throw CatalogueError.notFound(code) }
        guard transition.allowed(from: entry.draftState, isPublished: entry.publishedVersion != nil, isRetired: entry.isRetired) else {
            throw CatalogueError.transitionNotAllowed(transition)
        }
        return entry
    }

    static func serviceKey(_ code: String, on sql: any SQLDatabase) async throws -> Int {
        guard let key = try await sql.select().column("service_key").from("catalogue_services").where("code", .equal, code).first()?
            .decode(column: "service_key", as: Int.self) else { throw CatalogueError.notFound(code) }
        return key
    }

    // MARK: Search

    /// Ranked search (docs/design/catalogue-search.md): codes, best first.
    public func search(_ text: String, language: LanguageCode, filter: CatalogueFilter = CatalogueFilter(), limit: Int = 20) async throws -> [SearchHit] {
        let query = SearchQuery(text)
        guard !query.isEmpty else { return [] }
        return try await CatalogueSearchIndex.search(query, language: language, filter: filter, limit: max(1, min(limit, 50)), database: database, codes: serviceCodes)
    }

    /// Rebuilds every search row from the published documents when the normaliser changed (or the rows were
    /// never built). Returns whether it rebuilt.
    @discardableResult
    public func ensureSearchIndex(progress: @Sendable (Int, Int) -> Void = { _, _ in }) async throws -> Bool {
        let flavour = database.flavour
        let current = try await database.withSQL { sql in
            try await sql.select().column("value").from("catalogue_settings").where("name", .equal, "search_normaliser").first()?.decode(column: "value", as: String.self)
        }
        guard current != String(SearchText.version) else { return false }
        let services = try await listPublished()
        try await database.transaction { sql in
            try await CatalogueSearchIndex.clear(on: sql, flavour: flavour)
            for (index, service) in services.enumerated() {
                try await CatalogueSearchIndex.replace(key: try await Self.serviceKey(service.code, on: sql), document: service.document, on: sql, flavour: flavour)
                progress(index + 1, services.count)
            }
            try await sql.delete(from: "catalogue_settings").where("name", .equal, "search_normaliser").run()
            try await sql.insert(into: "catalogue_settings").columns("name", "value").values(SQLBind("search_normaliser"), SQLBind(String(SearchText.version))).run()
        }
        return true
    }
}

/// One search result: the service and its score (higher is better; equal scores order by service key).
public struct SearchHit: Sendable, Equatable {
    public var code: String
    public var score: Int
}
