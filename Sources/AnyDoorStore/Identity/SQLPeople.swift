import AnyDoorCore
import Foundation
import SQLKit

/// People's accounts. Email and name are encrypted; the email's blind index finds and de-duplicates.
public struct SQLPeople: Sendable {
    let database: Database
    let keys: KeyRing

    public init(database: Database, keys: KeyRing) {
        self.database = database
        self.keys = keys
    }

    public static func normalise(_ email: String) -> String {
        email.trimmingCharacters(in: .whitespacesAndNewlines).lowercased()
    }

    /// Creates an account; throws ``AccountError/emailTaken`` when the address has one already.
    public func create(_ person: Person, passwordHash: String?, on sql: any SQLDatabase) async throws {
        let email = Self.normalise(person.email)
        let index = keys.blindIndex(email, context: "people.email")
        if try await sql.select().column("id").from("people").where("email_index", .equal, index).first() != nil {
            throw AccountError.emailTaken
        }
        do {
            try await sql.insert(into: "people")
                .columns("id", "email_index", "email_enc", "name_enc", "preferred_language", "assurance_level", "email_verified_at", "password_hash", "created_at")
                .values(SQLBind(person.id.description), SQLBind(index), SQLBind(try keys.seal(email, context: "people.email")),
                        SQLBind(try keys.seal(person.name, context: "people.name")), SQLBind(person.preferredLanguage.rawValue),
                        SQLBind(person.assurance.rawValue), SQLBind(person.emailVerifiedAt?.timeIntervalSince1970),
                        SQLBind(passwordHash), SQLBind(person.createdAt.timeIntervalSince1970))
                .run()
        } catch where database.flavour.isUniqueViolation(error) {
            throw AccountError.emailTaken
        }
    }

    public func find(email: String) async throws -> PersonAccount? {
        let index = keys.blindIndex(Self.normalise(email), context: "people.email")
        return try await database.withSQL { sql in
            try await sql.select().columns("*").from("people").where("email_index", .equal, index).first().map(decode)
        }
    }

    public func find(_ id: PersonID) async throws -> PersonAccount? {
        try await database.withSQL { sql in
            try await sql.select().columns("*").from("people").where("id", .equal, id.description).first().map(decode)
        }
    }

    public func markEmailVerified(_ id: PersonID, at time: Date, on sql: any SQLDatabase) async throws {
        try await sql.update("people").set("email_verified_at", to: time.timeIntervalSince1970).where("id", .equal, id.description).run()
    }

    public func setPassword(_ id: PersonID, hash: String, on sql: any SQLDatabase) async throws {
        try await sql.update("people").set("password_hash", to: hash).where("id", .equal, id.description).run()
    }

    public func setName(_ id: PersonID, _ name: String, on sql: any SQLDatabase) async throws {
        try await sql.update("people").set("name_enc", to: try keys.seal(name, context: "people.name")).where("id", .equal, id.description).run()
    }

    public func setPreferredLanguage(_ id: PersonID, _ language: LanguageCode) async throws {
        try await database.withSQL { sql in
            try await sql.update("people").set("preferred_language", to: language.rawValue).where("id", .equal, id.description).run()
        }
    }

    public func setAssurance(_ id: PersonID, _ level: AssuranceLevel, on sql: any SQLDatabase) async throws {
        try await sql.update("people").set("assurance_level", to: level.rawValue).where("id", .equal, id.description).run()
    }

    /// Turns TOTP on with `secret` (encrypted at rest).
    public func enableTOTP(_ id: PersonID, secret: String, at time: Date, step: Int, on sql: any SQLDatabase) async throws {
        try await sql.update("people")
            .set("totp_secret_enc", to: try keys.seal(secret, context: "people.totp"))
            .set("totp_enabled_at", to: time.timeIntervalSince1970)
            .set("totp_last_step", to: step)
            .where("id", .equal, id.description).run()
    }

