import AnyDoorCore
import Foundation
import SQLKit

/// What an import did (or, in a dry run, would do).
public struct CatalogueImportOutcome: Sendable, Equatable {
    public var created = 0
    public var updated = 0
    public var unchanged = 0
    public init(created: Int = 0, updated: Int = 0, unchanged: Int = 0) {
        self.created = created
        self.updated = updated
        self.unchanged = unchanged
    }
}

extension SQLCatalogue {
    /// Maintenance for a quiet moment (`anydoor catalogue optimise`). PostgreSQL: rewrite both search tables in
    /// row-id order (`CLUSTER`, which locks them while it runs), so one language's rows share pages and a
    /// search reads a fraction of the pages, then merge the trigram pending lists and refresh statistics.
    /// SQLite: merge each FTS5 index into one b-tree and refresh statistics.
    public func optimiseSearchIndex(progress: @Sendable (String) -> Void = { _ in }) async throws {
        try await database.withSQL { sql in
            switch database.flavour {
            case .postgres:
                for table in ["catalogue_search_head", "catalogue_search_text"] {
                    progress("CLUSTER \(table) on its row ids")
                    try await sql.raw("CLUSTER \(ident: table) USING \(ident: table + "_pkey")").run()
                }
            case .sqlite:
                for table in ["catalogue_search_head", "catalogue_search_text"] {
                    progress("FTS5 optimize \(table)")
                    try await sql.raw("INSERT INTO \(ident: table)(\(ident: table)) VALUES ('optimize')").run()
                }
                try await sql.raw("ANALYZE").run()
            }
        }
        if database.flavour == .postgres {
            progress("merging trigram pending lists, ANALYZE")
            try await tidySearchIndex()
        }
    }

    /// After a bulk change on PostgreSQL: merge the trigram indexes' pending lists (GIN `fastupdate` keeps
    /// new entries in an unsorted list every search must read) and refresh the planner's statistics.
    public func tidySearchIndex() async throws {
        guard database.flavour == .postgres else { return }
        try await database.withSQL { sql in
            _ = try await sql.raw("""
                SELECT gin_clean_pending_list(c.oid::regclass) FROM pg_class c
                WHERE c.relkind = 'i' AND c.relname LIKE 'catalogue_search_%trgm%'
                """).all()
            for table in ["catalogue_search_head", "catalogue_search_text", "catalogue_facets", "catalogue_services"] {
                try await sql.raw("ANALYZE \(ident: table)").run()
            }
        }
    }

    /// Imports services read from a file: every record is checked against the catalogue standard first and
    /// all problems are reported with their lines; then new and changed services are published as their next
    /// version in one transaction. Any invalid record means nothing changes. Services identical to their
    /// published version are left alone.
    public func importServices(_ imported: [ImportedService], dryRun: Bool, actor: String, at time: Date,
                               progress: @Sendable (Int, Int) -> Void = { _, _ in }) async throws -> CatalogueImportOutcome {
        let context = try await context()
        var problems: [ExchangeProblem] = []
        var seen: [String: Int] = [:]
        for record in imported {
            if let first = seen[record.service.code] {
                problems.append(ExchangeProblem(line: record.line, service: record.service.code, field: "code", message: "Also on line \(first); each service once."))
            }
            seen[record.service.code] = seen[record.service.code] ?? record.line
            for problem in CatalogueRules.publishProblems(record.service, context: context) {
                problems.append(ExchangeProblem(line: record.line, service: record.service.code.isEmpty ? nil : record.service.code, field: problem.field, message: problem.message))
            }
        }
        if !problems.isEmpty { throw ExchangeError(problems) }
        var outcome = CatalogueImportOutcome()
        var toPublish: [ServiceDescription] = []
        for record in imported {
            if let current = try await published(record.service.code) {
                if current.document == record.service { outcome.unchanged += 1 } else { outcome.updated += 1; toPublish.append(record.service) }
            } else {
                outcome.created += 1
                toPublish.append(record.service)
            }
        }
        if dryRun { return outcome }
        let total = toPublish.count
        do {
            try await publishDirectly(toPublish, actor: actor, at: time) { done in progress(done, total) }
        } catch CatalogueImportError.invalid(let index, let found) {
            let line = imported.first { $0.service.code == toPublish[index].code }?.line ?? 0
            throw ExchangeError(found.map { ExchangeProblem(line: line, service: toPublish[index].code, field: $0.field, message: $0.message) })
        }
        if toPublish.count >= 100 { try await tidySearchIndex() }
        return outcome
    }
}

