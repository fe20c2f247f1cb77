import AnyDoorCore
import SQLKit

/// The service catalogue: each service's working copy and state, its immutable published versions,
/// life events, facets for filters, and the search rows (docs/design/catalogue-search.md section 2.5).
struct CreateCatalogue: Migration {
    let number = 8
    let name = "create service catalogue"

    func prepare(on sql: any SQLDatabase, flavour: SQLFlavour) async throws {
        let double = SQLDataType.custom(SQLRaw("DOUBLE PRECISION"))
        try await sql.create(table: "catalogue_services")
            .column("code", type: .text, .primaryKey(autoIncrement: false))
            .column("service_key", type: .bigint, .notNull, .unique)
            .column("ministry", type: .text, .notNull)
            .column("draft_state", type: .text)
            .column("draft_document", type: .text)
            .column("draft_updated_at", type: double)
            .column("review_comment", type: .text)
            .column("published_version", type: .int)
            .column("published_document", type: .text)
            .column("published_at", type: double)
            .column("retired_at", type: double)
            .column("replaced_by", type: .text)
            .column("created_at", type: double, .notNull)
            .run()
        try await sql.create(table: "catalogue_versions")
            .column("code", type: .text, .notNull)
            .column("version", type: .int, .notNull)
            .column("document", type: .text, .notNull)
            .column("published_at", type: double, .notNull)
            .column("published_by", type: .text, .notNull)
            .primaryKey("code", "version")
            .run()
        // A published version never changes: the database itself refuses to update or delete one.
        switch flavour {
        case .sqlite:
            for event in ["UPDATE", "DELETE"] {
                try await sql.raw("""
                    CREATE TRIGGER catalogue_versions_no_\(unsafeRaw: event.lowercased()) BEFORE \(unsafeRaw: event) ON catalogue_versions
                    BEGIN SELECT RAISE(ABORT, 'published catalogue versions are immutable'); END
                    """).run()
            }
        case .postgres:
            try await sql.raw("""
                CREATE FUNCTION catalogue_versions_immutable() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN RAISE EXCEPTION 'published catalogue versions are immutable'; END $$
                """).run()
            try await sql.raw("""
                CREATE TRIGGER catalogue_versions_immutable BEFORE UPDATE OR DELETE ON catalogue_versions
                FOR EACH ROW EXECUTE FUNCTION catalogue_versions_immutable()
                """).run()
        }
        try await sql.create(table: "life_events")
            .column("code", type: .text, .primaryKey(autoIncrement: false))
            .column("title", type: .text, .notNull)
            .column("description", type: .text, .notNull)
            .column("position", type: .int, .notNull)
            .run()
        try await sql.create(table: "catalogue_facets")
            .column("facet", type: .text, .notNull)
            .column("value", type: .text, .notNull)
            .column("service_key", type: .bigint, .notNull)
            .primaryKey("facet", "value", "service_key")
            .run()
        try await sql.create(index: "catalogue_facets_by_service").on("catalogue_facets").column("service_key").run()
        try await sql.create(table: "catalogue_settings")
            .column("name", type: .text, .primaryKey(autoIncrement: false))
            .column("value", type: .text, .notNull)
            .run()
        switch flavour {
        case .sqlite:
            // Two tables, as on PostgreSQL: FTS5 re-checks each candidate's LIKE against the stored row, and a
            // short head row (no description) is read much faster than one spilling into overflow pages.
            try await sql.raw("""
                CREATE VIRTUAL TABLE catalogue_search_head USING fts5(head, title UNINDEXED, kw UNINDEXED,
                  service_key UNINDEXED, lang UNINDEXED, tokenize = 'trigram', detail = 'none')
                """).run()
            try await sql.raw("CREATE VIRTUAL TABLE catalogue_search_text USING fts5(doc, tokenize = 'trigram', detail = 'none')").run()
        case .postgres:
            try await sql.raw("CREATE EXTENSION IF NOT EXISTS pg_trgm").run()
            try await sql.raw("""
                CREATE TABLE catalogue_search_head (id bigint PRIMARY KEY, service_key bigint NOT NULL,
                  lang text COLLATE "C" NOT NULL, title text NOT NULL, kw text NOT NULL, head text NOT NULL)
                """).run()
            try await sql.raw("CREATE TABLE catalogue_search_text (id bigint PRIMARY KEY, lang text COLLATE \"C\" NOT NULL, doc text NOT NULL)").run()
            // One trigram index over every language (the last tier), and one per language: a common trigram's
            // posting list in one language is a fourteenth of the whole, and the first two tiers ask one language.
            try await sql.raw("CREATE INDEX catalogue_search_head_trgm ON catalogue_search_head USING gin (head gin_trgm_ops)").run()
            for language in LanguageCode.allCases {
                let name = language.rawValue.replacingOccurrences(of: "-", with: "_").lowercased()
                try await sql.raw("CREATE INDEX catalogue_search_head_trgm_\(unsafeRaw: name) ON catalogue_search_head USING gin (head gin_trgm_ops) WHERE lang = '\(unsafeRaw: language.rawValue)'").run()
                try await sql.raw("CREATE INDEX catalogue_search_text_trgm_\(unsafeRaw: name) ON catalogue_search_text USING gin (doc gin_trgm_ops) WHERE lang = '\(unsafeRaw: language.rawValue)'").run()
            }
            try await sql.raw("CREATE INDEX catalogue_search_head_service ON catalogue_search_head (service_key)").run()
        }
    }
}
