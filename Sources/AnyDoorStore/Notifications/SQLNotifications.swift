import AnyDoorCore
import Foundation
import SQLKit

/// One notification to send: a template of the message catalog, in the person's language, with its
/// personalisation. `reference` is the notification's own id: never personal data (REFERENCE.md section 5).
public struct PendingNotification: Sendable, Equatable {
    public var id: String
    public var requestID: String?
    /// `email` or `sms`.
    public var kind: String
    public var template: String
    public var language: LanguageCode
    public var recipient: String
    public var personalisation: [String: String]
    public var status: NotificationStatus
    public var transportID: String?
    public var attempts: Int
    public var createdAt: Date
    public var reference: String { id }
}

/// People's notification preferences and the notification outbox. Notifications are written in the same
/// transaction as the request change they tell of, one per channel the person chose, and sent by
/// `NotificationDispatcher` through a transport.
public struct SQLNotifications: Sendable {
    let database: Database
    let keys: KeyRing

    public init(database: Database, keys: KeyRing) {
        self.database = database
        self.keys = keys
    }

    // MARK: Preferences

    public func preferences(of person: PersonID) async throws -> NotificationPreferences {
        try await database.withSQL { sql in try await Self.preferences(of: person, on: sql, keys: keys) }
    }

    static func preferences(of person: PersonID, on sql: any SQLDatabase, keys: KeyRing) async throws -> NotificationPreferences {
        guard let row = try await sql.select().columns("email", "sms", "phone_enc").from("notification_preferences").where("person_id", .equal, person.description).first() else {
            return NotificationPreferences()
        }
        return NotificationPreferences(email: try row.decode(column: "email", as: Int.self) != 0, sms: try row.decode(column: "sms", as: Int.self) != 0,
                                       phone: try row.decode(column: "phone_enc", as: String?.self).map { try keys.open($0, context: "notifications.phone") })
    }

    /// Saves the person's choices. SMS needs a valid mobile number (field `phone`); nothing changes otherwise.
    public func setPreferences(of person: PersonID, email: Bool, sms: Bool, phone: String, at time: Date) async throws -> NotificationPreferences {
        let typed = phone.trimmingCharacters(in: .whitespaces)
        let normalised = typed.isEmpty ? nil : NotificationPreferences.normalisedPhone(typed)
        if !typed.isEmpty, normalised == nil {
            throw ValidationError(field: "phone", code: "invalidFormat", message: "Enter a phone number with 10 to 15 digits.")
        }
        if sms, normalised == nil { throw ValidationError(field: "phone", code: "required", message: "Enter the mobile number for text messages.") }
        let chosen = NotificationPreferences(email: email, sms: sms, phone: normalised)
        try await database.transaction { sql in
            try await sql.delete(from: "notification_preferences").where("person_id", .equal, person.description).run()
            try await sql.insert(into: "notification_preferences").columns("person_id", "email", "sms", "phone_enc", "updated_at")
                .values(SQLBind(person.description), SQLBind(email ? 1 : 0), SQLBind(sms ? 1 : 0),
                        SQLBind(try normalised.map { try keys.seal($0, context: "notifications.phone") }), SQLBind(time.timeIntervalSince1970)).run()
            try await SQLAuditLog(database: database, keys: keys).append(AuditEntry(at: time, actor: "person:\(person)", action: "notifications.preferences-changed",
                                                                                     target: "person:\(person)", channel: .online,
                                                                                     detail: "email=\(email) sms=\(sms)"), on: sql)
        }
        return chosen
    }

    // MARK: Writing (inside the request change's transaction)

    /// One notification per channel the person chose, about `template` (`submitted`, `status-changed`,
    /// `message-added`, `information-requested`) of `request`.
    static func enqueue(_ template: String, request: ServiceRequest, personalisation: [String: String], keys: KeyRing, at time: Date, on sql: any SQLDatabase) async throws {
        guard let person = request.personID else { return }
        let preferences = try await preferences(of: person, on: sql, keys: keys)
        var targets: [(String, String)] = []
        if preferences.email, let row = try await sql.select().column("email_enc").from("people").where("id", .equal, person.description).first() {
            targets.append(("email", try keys.open(try row.decode(column: "email_enc", as: String.self), context: "people.email")))
        }
        if preferences.sms, let phone = preferences.phone { targets.append(("sms", phone)) }
        for (kind, recipient) in targets {
            try await insert(kind: kind, recipient: recipient, template: template, language: request.language, personalisation: personalisation,
                             request: request.id.description, person: person, keys: keys, at: time, on: sql)
        }
    }

    /// One notification to one recipient, written on `sql` (inside the change's transaction).
    static func insert(kind: String, recipient: String, template: String, language: LanguageCode, personalisation: [String: String], request: String?,
                       person: PersonID?, keys: KeyRing, at time: Date, on sql: any SQLDatabase) async throws {
        let data = String(decoding: try JSONEncoder().encode(personalisation), as: UTF8.self)
        let id = UUID().uuidString.lowercased()
        try await sql.insert(into: "notifications")
            .columns("id", "request_id", "person_id", "kind", "template", "language", "recipient_enc", "personalisation_enc", "reference", "status",
                     "attempts", "next_attempt_at", "created_at", "updated_at")
            .values(SQLBind(id), SQLBind(request), SQLBind(person?.description), SQLBind(kind), SQLBind(template), SQLBind(language.rawValue),
                    SQLBind(try keys.seal(recipient, context: "notifications.recipient")), SQLBind(try keys.seal(data, context: "notifications.personalisation")),
                    SQLBind(id), SQLBind(NotificationStatus.created.rawValue), SQLBind(0), SQLBind(time.timeIntervalSince1970),
                    SQLBind(time.timeIntervalSince1970), SQLBind(time.timeIntervalSince1970))
            .run()
    }

