import SQLKit

/// "Tell us once": each person's profile (sealed), and each change of address sent to a ministry they chose,
/// until that ministry acknowledges it.
struct CreateProfiles: Migration {
    let number = 11
    let name = "create person profiles and address changes"

    func prepare(on sql: any SQLDatabase, flavour: SQLFlavour) async throws {
        let timestamp = SQLDataType.custom(SQLRaw("DOUBLE PRECISION"))
        try await sql.create(table: "person_profiles")
            .column("person_id", type: .text, .primaryKey(autoIncrement: false))
            .column("profile_enc", type: .text, .notNull)
            .column("updated_at", type: timestamp, .notNull)
            .run()
        try await sql.create(table: "address_changes")
            .column("id", type: .text, .primaryKey(autoIncrement: false))
            .column("person_id", type: .text, .notNull)
            .column("ministry_id", type: .text, .notNull)
            .column("status", type: .text, .notNull)
            .column("created_at", type: timestamp, .notNull)
            .column("acknowledged_at", type: timestamp)
            .column("acknowledged_by", type: .text)
            .run()
        try await sql.create(index: "address_changes_person").on("address_changes").column("person_id").column("created_at").run()
    }
}
