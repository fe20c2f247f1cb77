import Foundation

/// How long each kind of record is kept (FOIPPA: information used to make a decision is kept at least
/// one year). The purge job deletes what is past its time and leaves an audit entry with the counts.
public struct RetentionRule: Sendable, Equatable {
    /// The table the rule applies to.
    public let table: String
    /// The column holding the time the period runs from.
    public let column: String
    public let keep: TimeInterval
    /// Why this period, for operators and privacy reviews.
    public let reason: String

    public init(table: String, column: String, keep: TimeInterval, reason: String) {
        self.table = table
        self.column = column
        self.keep = keep
        self.reason = reason
    }

    static let day: TimeInterval = 24 * 3600

    /// AnyDoor's schedule. The audit log, people's records, identity checks and representations are not
    /// purged by age: they support decisions and are kept for the life of the account.
    public static let schedule: [RetentionRule] = [
        RetentionRule(table: "sessions", column: "last_seen_at", keep: 30 * day, reason: "ended sessions are kept 30 days for the account's session history"),
        RetentionRule(table: "sign_in_failures", column: "at", keep: 1 * day, reason: "throttling needs one hour; a day helps investigate attacks"),
        RetentionRule(table: "email_tokens", column: "expires_at", keep: 7 * day, reason: "used or expired one-time links"),
        RetentionRule(table: "oidc_logins", column: "created_at", keep: 1 * day, reason: "abandoned provincial sign-ins"),
        RetentionRule(table: "notification_outbox", column: "created_at", keep: 90 * day, reason: "sent notifications, kept for delivery questions"),
        RetentionRule(table: "record_access", column: "at", keep: 2 * 365 * day, reason: "who looked at a record: two years, longer than the one-year disclosure look-back"),
        RetentionRule(table: "disclosures", column: "at", keep: 2 * 365 * day, reason: "disclosures: two years, so corrections reach everyone told in the past year"),
    ]
}

/// A purpose a person consents to, and to which ministries.
public enum ConsentPurpose: String, Codable, Sendable, CaseIterable {
    /// "Tell us once": share a change of address or contact details with the chosen ministries.
    case tellUsOnce = "tell-us-once"
}