    /// One notification per channel `person` chose (email, SMS), about something other than a request
    /// (appointments): `personalisation` carries what the template needs.
    static func enqueue(_ template: String, person: PersonID, language: LanguageCode, personalisation: [String: String], keys: KeyRing, at time: Date,
                        on sql: any SQLDatabase) async throws {
        let preferences = try await preferences(of: person, on: sql, keys: keys)
        if preferences.email, let row = try await sql.select().column("email_enc").from("people").where("id", .equal, person.description).first() {
            try await insert(kind: "email", recipient: try keys.open(try row.decode(column: "email_enc", as: String.self), context: "people.email"), template: template,
                             language: language, personalisation: personalisation, request: nil, person: person, keys: keys, at: time, on: sql)
        }
        if preferences.sms, let phone = preferences.phone {
            try await insert(kind: "sms", recipient: phone, template: template, language: language, personalisation: personalisation, request: nil, person: person,
                             keys: keys, at: time, on: sql)
        }
    }

    // MARK: Sending

    static let columns = ["id", "request_id", "kind", "template", "language", "recipient_enc", "personalisation_enc", "status", "transport_id", "attempts", "created_at"]

    func decode(_ row: any SQLRow) throws -> PendingNotification {
        let data = try keys.open(try row.decode(column: "personalisation_enc", as: String.self), context: "notifications.personalisation")
        return PendingNotification(
            id: try row.decode(column: "id", as: String.self), requestID: try row.decode(column: "request_id", as: String?.self),
            kind: try row.decode(column: "kind", as: String.self), template: try row.decode(column: "template", as: String.self),
            language: LanguageCode(rawValue: try row.decode(column: "language", as: String.self)) ?? .base,
            recipient: try keys.open(try row.decode(column: "recipient_enc", as: String.self), context: "notifications.recipient"),
            personalisation: (try? JSONDecoder().decode([String: String].self, from: Data(data.utf8))) ?? [:],
            status: NotificationStatus(rawValue: try row.decode(column: "status", as: String.self)) ?? .created,
            transportID: try row.decode(column: "transport_id", as: String?.self), attempts: try row.decode(column: "attempts", as: Int.self),
            createdAt: Date(timeIntervalSince1970: try row.decode(column: "created_at", as: Double.self)))
    }

    /// Claims due notifications still `created` for `lease` seconds (`SKIP LOCKED` on PostgreSQL).
    public func claim(limit: Int, lease: TimeInterval, now: Date) async throws -> [PendingNotification] {
        try await database.transaction { sql in
            let skip: SQLQueryString = database.flavour == .postgres ? " FOR UPDATE SKIP LOCKED" : ""
            let ids = try await sql.raw("""
                SELECT id FROM notifications WHERE status = 'created' AND next_attempt_at <= \(bind: now.timeIntervalSince1970)
                AND (claimed_until IS NULL OR claimed_until < \(bind: now.timeIntervalSince1970)) ORDER BY next_attempt_at LIMIT \(unsafeRaw: String(limit))
                """ + skip).all().map { try $0.decode(column: "id", as: String.self) }
            guard !ids.isEmpty else { return [] }
            try await sql.update("notifications").set("claimed_until", to: now.timeIntervalSince1970 + lease).where("id", .in, ids).run()
            return try await sql.select().columns(Self.columns).from("notifications").where("id", .in, ids).all().map(decode)
        }
    }

    /// After a send: the transport's id and status, or a retry time after a temporary problem.
    public func recordSend(_ id: String, status: NotificationStatus?, transportID: String?, retryAt: Date?, at time: Date) async throws {
        try await database.withSQL { sql in
            let update = sql.update("notifications").set("claimed_until", to: SQLLiteral.null).set("updated_at", to: time.timeIntervalSince1970)
                .set(SQLIdentifier("attempts"), to: SQLRaw("attempts + 1"))
            if let status { update.set("status", to: status.rawValue) }
            if let transportID { update.set("transport_id", to: transportID) }
            if let retryAt { update.set("next_attempt_at", to: retryAt.timeIntervalSince1970) }
            try await update.where("id", .equal, id).run()
        }
    }

    /// A delivery receipt (`reference` is our id). Moves the status only forward; `false` when unknown.
    @discardableResult
    public func receipt(reference: String, status: NotificationStatus, at time: Date) async throws -> Bool {
        try await database.transaction { sql in
            guard let row = try await sql.select().column("status").from("notifications").where("id", .equal, reference).first() else { return false }
            let current = NotificationStatus(rawValue: try row.decode(column: "status", as: String.self)) ?? .created
            if current.canMove(to: status) {
                try await sql.update("notifications").set("status", to: status.rawValue).set("updated_at", to: time.timeIntervalSince1970).where("id", .equal, reference).run()
            }
            return true
        }
    }

    public func find(_ id: String) async throws -> PendingNotification? {
        try await database.withSQL { sql in try await sql.select().columns(Self.columns).from("notifications").where("id", .equal, id).first().map(decode) }
    }

    public func list(request: RequestID) async throws -> [PendingNotification] {
        try await database.withSQL { sql in
            try await sql.select().columns(Self.columns).from("notifications").where("request_id", .equal, request.description).orderBy("created_at").all().map(decode)
        }
    }
}
