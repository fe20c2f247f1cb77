import SQLKit

/// Ministries and their names per language.
struct CreateMinistries: Migration {
    let number = 1
    let name = "create ministries"

    func prepare(on sql: any SQLDatabase, flavour: SQLFlavour) async throws {
        try await sql.create(table: "ministries")
            .column("id", type: .text, .primaryKey(autoIncrement: false))
            .column("code", type: .text, .notNull, .unique)
            .column("contact_email", type: .text)
            .column("contact_phone", type: .text)
            .column("contact_website", type: .text)
            .column("contact_address", type: .text)
            .column("created_at", type: .custom(SQLRaw("DOUBLE PRECISION")), .notNull)
            .column("updated_at", type: .custom(SQLRaw("DOUBLE PRECISION")), .notNull)
            .run()
        try await sql.create(table: "ministry_names")
            .column("ministry_id", type: .text, .notNull, .references("ministries", "id", onDelete: .cascade))
            .column("language", type: .text, .notNull)
            .column("name", type: .text, .notNull)
            .primaryKey("ministry_id", "language")
            .run()
    }
}
