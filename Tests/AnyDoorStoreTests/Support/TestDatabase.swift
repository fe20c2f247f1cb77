import Testing
import AnyDoorStore
import Foundation
import Logging
import SQLKit

/// The databases the store suite runs against: always SQLite (a real file, WAL), and PostgreSQL when
/// `ANYDOOR_TEST_POSTGRES_URL` points at a server (scripts/test starts a throwaway one).
enum TestDatabase: String, CaseIterable, CustomTestStringConvertible, Sendable {
    case sqlite
    case postgres

    var testDescription: String { rawValue }

    static let postgresURL = ProcessInfo.processInfo.environment["ANYDOOR_TEST_POSTGRES_URL"].flatMap { $0.isEmpty ? nil : $0 }

    /// SQLite always; PostgreSQL only when configured.
    static var available: [TestDatabase] {
        postgresURL == nil ? [.sqlite] : [.sqlite, .postgres]
    }

    static let logger: Logger = {
        var logger = Logger(label: "test")
        logger.logLevel = .warning
        return logger
    }()

    /// Runs `body` with a fresh, empty database of this kind, removed afterwards.
    func withFresh<Result: Sendable>(_ body: (Database) async throws -> Result) async throws -> Result {
        switch self {
        case .sqlite:
            let folder = FileManager.default.temporaryDirectory.appendingPathComponent("anydoor-test-\(UUID().uuidString)")
            let database = try Database(location: .sqliteFile(path: folder.appendingPathComponent("anydoor.sqlite").path), logger: Self.logger)
            defer { try? FileManager.default.removeItem(at: folder) }
            do {
                let result = try await body(database)
                await database.shutdown()
                return result
            } catch {
                await database.shutdown()
                throw error
            }
        case .postgres:
            let baseURL = try #require(Self.postgresURL)
            let name = "anydoor_t_\(UUID().uuidString.replacingOccurrences(of: "-", with: "").prefix(16).lowercased())"
            let admin = try Database(location: .postgres(url: baseURL), logger: Self.logger)
            try await admin.withSQL { try await $0.raw(SQLQueryString("CREATE DATABASE \(unsafeRaw: name)")).run() }
            var components = try #require(URLComponents(string: baseURL))
            components.path = "/\(name)"
            let database = try Database(location: .postgres(url: components.string!), logger: Self.logger)
            func cleanUp() async {
                await database.shutdown()
                try? await admin.withSQL { try await $0.raw(SQLQueryString("DROP DATABASE IF EXISTS \(unsafeRaw: name) WITH (FORCE)")).run() }
                await admin.shutdown()
            }
            do {
                let result = try await body(database)
                await cleanUp()
                return result
            } catch {
                await cleanUp()
                throw error
            }
        }
    }

    /// A fresh database with every migration applied.
    func withMigrated<Result: Sendable>(_ body: (Database) async throws -> Result) async throws -> Result {
        try await withFresh { database in
            try await Migrator(database: database, logger: Self.logger).migrate()
            return try await body(database)
        }
    }
}
