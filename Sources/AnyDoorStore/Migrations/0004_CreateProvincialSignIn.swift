import SQLKit

/// Sign-in with the provincial identity provider: pending logins (state, nonce, PKCE verifier) and
/// links between the provider's subjects and AnyDoor people.
struct CreateProvincialSignIn: Migration {
    let number = 4
    let name = "create provincial sign-in links and pending logins"

    func prepare(on sql: any SQLDatabase, flavour: SQLFlavour) async throws {
        let timestamp = SQLDataType.custom(SQLRaw("DOUBLE PRECISION"))
        try await sql.create(table: "oidc_logins")
            .column("state_hash", type: .text, .primaryKey(autoIncrement: false))
            .column("nonce", type: .text, .notNull)
            .column("code_verifier", type: .text, .notNull)
            .column("return_to", type: .text, .notNull)
            .column("link_person_id", type: .text)
            .column("created_at", type: timestamp, .notNull)
            .run()
        try await sql.create(table: "oidc_links")
            .column("issuer", type: .text, .notNull)
            .column("subject", type: .text, .notNull)
            .column("person_id", type: .text, .notNull, .references("people", "id", onDelete: .cascade))
            .column("assurance_level", type: .int, .notNull)
            .column("linked_at", type: timestamp, .notNull)
            .primaryKey("issuer", "subject")
            .run()
    }
}
