import Foundation
import Logging
import SQLKit

/// Applies migrations and records each in `schema_migrations` (number, name, applied_at), one
/// transaction per migration, so a failure leaves the schema at the last good step.
public struct Migrator: Sendable {
    let database: Database
    let migrations: [any Migration]
    let logger: Logger

    public init(database: Database, migrations: [any Migration] = Migrations.all, logger: Logger) {
        self.database = database
        self.migrations = migrations
        self.logger = logger
    }

    /// Arbitrary constant naming AnyDoor's migration lock among PostgreSQL advisory locks.
    static let advisoryLockKey = 7_311_022

    /// The migrations that `migrate()` would apply.
    public func pending() async throws -> [any Migration] {
        let applied = try await appliedNumbers()
        try checkNotNewer(applied)
        return migrations.filter { !applied.contains($0.number) }
    }

    /// Applies every pending migration in order. Refuses (throws ``MigrationError/databaseNewerThanBinary``)
    /// when the database records a migration this binary does not know, since running older code on a
    /// newer schema could corrupt it.
    @discardableResult
    public func migrate(progress: @Sendable (String) -> Void = { _ in }) async throws -> [Int] {
        try await createTrackingTable()
        var done: [Int] = []
        for migration in try await pending() {
            progress("Applying migration \(migration.number): \(migration.name)")
            let flavour = database.flavour
            let applied = try await database.transaction { sql -> Bool in
                // Several nodes may start at once: serialise them and re-check inside the lock
                // (PostgreSQL: a transaction-scoped advisory lock; SQLite: BEGIN IMMEDIATE already serialises).
                if flavour == .postgres {
                    try await sql.raw("SELECT pg_advisory_xact_lock(\(bind: Self.advisoryLockKey))").run()
                }
                let already = try await sql.select().column("number").from("schema_migrations")
                    .where("number", .equal, SQLBind(migration.number)).first()
                if already != nil { return false }
                try await migration.prepare(on: sql, flavour: flavour)
                try await sql.insert(into: "schema_migrations")
                    .columns("number", "name", "applied_at")
                    .values(SQLBind(migration.number), SQLBind(migration.name), SQLBind(Date().timeIntervalSince1970))
                    .run()
                return true
            }
            guard applied else { continue }
            logger.info("migration applied", metadata: ["number": "\(migration.number)", "name": "\(migration.name)"])
            done.append(migration.number)
        }
        return done
    }

    /// Numbers recorded as applied, empty when the tracking table does not exist yet.
    public func appliedNumbers() async throws -> Set<Int> {
        try await createTrackingTable()
        return try await database.withSQL { sql in
            let rows = try await sql.select().column("number").from("schema_migrations").all()
            return Set(try rows.map { try $0.decode(column: "number", as: Int.self) })
        }
    }

    func checkNotNewer(_ applied: Set<Int>) throws {
        let known = Set(migrations.map(\.number))
        let unknown = applied.subtracting(known)
        if let newest = unknown.max() {
            throw MigrationError.databaseNewerThanBinary(databaseVersion: newest, binaryVersion: known.max() ?? 0)
        }
    }

    func createTrackingTable() async throws {
        try await database.withSQL { sql in
            try await sql.create(table: "schema_migrations")
                .ifNotExists()
                .column("number", type: .bigint, .primaryKey(autoIncrement: false))
                .column("name", type: .text, .notNull)
                .column("applied_at", type: .custom(SQLRaw("DOUBLE PRECISION")), .notNull)
                .run()
        }
    }
}

public enum MigrationError: Error, Equatable, CustomStringConvertible {
    case databaseNewerThanBinary(databaseVersion: Int, binaryVersion: Int)

    public var description: String {
        switch self {
        case let .databaseNewerThanBinary(databaseVersion, binaryVersion):
            "The database is at migration \(databaseVersion) but this AnyDoor knows only up to \(binaryVersion). Upgrade AnyDoor before using this database."
        }
    }
}
