import AnyDoorCore
import Foundation
import SQLKit

/// The search rows of published services and the ranked query over them, the same SQL text on SQLite
/// (FTS5 trigram) and PostgreSQL (pg_trgm GIN), so both return the same ranked list
/// (docs/design/catalogue-search.md section 2).
enum CatalogueSearchIndex {
    /// Rows scored per tier; deterministic (first by id) and the same on both databases.
    static let cap = 300
    /// PostgreSQL probes this many matches before choosing the ordered plan for common terms.
    static let probe = cap * 3 + 101

    static func languageNumber(_ language: LanguageCode) -> Int { LanguageCode.allCases.firstIndex(of: language)! }

    /// Language-major: one language's rows are a contiguous id range in service-key order, so an ordered scan
    /// for one language (PostgreSQL's fallback for common terms) reads only that language's rows.
    static func rowID(key: Int, language: LanguageCode) -> Int { languageNumber(language) << 32 + key }

    static func rowIDs(key: Int) -> [Int] { LanguageCode.allCases.map { rowID(key: key, language: $0) } }

    // MARK: Writing

    static func replace(key: Int, document: ServiceDescription, on sql: any SQLDatabase, flavour: SQLFlavour) async throws {
        try await remove(key: key, on: sql, flavour: flavour)
        var facets: [(String, String)] = [("ministry", document.ministry)]
        facets += document.channels.kinds.map { ("channel", $0.rawValue) }
        facets += Set(document.lifeEvents).sorted().map { ("life-event", $0) }
        facets += Set(document.audience.map(\.rawValue)).sorted().map { ("audience", $0) }
        for (facet, value) in facets {
            try await sql.insert(into: "catalogue_facets").columns("facet", "value", "service_key").values(SQLBind(facet), SQLBind(value), SQLBind(key)).run()
        }
        for language in LanguageCode.allCases {
            guard let title = document.title[language] else { continue }
            let keywords = document.keywords[language] ?? ""
            let description = document.description[language] ?? ""
            let indexTitle = SearchText.indexForm(title), indexKeywords = SearchText.indexForm(keywords)
            let head = "#\(language.rawValue)#" + indexTitle + "|" + indexKeywords
            let doc = indexTitle + "|" + indexKeywords + "|" + SearchText.indexForm(description)
            let id = rowID(key: key, language: language)
            let rankTitle = SearchText.rankForm(title), rankKeywords = SearchText.rankForm(keywords)
            switch flavour {
            case .sqlite:
                try await sql.raw("""
                    INSERT INTO catalogue_search_head (rowid, head, title, kw, service_key, lang)
                    VALUES (\(bind: id), \(bind: head), \(bind: rankTitle), \(bind: rankKeywords), \(bind: key), \(bind: language.rawValue))
                    """).run()
                try await sql.raw("INSERT INTO catalogue_search_text (rowid, doc) VALUES (\(bind: id), \(bind: doc))").run()
            case .postgres:
                try await sql.raw("""
                    INSERT INTO catalogue_search_head (id, service_key, lang, title, kw, head)
                    VALUES (\(bind: id), \(bind: key), \(bind: language.rawValue), \(bind: rankTitle), \(bind: rankKeywords), \(bind: head))
                    """).run()
                try await sql.raw("INSERT INTO catalogue_search_text (id, lang, doc) VALUES (\(bind: id), \(bind: language.rawValue), \(bind: doc))").run()
            }
        }
    }

    static func remove(key: Int, on sql: any SQLDatabase, flavour: SQLFlavour) async throws {
        try await sql.delete(from: "catalogue_facets").where("service_key", .equal, key).run()
        let ids = rowIDs(key: key)
        switch flavour {
        case .sqlite:
            try await sql.raw("DELETE FROM catalogue_search_head WHERE rowid IN (\(binds: ids))").run()
            try await sql.raw("DELETE FROM catalogue_search_text WHERE rowid IN (\(binds: ids))").run()
        case .postgres:
            try await sql.raw("DELETE FROM catalogue_search_text WHERE id IN (\(binds: ids))").run()
            try await sql.raw("DELETE FROM catalogue_search_head WHERE id IN (\(binds: ids))").run()
        }
    }

