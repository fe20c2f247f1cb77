import Foundation
import SQLKit

/// Every encrypted column, with the context its values are bound to. A new encrypted column is added
/// here, so key rotation covers it.
public enum EncryptedColumns {
    public struct Column: Sendable {
        public let table: String
        public let key: String
        public let column: String
        public let context: String
    }

    public static let all: [Column] = [
        Column(table: "people", key: "id", column: "email_enc", context: "people.email"),
        Column(table: "people", key: "id", column: "name_enc", context: "people.name"),
        Column(table: "people", key: "id", column: "totp_secret_enc", context: "people.totp"),
        Column(table: "staff", key: "id", column: "email_enc", context: "staff.email"),
        Column(table: "staff", key: "id", column: "name_enc", context: "staff.name"),
        Column(table: "staff", key: "id", column: "totp_secret_enc", context: "staff.totp"),
        Column(table: "notification_outbox", key: "id", column: "recipient_enc", context: "outbox.recipient"),
        Column(table: "notification_outbox", key: "id", column: "subject_enc", context: "outbox.subject"),
        Column(table: "notification_outbox", key: "id", column: "body_enc", context: "outbox.body"),
        Column(table: "correction_requests", key: "id", column: "requested_enc", context: "corrections.requested"),
        Column(table: "correction_requests", key: "id", column: "reason_enc", context: "corrections.reason"),
        Column(table: "correction_requests", key: "id", column: "annotation_enc", context: "corrections.annotation"),
    ]
}

/// Re-encrypts every personal field that is not under the current key (`anydoor keys rotate`).
/// Each table is done in its own transaction; running it again after an interruption finishes the job.
public struct KeyRotation: Sendable {
    let database: Database
    let keys: KeyRing

    public init(database: Database, keys: KeyRing) {
        self.database = database
        self.keys = keys
    }

    /// Returns how many values were re-encrypted. `progress` gets (column, done so far).
    @discardableResult
    public func reencryptAll(progress: @Sendable (String, Int) -> Void = { _, _ in }) async throws -> Int {
        var total = 0
        let current = keys.currentKeyID
        for column in EncryptedColumns.all {
            let done = try await database.transaction { sql in
                let rows = try await sql.select().column(SQLIdentifier(column.key), as: "k").column(SQLIdentifier(column.column), as: "v")
                    .from(column.table).all()
                var changed = 0
                for row in rows {
                    guard let sealed = try row.decode(column: "v", as: String?.self), KeyRing.keyID(of: sealed) != current else { continue }
                    let plain = try keys.open(sealed, context: column.context)
                    try await sql.update(column.table).set(SQLIdentifier(column.column), to: SQLBind(try keys.seal(plain, context: column.context)))
                        .where(SQLIdentifier(column.key), .equal, SQLBind(try row.decode(column: "k", as: String.self))).run()
                    changed += 1
                }
                return changed
            }
            total += done
            progress("\(column.table).\(column.column)", done)
        }
        return total
    }

    /// Counts values still under a key other than the current one (0 after a complete rotation).
    public func valuesUnderOldKeys() async throws -> Int {
        let current = keys.currentKeyID
        var count = 0
        for column in EncryptedColumns.all {
            count += try await database.withSQL { sql in
                try await sql.select().column(SQLIdentifier(column.column), as: "v").from(column.table).all()
                    .compactMap { try $0.decode(column: "v", as: String?.self) }.filter { KeyRing.keyID(of: $0) != current }.count
            }
        }
        return count
    }
}
