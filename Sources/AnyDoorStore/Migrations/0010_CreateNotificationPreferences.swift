import SQLKit

/// How each person wants news of their requests: email, text messages and the mobile number (sealed).
struct CreateNotificationPreferences: Migration {
    let number = 10
    let name = "create notification preferences"

    func prepare(on sql: any SQLDatabase, flavour: SQLFlavour) async throws {
        try await sql.create(table: "notification_preferences")
            .column("person_id", type: .text, .primaryKey(autoIncrement: false))
            .column("email", type: .int, .notNull)
            .column("sms", type: .int, .notNull)
            .column("phone_enc", type: .text)
            .column("updated_at", type: .custom(SQLRaw("DOUBLE PRECISION")), .notNull)
            .run()
    }
}