    static func clear(on sql: any SQLDatabase, flavour: SQLFlavour) async throws {
        try await sql.raw("DELETE FROM catalogue_facets").run()
        switch flavour {
        case .sqlite:
            try await sql.raw("DELETE FROM catalogue_search_head").run()
            try await sql.raw("DELETE FROM catalogue_search_text").run()
        case .postgres:
            try await sql.raw("DELETE FROM catalogue_search_text").run()
            try await sql.raw("DELETE FROM catalogue_search_head").run()
        }
    }

    // MARK: Searching

    /// The integer score of one row for `query` in `language` (section 2.4). Columns: title, kw, head, doc, lang.
    /// In tier 1 every row matched every pattern in `head` and `doc` is `head`, so the title-or-keywords bonus
    /// is the constant 1000 and is not re-tested; the result is the same number either way.
    static func score(_ query: SearchQuery, language: LanguageCode, tier: Int) -> SQLQueryString {
        var score = SQLQueryString("((")
        if tier == 1 {
            score += "1000"
        } else {
            score += "CASE WHEN "
            for (index, pattern) in query.patterns.enumerated() {
                if index > 0 { score += " AND " }
                score += "head LIKE \(bind: pattern)"
            }
            score += " THEN 1000 ELSE 0 END"
        }
        score += ")"
        for token in query.tokens {
            let t = token.text
            if token.isCJK {
                score += " + (CASE WHEN title LIKE \(bind: "% \(t)%") THEN 30 WHEN title LIKE \(bind: "%\(t)%") THEN 20 WHEN kw LIKE \(bind: "%\(t)%") THEN 10 ELSE 1 END)"
            } else {
                score += " + (CASE WHEN title LIKE \(bind: "% \(t) %") THEN 40 WHEN title LIKE \(bind: "% \(t)%") THEN 30 WHEN title LIKE \(bind: "%\(t)%") THEN 20"
                score += " WHEN kw LIKE \(bind: "% \(t)%") THEN 10 WHEN kw LIKE \(bind: "%\(t)%") THEN 5"
                score += " WHEN doc LIKE \(bind: "%  \(t)  %") THEN 3 WHEN doc LIKE \(bind: "%  \(t)%") THEN 2 ELSE 1 END)"
            }
        }
        score += " + (CASE WHEN lang = \(bind: language.rawValue) THEN 5 ELSE 0 END)) * 1000 - length(title)"
        return score
    }

    static func matches(_ column: String, _ query: SearchQuery) -> SQLQueryString {
        var condition = SQLQueryString("")
        for (index, pattern) in query.patterns.enumerated() {
            if index > 0 { condition += " AND " }
            condition += "\(unsafeRaw: column) LIKE \(bind: pattern)"
        }
        return condition
    }

    static func facets(_ filter: CatalogueFilter, column: String) -> SQLQueryString {
        var condition = SQLQueryString("")
        for (facet, value) in filter.facets {
            condition += " AND \(unsafeRaw: column) IN (SELECT service_key FROM catalogue_facets WHERE facet = \(bind: facet) AND value = \(bind: value))"
        }
        return condition
    }

    static func search(_ query: SearchQuery, language: LanguageCode, filter: CatalogueFilter, limit: Int, database: Database,
                       codes known: ServiceCodes) async throws -> [SearchHit] {
        let hits = try await keyedHits(query, language: language, filter: filter, limit: limit, database: database)
        return try await database.withSQL { sql in try await codes(for: hits, on: sql, known: known) }
    }

