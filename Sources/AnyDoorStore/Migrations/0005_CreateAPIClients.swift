import SQLKit

/// Ministry systems registered as API clients, each key hashed at rest and scoped to services.
struct CreateAPIClients: Migration {
    let number = 5
    let name = "create API clients"

    func prepare(on sql: any SQLDatabase, flavour: SQLFlavour) async throws {
        let timestamp = SQLDataType.custom(SQLRaw("DOUBLE PRECISION"))
        try await sql.create(table: "api_clients")
            .column("id", type: .text, .primaryKey(autoIncrement: false))
            .column("name", type: .text, .notNull)
            .column("ministry_id", type: .text, .notNull, .references("ministries", "id"))
            .column("services", type: .text, .notNull)
            .column("key_prefix", type: .text, .notNull, .unique)
            .column("key_hash", type: .text, .notNull)
            .column("created_at", type: timestamp, .notNull)
            .column("rotated_at", type: timestamp)
            .column("revoked_at", type: timestamp)
            .run()
    }
}
