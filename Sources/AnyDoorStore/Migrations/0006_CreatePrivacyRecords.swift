import SQLKit

/// Consents, disclosures to ministries, and correction requests.
struct CreatePrivacyRecords: Migration {
    let number = 6
    let name = "create consents, disclosures and correction requests"

    func prepare(on sql: any SQLDatabase, flavour: SQLFlavour) async throws {
        let timestamp = SQLDataType.custom(SQLRaw("DOUBLE PRECISION"))
        try await sql.create(table: "consents")
            .column("id", type: .text, .primaryKey(autoIncrement: false))
            .column("person_id", type: .text, .notNull, .references("people", "id", onDelete: .cascade))
            .column("purpose", type: .text, .notNull)
            .column("ministry_id", type: .text, .notNull, .references("ministries", "id"))
            .column("granted_at", type: timestamp, .notNull)
            .column("withdrawn_at", type: timestamp)
            .run()
        try await sql.create(index: "consents_person").on("consents").column("person_id").run()
        try await sql.create(table: "disclosures")
            .column("id", type: .text, .primaryKey(autoIncrement: false))
            .column("person_id", type: .text, .notNull, .references("people", "id", onDelete: .cascade))
            .column("ministry_id", type: .text, .notNull, .references("ministries", "id"))
            .column("what", type: .text, .notNull)
            .column("at", type: timestamp, .notNull)
            .run()
        try await sql.create(index: "disclosures_person").on("disclosures").column("person_id").column("at").run()
        try await sql.create(table: "correction_requests")
            .column("id", type: .text, .primaryKey(autoIncrement: false))
            .column("person_id", type: .text, .notNull, .references("people", "id", onDelete: .cascade))
            .column("field", type: .text, .notNull)
            .column("requested_enc", type: .text, .notNull)
            .column("reason_enc", type: .text, .notNull)
            .column("status", type: .text, .notNull)
            .column("annotation_enc", type: .text)
            .column("created_at", type: timestamp, .notNull)
            .column("resolved_at", type: timestamp)
            .column("resolved_by", type: .text)
            .run()
    }
}
