import AnyDoorCore
import Foundation
import SQLKit

/// Staff accounts and their roles.
public struct SQLStaff: Sendable {
    let database: Database
    let keys: KeyRing

    public init(database: Database, keys: KeyRing) {
        self.database = database
        self.keys = keys
    }

    public func create(_ account: StaffAccount, createdAt: Date) async throws {
        let email = SQLPeople.normalise(account.email)
        let index = keys.blindIndex(email, context: "staff.email")
        try await database.transaction { sql in
            if try await sql.select().column("id").from("staff").where("email_index", .equal, index).first() != nil {
                throw AccountError.emailTaken
            }
            try await sql.insert(into: "staff")
                .columns("id", "email_index", "email_enc", "name_enc", "password_hash", "totp_secret_enc", "created_at")
                .values(SQLBind(account.id.description), SQLBind(index), SQLBind(try keys.seal(email, context: "staff.email")),
                        SQLBind(try keys.seal(account.name, context: "staff.name")), SQLBind(account.passwordHash),
                        SQLBind(try keys.seal(account.totpSecret, context: "staff.totp")), SQLBind(createdAt.timeIntervalSince1970))
                .run()
            for assignment in account.roles {
                let (kind, id) = Self.scopeColumns(assignment.scope)
                try await sql.insert(into: "staff_roles").columns("staff_id", "role", "scope_kind", "scope_id")
                    .values(SQLBind(account.id.description), SQLBind(assignment.role.rawValue), SQLBind(kind), SQLBind(id)).run()
            }
        }
    }

    public func find(email: String) async throws -> StaffAccount? {
        let index = keys.blindIndex(SQLPeople.normalise(email), context: "staff.email")
        return try await find(where: "email_index", equals: index)
    }

    public func find(_ id: StaffID) async throws -> StaffAccount? {
        try await find(where: "id", equals: id.description)
    }

    /// What the session check needs on every request: the roles of an enabled account (`nil` if none), in one
    /// query and without opening any sealed field.
    public func roles(of id: StaffID) async throws -> [RoleAssignment]? {
        try await database.withSQL { sql in
            let rows = try await sql.raw("""
                SELECT s.disabled_at, r.role, r.scope_kind, r.scope_id FROM staff s LEFT JOIN staff_roles r ON r.staff_id = s.id WHERE s.id = \(bind: id.description)
                """).all()
            guard let first = rows.first, try first.decode(column: "disabled_at", as: Double?.self) == nil else { return nil }
            return try rows.compactMap { row -> RoleAssignment? in
                guard let role = try row.decode(column: "role", as: String?.self).flatMap(StaffRole.init(rawValue:)) else { return nil }
                let scopeID = try row.decode(column: "scope_id", as: String?.self) ?? ""
                switch try row.decode(column: "scope_kind", as: String?.self) {
                case "ministry": return MinistryID(scopeID).map { RoleAssignment(role, scope: .ministry($0)) }
                case "office": return OfficeID(scopeID).map { RoleAssignment(role, scope: .office($0)) }
                default: return RoleAssignment(role)
                }
            }.sorted { $0.role.rawValue < $1.role.rawValue }
        }
    }

    public func count() async throws -> Int {
        try await database.withSQL { sql in
            let row = try await sql.select().column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n").from("staff").first()
            return try row?.decode(column: "n", as: Int.self) ?? 0
        }
    }