    func decode(_ row: any SQLRow) throws -> PersonAccount {
        let rawID = try row.decode(column: "id", as: String.self)
        guard let id = PersonID(rawID),
              let language = LanguageCode(rawValue: try row.decode(column: "preferred_language", as: String.self)),
              let assurance = AssuranceLevel(rawValue: try row.decode(column: "assurance_level", as: Int.self))
        else { throw StoreError.corruptRow(table: "people", id: rawID) }
        let person = Person(
            id: id,
            email: try keys.open(try row.decode(column: "email_enc", as: String.self), context: "people.email"),
            name: try keys.open(try row.decode(column: "name_enc", as: String.self), context: "people.name"),
            preferredLanguage: language,
            assurance: assurance,
            emailVerifiedAt: try row.decode(column: "email_verified_at", as: Double?.self).map(Date.init(timeIntervalSince1970:)),
            createdAt: Date(timeIntervalSince1970: try row.decode(column: "created_at", as: Double.self))
        )
        return PersonAccount(
            person: person,
            passwordHash: try row.decode(column: "password_hash", as: String?.self),
            totpSecret: try row.decode(column: "totp_secret_enc", as: String?.self).map { try keys.open($0, context: "people.totp") },
            totpEnabledAt: try row.decode(column: "totp_enabled_at", as: Double?.self).map(Date.init(timeIntervalSince1970:)),
            totpLastStep: try row.decode(column: "totp_last_step", as: Int?.self)
        )
    }
}

/// Single-use secrets shared by people's and staff accounts: one-time email links, recovery codes and
/// TOTP steps. Only hashes of the secrets are stored.
public struct SQLOneTimeSecrets: Sendable {
    let database: Database

    public init(database: Database) {
        self.database = database
    }

    public func storeEmailToken(hash: String, person: PersonID, purpose: String, expires: Date, on sql: any SQLDatabase) async throws {
        try await sql.insert(into: "email_tokens").columns("token_hash", "person_id", "purpose", "expires_at")
            .values(SQLBind(hash), SQLBind(person.description), SQLBind(purpose), SQLBind(expires.timeIntervalSince1970)).run()
    }

    /// Uses a token once: returns its person when it exists, has this purpose, has not expired and was
    /// not used, and marks it used in the same transaction.
    public func consumeEmailToken(hash: String, purpose: String, now: Date, on sql: any SQLDatabase) async throws -> PersonID? {
        guard let row = try await sql.select().columns("person_id", "expires_at", "used_at").from("email_tokens")
            .where("token_hash", .equal, hash).where("purpose", .equal, purpose).first(),
              try row.decode(column: "used_at", as: Double?.self) == nil,
              try row.decode(column: "expires_at", as: Double.self) > now.timeIntervalSince1970
        else { return nil }
        try await sql.update("email_tokens").set("used_at", to: now.timeIntervalSince1970).where("token_hash", .equal, hash).run()
        return PersonID(try row.decode(column: "person_id", as: String.self))
    }

    /// Replaces an account's recovery codes with new ones (hashes).
    public func replaceRecoveryCodes(account: UUID, hashes: [String], on sql: any SQLDatabase) async throws {
        try await sql.delete(from: "recovery_codes").where("account_id", .equal, account.uuidString.lowercased()).run()
        for hash in hashes {
            try await sql.insert(into: "recovery_codes").columns("account_id", "code_hash").values(SQLBind(account.uuidString.lowercased()), SQLBind(hash)).run()
        }
    }

    /// Uses a recovery code once. False when unknown or already used.
    public func useRecoveryCode(account: UUID, hash: String, now: Date, on sql: any SQLDatabase) async throws -> Bool {
        let id = account.uuidString.lowercased()
        guard let row = try await sql.select().column("used_at").from("recovery_codes")
            .where("account_id", .equal, id).where("code_hash", .equal, hash).first(),
              try row.decode(column: "used_at", as: Double?.self) == nil
        else { return false }
        try await sql.update("recovery_codes").set("used_at", to: now.timeIntervalSince1970)
            .where("account_id", .equal, id).where("code_hash", .equal, hash).run()
        return true
    }

    public func unusedRecoveryCodes(account: UUID) async throws -> Int {
        try await database.withSQL { sql in
            try await sql.select().column("code_hash").from("recovery_codes")
                .where("account_id", .equal, account.uuidString.lowercased()).where("used_at", .is, SQLLiteral.null).all().count
        }
    }

    /// Records that TOTP `step` was used for the account, refusing a step at or before the last one used
    /// (NIST SP 800-63B 5.1.4.2: a code is accepted only once). `table` is `people` or `staff`.
    public func claimTOTPStep(table: String, account: UUID, step: Int, on sql: any SQLDatabase) async throws -> Bool {
        let id = account.uuidString.lowercased()
        let row = try await sql.select().column("totp_last_step").from(table).where("id", .equal, id).first()
        if let last = try row?.decode(column: "totp_last_step", as: Int?.self), last >= step { return false }
        try await sql.update(table).set("totp_last_step", to: step).where("id", .equal, id).run()
        return true
    }
}
