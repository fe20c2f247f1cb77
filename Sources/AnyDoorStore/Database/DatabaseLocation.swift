import Foundation

/// Which database AnyDoor uses: the embedded SQLite file (the default) or a PostgreSQL server.
public enum DatabaseLocation: Sendable, Equatable {
    case sqliteFile(path: String)
    case postgres(url: String)

    /// `DATABASE_URL` decides: a value starting with `postgres` means PostgreSQL, anything else
    /// (unset or empty included) means the SQLite file `anydoor.sqlite` in `dataDirectory`.
    public static func from(databaseURL: String?, dataDirectory: String) -> DatabaseLocation {
        if let url = databaseURL?.trimmingCharacters(in: .whitespaces), url.hasPrefix("postgres") {
            return .postgres(url: url)
        }
        return .sqliteFile(path: URL(fileURLWithPath: dataDirectory).appendingPathComponent("anydoor.sqlite").path)
    }

    /// A description safe to log: never the password of a PostgreSQL URL.
    public var redacted: String {
        switch self {
        case .sqliteFile(let path): return "sqlite:\(path)"
        case .postgres(let url):
            guard var components = URLComponents(string: url) else { return "postgres://(unparseable)" }
            if components.password != nil { components.password = "***" }
            return components.string ?? "postgres://"
        }
    }
}
