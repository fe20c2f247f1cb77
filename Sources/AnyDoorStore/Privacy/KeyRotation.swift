import Foundation
import SQLKit

/// Every encrypted column, with the context its values are bound to. A new encrypted column is added
/// here, so key rotation covers it; `KeyRingTests` fails when a `*_enc` column of the schema is missing.
public enum EncryptedColumns {
    public struct Column: Sendable {
        public let table: String
        /// The primary key's columns.
        public let keys: [String]
        /// Those of `keys` that hold integers (the rest hold text).
        public let integerKeys: Set<String>
        public let column: String
        public let context: String
        /// Sealed bytes (`KeyRing.seal(data:)`), not text.
        public let binary: Bool

        public init(_ table: String, _ column: String, _ context: String, keys: [String] = ["id"], integerKeys: Set<String> = [], binary: Bool = false) {
            self.table = table
            self.keys = keys
            self.integerKeys = integerKeys
            self.column = column
            self.context = context
            self.binary = binary
        }
    }

    public static let all: [Column] = [
        Column("people", "email_enc", "people.email"),
        Column("people", "name_enc", "people.name"),
        Column("people", "totp_secret_enc", "people.totp"),
        Column("staff", "email_enc", "staff.email"),
        Column("staff", "name_enc", "staff.name"),
        Column("staff", "totp_secret_enc", "staff.totp"),
        Column("person_profiles", "profile_enc", "profiles.profile", keys: ["person_id"]),
        Column("notification_outbox", "recipient_enc", "outbox.recipient"),
        Column("notification_outbox", "subject_enc", "outbox.subject"),
        Column("notification_outbox", "body_enc", "outbox.body"),
        Column("notification_preferences", "phone_enc", "notifications.phone", keys: ["person_id"]),
        Column("notifications", "recipient_enc", "notifications.recipient"),
        Column("notifications", "personalisation_enc", "notifications.personalisation"),
        Column("correction_requests", "requested_enc", "corrections.requested"),
        Column("correction_requests", "reason_enc", "corrections.reason"),
        Column("correction_requests", "annotation_enc", "corrections.annotation"),
        Column("service_requests", "answers_enc", "requests.answers"),
        Column("service_requests", "description_enc", "requests.description"),
        Column("service_requests", "location_enc", "requests.location"),
        Column("service_requests", "contact_enc", "requests.contact"),
        Column("service_requests", "status_note_enc", "requests.note"),
        Column("request_events", "note_enc", "requests.event", keys: ["request_id", "seq"], integerKeys: ["seq"]),
        Column("request_attachments", "name_enc", "attachments.name"),
        Column("attachment_blobs", "data_enc", "attachments.data", binary: true),
        Column("webhook_endpoints", "secret_enc", "webhooks.secret"),
        Column("webhook_outbox", "payload_enc", "webhooks.payload"),
        Column("tickets", "accessibility_enc", "tickets.accessibility"),
        Column("tickets", "phone_enc", "tickets.phone"),
        Column("appointments", "accommodation_enc", "appointments.accommodation"),
        Column("contacts", "note_enc", "contacts.note"),
        Column("callbacks", "phone_enc", "callbacks.phone"),
    ]
}

/// Re-encrypts every personal field that is not under the current key (`anydoor keys rotate`).
/// It works in batches, each in its own transaction, finding what is left by the key id each value starts
/// with; running it again after an interruption finishes the job. Memory stays bounded by one batch.
public struct KeyRotation: Sendable {
    let database: Database
    let keys: KeyRing
    /// Values re-encrypted per transaction (documents: a tenth of it).
    let batch: Int

    public init(database: Database, keys: KeyRing, batch: Int = 500) {
        self.database = database
        self.keys = keys
        self.batch = max(1, batch)
    }

    /// Returns how many values were re-encrypted. `progress` gets (column, done so far in it).
    @discardableResult
    public func reencryptAll(progress: @Sendable (String, Int) -> Void = { _, _ in }) async throws -> Int {
        var total = 0
        for column in EncryptedColumns.all {
            var done = 0
            while true {
                let changed = try await database.transaction { sql in try await reencryptBatch(column, on: sql) }
                guard changed > 0 else { break }
                done += changed
                progress("\(column.table).\(column.column)", done)
            }
            total += done
        }
        return total
    }

    /// Re-encrypts up to one batch of `column`'s values under an old key; returns how many.
    func reencryptBatch(_ column: EncryptedColumns.Column, on sql: any SQLDatabase) async throws -> Int {
        let select: SQLQueryString = "SELECT \(idents: column.keys + [column.column], joinedBy: ", ") FROM \(ident: column.table) WHERE "
            + oldKeyCondition(column) + " LIMIT \(literal: column.binary ? max(1, batch / 10) : batch)"
        let rows = try await sql.raw(select).all()
        for row in rows {
            let update = sql.update(column.table)
            if column.binary {
                let sealed = try row.decode(column: column.column, as: Data.self)
                update.set(SQLIdentifier(column.column), to: SQLBind(try keys.seal(data: try keys.open(data: sealed, context: column.context), context: column.context)))
            } else {
                let sealed = try row.decode(column: column.column, as: String.self)
                update.set(SQLIdentifier(column.column), to: SQLBind(try keys.seal(try keys.open(sealed, context: column.context), context: column.context)))
            }
            for key in column.keys {
                if column.integerKeys.contains(key) {
                    update.where(SQLIdentifier(key), .equal, SQLBind(try row.decode(column: key, as: Int.self)))
                } else {
                    update.where(SQLIdentifier(key), .equal, SQLBind(try row.decode(column: key, as: String.self)))
                }
            }
            try await update.run()
        }
        return rows.count
    }

    /// Values of `column` sealed under a key other than the current one: sealed text starts `<key id>:`,
    /// sealed bytes start with the same characters.
    func oldKeyCondition(_ column: EncryptedColumns.Column) -> SQLQueryString {
        let prefix = "\(keys.currentKeyID):"
        if column.binary {
            return "\(ident: column.column) IS NOT NULL AND substr(\(ident: column.column), 1, \(literal: prefix.utf8.count)) <> \(bind: Data(prefix.utf8))"
        }
        // Key ids are letters, digits and '-', so the prefix holds no LIKE wildcard.
        return "\(ident: column.column) IS NOT NULL AND \(ident: column.column) NOT LIKE \(bind: prefix + "%")"
    }

    /// Counts values still under a key other than the current one (0 after a complete rotation).
    public func valuesUnderOldKeys() async throws -> Int {
        var count = 0
        for column in EncryptedColumns.all {
            count += try await database.withSQL { sql in
                let row = try await sql.raw("SELECT COUNT(*) AS n FROM \(ident: column.table) WHERE " + oldKeyCondition(column)).first()
                return try row?.decode(column: "n", as: Int.self) ?? 0
            }
        }
        return count
    }
}