    func find(where column: String, equals value: String) async throws -> StaffAccount? {
        try await database.withSQL { sql in
            guard let row = try await sql.select().columns("*").from("staff").where(SQLIdentifier(column), .equal, SQLBind(value)).first() else { return nil }
            let rawID = try row.decode(column: "id", as: String.self)
            guard let id = StaffID(rawID) else { throw StoreError.corruptRow(table: "staff", id: rawID) }
            let roleRows = try await sql.select().columns("role", "scope_kind", "scope_id").from("staff_roles").where("staff_id", .equal, rawID).all()
            let roles: [RoleAssignment] = try roleRows.compactMap { roleRow in
                guard let role = StaffRole(rawValue: try roleRow.decode(column: "role", as: String.self)) else { return nil }
                let kind = try roleRow.decode(column: "scope_kind", as: String.self)
                let scopeID = try roleRow.decode(column: "scope_id", as: String.self)
                switch kind {
                case "ministry": return MinistryID(scopeID).map { RoleAssignment(role, scope: .ministry($0)) }
                case "office": return OfficeID(scopeID).map { RoleAssignment(role, scope: .office($0)) }
                default: return RoleAssignment(role)
                }
            }
            return StaffAccount(
                id: id,
                email: try keys.open(try row.decode(column: "email_enc", as: String.self), context: "staff.email"),
                name: try keys.open(try row.decode(column: "name_enc", as: String.self), context: "staff.name"),
                passwordHash: try row.decode(column: "password_hash", as: String.self),
                totpSecret: try keys.open(try row.decode(column: "totp_secret_enc", as: String.self), context: "staff.totp"),
                totpLastStep: try row.decode(column: "totp_last_step", as: Int?.self),
                roles: roles.sorted { $0.role.rawValue < $1.role.rawValue },
                disabledAt: try row.decode(column: "disabled_at", as: Double?.self).map(Date.init(timeIntervalSince1970:))
            )
        }
    }

    static func scopeColumns(_ scope: RoleScope) -> (String, String) {
        switch scope {
        case .province: ("province", "")
        case .ministry(let id): ("ministry", id.description)
        case .office(let id): ("office", id.description)
        }
    }
}

/// The notification outbox. Until the Notifications part lands, its only transport is the local
/// development mailbox; recipients, subjects and bodies are encrypted at rest like other personal data.
public struct SQLOutbox: Sendable {
    let database: Database
    let keys: KeyRing

    public init(database: Database, keys: KeyRing) {
        self.database = database
        self.keys = keys
    }

    public func enqueue(_ message: OutboxMessage, on sql: any SQLDatabase) async throws {
        try await sql.insert(into: "notification_outbox")
            .columns("id", "channel", "recipient_enc", "template", "language", "subject_enc", "body_enc", "status", "created_at")
            .values(SQLBind(message.id.uuidString.lowercased()), SQLBind(message.channel), SQLBind(try keys.seal(message.recipient, context: "outbox.recipient")),
                    SQLBind(message.template), SQLBind(message.language.rawValue), SQLBind(try keys.seal(message.subject, context: "outbox.subject")),
                    SQLBind(try keys.seal(message.body, context: "outbox.body")), SQLBind(message.status), SQLBind(message.createdAt.timeIntervalSince1970))
            .run()
    }

    /// The newest messages, for the development mailbox page.
    public func recent(limit: Int = 50) async throws -> [OutboxMessage] {
        try await database.withSQL { sql in
            try await sql.select().columns("*").from("notification_outbox").orderBy("created_at", .descending).limit(limit).all().map { row in
                OutboxMessage(
                    id: UUID(uuidString: try row.decode(column: "id", as: String.self)) ?? UUID(),
                    channel: try row.decode(column: "channel", as: String.self),
                    recipient: try keys.open(try row.decode(column: "recipient_enc", as: String.self), context: "outbox.recipient"),
                    template: try row.decode(column: "template", as: String.self),
                    language: LanguageCode(rawValue: try row.decode(column: "language", as: String.self)) ?? .base,
                    subject: try keys.open(try row.decode(column: "subject_enc", as: String.self), context: "outbox.subject"),
                    body: try keys.open(try row.decode(column: "body_enc", as: String.self), context: "outbox.body"),
                    status: try row.decode(column: "status", as: String.self),
                    createdAt: Date(timeIntervalSince1970: try row.decode(column: "created_at", as: Double.self))
                )
            }
        }
    }
}