/// A translation file that cannot be applied; nothing changed. Each problem names its service.
public struct TranslationImportError: Error, Sendable, Equatable, CustomStringConvertible {
    public var problems: [String]
    public init(problems: [String]) { self.problems = problems }
    public var description: String { problems.joined(separator: "\n") }
}

/// How complete one language is across published services.
public struct TranslationCoverage: Sendable, Equatable {
    public var language: LanguageCode
    public var reviewed = 0
    public var draft = 0
    public var missing = 0
    public var total: Int { reviewed + draft + missing }

    public init(language: LanguageCode, reviewed: Int = 0, draft: Int = 0, missing: Int = 0) {
        self.language = language
        self.reviewed = reviewed
        self.draft = draft
        self.missing = missing
    }
    /// Draft and reviewed together, in percent of all services (0 when there are none).
    public var translatedPercent: Int { total == 0 ? 0 : Int((Double(reviewed + draft) * 100 / Double(total)).rounded()) }
}

extension SQLCatalogue {
    /// The file translators fill in: every published service (or those with `only` status) with its texts in
    /// `language` and the English beside them.
    public func exportTranslation(_ language: LanguageCode, only status: TranslationStatus? = nil, ministry: String? = nil) async throws -> CatalogueTranslation {
        let services = try await listPublished(CatalogueFilter(ministry: ministry))
        var texts: [String: CatalogueTranslation.ServiceText] = [:]
        for service in services where status == nil || service.document.translationStatus(language) == status {
            texts[service.code] = CatalogueTranslation.export(service.document, language: language)
        }
        return CatalogueTranslation(language: language, status: .draft, services: texts)
    }

    /// Applies a translators' file: each changed service is published as its next version, all in one
    /// transaction. Any problem (unknown service, a list of another length, an unknown field) stops everything.
    @discardableResult
    public func importTranslation(_ translation: CatalogueTranslation, actor: String, at time: Date) async throws -> Int {
        var problems: [String] = []
        if translation.language == .base { problems.append("English is the catalogue's source language; edit it through drafts.") }
        if translation.status == .missing { problems.append("status must be draft or reviewed.") }
        var changed: [ServiceDescription] = []
        for (code, text) in translation.services.sorted(by: { $0.key < $1.key }) {
            guard let current = try await published(code), !current.retired else {
                problems.append("\(code): no published service has this code.")
                continue
            }
            let found = translation.problems(text, for: current.document)
            if !found.isEmpty {
                problems += found.map { "\(code): \($0)" }
                continue
            }
            var document = current.document
            translation.apply(text, to: &document)
            if document != current.document { changed.append(document) }
        }
        guard problems.isEmpty else { throw TranslationImportError(problems: problems) }
        do {
            try await publishDirectly(changed, actor: actor, at: time)
        } catch CatalogueImportError.invalid(let index, let found) {
            throw TranslationImportError(problems: found.map { "\(changed[index].code): \($0.field): \($0.message)" })
        }
        return changed.count
    }

    /// Per-language completeness of the published catalogue, optionally for one ministry.
    public func translationCoverage(ministry: String? = nil) async throws -> [TranslationCoverage] {
        let services = try await listPublished(CatalogueFilter(ministry: ministry))
        return LanguageCode.allCases.map { language in
            var coverage = TranslationCoverage(language: language)
            for service in services {
                switch service.document.translationStatus(language) {
                case .reviewed: coverage.reviewed += 1
                case .draft: coverage.draft += 1
                case .missing: coverage.missing += 1
                }
            }
            return coverage
        }
    }
}
