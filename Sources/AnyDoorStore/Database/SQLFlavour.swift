import PostgresKit
import SQLiteKit
import SQLKit

/// The few places where SQLite and PostgreSQL truly differ, kept in one small type so repositories
/// stay dialect-free (DESIGN.md: full-text search, upserts, locking).
public enum SQLFlavour: String, Sendable {
    case sqlite
    case postgres

    /// Whether `error` is a violation of a unique constraint (SQLite `SQLITE_CONSTRAINT_UNIQUE`,
    /// PostgreSQL SQLSTATE 23505).
    public func isUniqueViolation(_ error: any Error) -> Bool {
        switch self {
        case .sqlite:
            guard let error = error as? SQLiteError else { return false }
            return error.reason == .constraintUniqueFailed || error.reason == .constraintPrimaryKeyFailed
                || (error.reason == .constraint && error.message.contains("UNIQUE"))
        case .postgres:
            guard let error = error as? PSQLError else { return false }
            return error.serverInfo?[.sqlState] == "23505"
        }
    }
}
