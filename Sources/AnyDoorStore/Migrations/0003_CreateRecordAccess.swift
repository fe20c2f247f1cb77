import SQLKit

/// Who looked at a person's record and why, in-person identity proofing, and representations.
struct CreateRecordAccess: Migration {
    let number = 3
    let name = "create record access log, identity verifications and representations"

    func prepare(on sql: any SQLDatabase, flavour: SQLFlavour) async throws {
        let timestamp = SQLDataType.custom(SQLRaw("DOUBLE PRECISION"))
        try await sql.create(table: "record_access")
            .column("id", type: .text, .primaryKey(autoIncrement: false))
            .column("person_id", type: .text, .notNull, .references("people", "id", onDelete: .cascade))
            .column("at", type: timestamp, .notNull)
            .column("organisation", type: .text, .notNull)
            .column("purpose", type: .text, .notNull)
            .column("staff_id", type: .text, .notNull)
            .run()
        try await sql.create(index: "record_access_person").on("record_access").column("person_id").column("at").run()
        try await sql.create(table: "identity_verifications")
            .column("id", type: .text, .primaryKey(autoIncrement: false))
            .column("person_id", type: .text, .notNull, .references("people", "id", onDelete: .cascade))
            .column("evidence", type: .text, .notNull)
            .column("method", type: .text, .notNull)
            .column("verified", type: .int, .notNull)
            .column("staff_id", type: .text, .notNull)
            .column("office", type: .text, .notNull)
            .column("interpreter_present", type: .int, .notNull)
            .column("at", type: timestamp, .notNull)
            .run()
        try await sql.create(table: "representations")
            .column("id", type: .text, .primaryKey(autoIncrement: false))
            .column("person_id", type: .text, .notNull, .references("people", "id", onDelete: .cascade))
            .column("representative_id", type: .text, .notNull, .references("people", "id", onDelete: .cascade))
            .column("relationship", type: .text, .notNull)
            .column("services", type: .text, .notNull)
            .column("starts", type: timestamp, .notNull)
            .column("ends", type: timestamp, .notNull)
            .column("evidence", type: .text)
            .column("verified_by", type: .text)
            .column("revoked_at", type: timestamp)
            .column("created_at", type: timestamp, .notNull)
            .run()
        try await sql.create(index: "representations_representative").on("representations").column("representative_id").run()
        try await sql.create(index: "representations_person").on("representations").column("person_id").run()
    }
}