    /// Each tier borrows its own connection and gives it back: a search never holds one connection while
    /// waiting for another (under load that waited on itself until the pool timed out).
    static func keyedHits(_ query: SearchQuery, language: LanguageCode, filter: CatalogueFilter, limit: Int, database: Database) async throws -> [KeyedHit] {
        let flavour = database.flavour
        // Tier 1: titles and keywords in the requested language. Tier 2: descriptions in that language.
        // Tier 3: titles and keywords in every language (Punjabi typed on an English page). Later tiers count
        // only while fewer than `limit` services were found, and append what is new.
        let first = try await database.withSQL { sql in try await tier(1, query, language: language, filter: filter, limit: limit, on: sql, flavour: flavour) }
        if first.count >= limit { return first }
        // Both remaining tiers at once, on two connections: a rare word otherwise paid three round trips in a row.
        let found = first.count
        async let second = database.withSQL { sql in
            try await tier(2, query, language: language, filter: filter, limit: limit + found, on: sql, flavour: flavour)
        }
        async let third = database.withSQL { sql in
            try await tier(3, query, language: language, filter: filter, limit: limit * 2 + found, on: sql, flavour: flavour)
        }
        var hits = first
        for more in [try await second, try await third] where hits.count < limit {
            let seen = Set(hits.map(\.key))
            hits += more.filter { !seen.contains($0.key) }.prefix(limit - hits.count)
        }
        return hits
    }

    static func codes(for hits: [KeyedHit], on sql: any SQLDatabase, known: ServiceCodes) async throws -> [SearchHit] {
        guard !hits.isEmpty else { return [] }
        var codeByKey = known.codes(hits.map(\.key))
        let unknown = hits.map(\.key).filter { codeByKey[$0] == nil }
        if !unknown.isEmpty {
            let rows = try await sql.select().columns("service_key", "code").from("catalogue_services").where("service_key", .in, unknown).all()
            for row in rows { codeByKey[try row.decode(column: "service_key", as: Int.self)] = try row.decode(column: "code", as: String.self) }
            known.remember(codeByKey)
        }
        return hits.compactMap { hit in codeByKey[hit.key].map { SearchHit(code: $0, score: hit.score) } }
    }

    struct KeyedHit { var key: Int; var score: Int }

