import SQLKit

/// What each service asks of the person using it: minimum identity level and sign-in strength.
/// The catalogue will own these per service; until then administrators set them by service code.
struct CreateServiceRequirements: Migration {
    let number = 7
    let name = "create service access requirements"

    func prepare(on sql: any SQLDatabase, flavour: SQLFlavour) async throws {
        try await sql.create(table: "service_requirements")
            .column("service_code", type: .text, .primaryKey(autoIncrement: false))
            .column("assurance_level", type: .int, .notNull)
            .column("authentication_level", type: .int, .notNull)
            .column("updated_at", type: .custom(SQLRaw("DOUBLE PRECISION")), .notNull)
            .run()
    }
}