    /// Tier 1: rows in the requested language whose title or keywords match. Tier 2: any language, any text.
    static func tier(_ tier: Int, _ query: SearchQuery, language: LanguageCode, filter: CatalogueFilter, limit: Int, on sql: any SQLDatabase, flavour: SQLFlavour) async throws -> [KeyedHit] {
        let score = score(query, language: language, tier: tier)
        var statement: SQLQueryString
        switch flavour {
        case .sqlite:
            // FTS5 returns rows in rowid order, so the LIMIT stops the scan early. `head AS doc` in tier 1: a title
            // or keyword match is all that tier asks for.
            statement = "SELECT service_key, MAX(score) AS s FROM (SELECT service_key, \(score) AS score FROM ("
            let low = rowID(key: 0, language: language), high = rowID(key: (1 << 32) - 1, language: language)
            switch tier {
            case 1:
                // The language's rows are one rowid range, which FTS5 seeks to directly.
                statement += "SELECT service_key, lang, title, kw, head, head AS doc FROM catalogue_search_head WHERE rowid BETWEEN \(bind: low) AND \(bind: high) AND " + matches("head", query)
                statement += facets(filter, column: "service_key")
                statement += " ORDER BY rowid"
            case 2:
                statement += "SELECT h.service_key, h.lang, h.title, h.kw, h.head, t.doc FROM catalogue_search_text t JOIN catalogue_search_head h ON h.rowid = t.rowid WHERE t.rowid BETWEEN \(bind: low) AND \(bind: high) AND " + matches("t.doc", query)
                statement += facets(filter, column: "h.service_key")
                statement += " ORDER BY t.rowid"
            default:
                statement += "SELECT service_key, lang, title, kw, head, head AS doc FROM catalogue_search_head WHERE " + matches("head", query)
                statement += facets(filter, column: "service_key")
                statement += " ORDER BY rowid"
            }
            statement += " LIMIT \(unsafeRaw: String(cap)))) GROUP BY service_key ORDER BY s DESC, service_key LIMIT \(unsafeRaw: String(limit))"
            return try await sql.raw(statement).all().map { KeyedHit(key: try $0.decode(column: "service_key", as: Int.self), score: try $0.decode(column: "s", as: Int.self)) }
        case .postgres:
            // One statement per tier. A bounded probe through the language's trigram index first (its LIMIT stops
            // the bitmap heap scan early); when it fills, the term is common, and the second branch reads the
            // language's rows in id order with the primary key instead, stopping after `cap` matches. The
            // one-time filters run exactly one branch. `OFFSET 0` keeps the LIKE out of the ordered scan, so the
            // planner cannot turn it into a bitmap scan over thousands of rows (section 2.5).
            let low = rowID(key: 0, language: language), high = rowID(key: (1 << 32) - 1, language: language)
            var probe: SQLQueryString, ordered: SQLQueryString
            switch tier {
            case 1:
                probe = "SELECT h.id, h.service_key, h.lang, h.title, h.kw, h.head, h.head AS doc FROM catalogue_search_head h WHERE h.lang = \(bind: language.rawValue) AND " + matches("h.head", query)
                ordered = "SELECT h.id, h.service_key, h.lang, h.title, h.kw, h.head, h.head AS doc FROM (SELECT * FROM catalogue_search_head WHERE id BETWEEN \(bind: low) AND \(bind: high) ORDER BY id OFFSET 0) h WHERE " + matches("h.head", query)
            case 2:
                probe = "SELECT h.id, h.service_key, h.lang, h.title, h.kw, h.head, t.doc FROM catalogue_search_text t JOIN catalogue_search_head h ON h.id = t.id WHERE t.lang = \(bind: language.rawValue) AND " + matches("t.doc", query)
                ordered = "SELECT h.id, h.service_key, h.lang, h.title, h.kw, h.head, t.doc FROM (SELECT id, doc FROM catalogue_search_text WHERE id BETWEEN \(bind: low) AND \(bind: high) ORDER BY id OFFSET 0) t JOIN catalogue_search_head h ON h.id = t.id WHERE " + matches("t.doc", query)
            default:
                probe = "SELECT h.id, h.service_key, h.lang, h.title, h.kw, h.head, h.head AS doc FROM catalogue_search_head h WHERE " + matches("h.head", query)
                ordered = "SELECT h.id, h.service_key, h.lang, h.title, h.kw, h.head, h.head AS doc FROM (SELECT * FROM catalogue_search_head ORDER BY id OFFSET 0) h WHERE " + matches("h.head", query)
            }
            probe += facets(filter, column: "h.service_key")
            ordered += facets(filter, column: "h.service_key") + " ORDER BY h.id LIMIT \(unsafeRaw: String(cap))"
            statement = "WITH m AS MATERIALIZED (" + probe + " LIMIT \(unsafeRaw: String(Self.probe))), n AS MATERIALIZED (SELECT count(*) AS n FROM m)"
            statement += " SELECT service_key, MAX(\(score)) AS s FROM ((SELECT * FROM m WHERE (SELECT n FROM n) < \(unsafeRaw: String(Self.probe)) ORDER BY id LIMIT \(unsafeRaw: String(cap)))"
            statement += " UNION ALL (SELECT * FROM (" + ordered + ") o WHERE (SELECT n FROM n) >= \(unsafeRaw: String(Self.probe)))) c"
            statement += " GROUP BY service_key ORDER BY s DESC, service_key LIMIT \(unsafeRaw: String(limit))"
            return try await sql.raw(statement).all().map { KeyedHit(key: try $0.decode(column: "service_key", as: Int.self), score: try $0.decode(column: "s", as: Int.self)) }
        }
    }
}

/// Service codes by search key. A key is given once to one code and neither ever changes, so they are
/// remembered for good (bounded, in case of a very large catalogue).
final class ServiceCodes: @unchecked Sendable {
    private let lock = NSLock()
    private var byKey: [Int: String] = [:]

    func codes(_ keys: [Int]) -> [Int: String] {
        lock.withLock {
            var found: [Int: String] = [:]
            for key in keys { if let code = byKey[key] { found[key] = code } }
            return found
        }
    }

    func remember(_ codes: [Int: String]) {
        lock.withLock {
            if byKey.count > 200_000 { byKey.removeAll(keepingCapacity: true) }
            byKey.merge(codes) { _, new in new }
        }
    }
}
