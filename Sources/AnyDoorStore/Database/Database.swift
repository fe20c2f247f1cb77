@preconcurrency import AsyncKit
import Foundation
import Logging
import NIOCore
import NIOPosix
import PostgresKit
import SQLiteKit
import SQLKit

/// The connection pool to AnyDoor's database, SQLite or PostgreSQL, and the one way repositories reach it.
///
/// Connections are opened lazily and a broken one is discarded by the pool, so when PostgreSQL goes away
/// and comes back, the next request simply opens a new connection: nothing needs restarting.
public final class Database: Sendable {
    public let flavour: SQLFlavour
    public let location: DatabaseLocation
    let pool: any SQLConnectionPool
    let logger: Logger
    /// Connections currently lent out, for the `/metrics` pool gauges.
    let inUse = LockedCounter()
    /// SQLite allows one writer at a time. Write transactions queue here, in the process, instead of
    /// waiting inside SQLite (busy_timeout), which would hold blocking threads while they wait.
    let writers = AsyncLock()
    /// SQLite calls block a thread; they get their own pool so a waiting query never starves the others.
    let sqliteThreads: NIOThreadPool?

    /// The most connections the pool opens at once.
    public var maxConnections: Int { pool.maxConnections }
    /// Connections lent out right now.
    public var connectionsInUse: Int { inUse.value }

    /// Opens a pool (no connection is made until first use). For SQLite the data folder is created.
    public init(location: DatabaseLocation, logger: Logger, eventLoopGroup: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton) throws {
        self.location = location
        self.logger = logger
        switch location {
        case .sqliteFile(let path):
            let folder = URL(fileURLWithPath: path).deletingLastPathComponent()
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            self.flavour = .sqlite
            let threads = NIOThreadPool(numberOfThreads: 8)
            threads.start()
            self.sqliteThreads = threads
            self.pool = PooledConnections(
                source: SQLiteFileSource(path: path, threadPool: threads),
                maxConnectionsPerEventLoop: 2,
                logger: logger,
                eventLoopGroup: eventLoopGroup
            ) { $0.sql() }
        case .postgres(let url):
            var configuration: SQLPostgresConfiguration
            do {
                configuration = try SQLPostgresConfiguration(url: url)
            } catch {
                throw DatabaseConfigurationError.invalidPostgresURL
            }
            // AnyDoor's queries are short: compiling them (JIT) costs more than it saves, and one search with a
            // high cost estimate paid ~5 ms for it.
            configuration.coreConfiguration.options.additionalStartupParameters.append(("jit", "off"))
            self.flavour = .postgres
            self.sqliteThreads = nil
            self.pool = PooledConnections(
                source: PostgresConnectionSource(sqlConfiguration: configuration),
                maxConnectionsPerEventLoop: 4,
                logger: logger,
                eventLoopGroup: eventLoopGroup
            ) { $0.sql() }
        }
    }

    /// Runs `body` on one connection from the pool, returned afterwards whatever happens.
    public func withSQL<Result: Sendable>(_ body: @Sendable (any SQLDatabase) async throws -> Result) async throws -> Result {
        inUse.add(1)
        defer { inUse.add(-1) }
        do {
            return try await pool.withSQL(logger: logger, body)
        } catch let error as ConnectionPoolError {
            throw DatabaseUnavailable(underlying: String(describing: error))
        } catch let error where Self.isConnectionFailure(error) {
            throw DatabaseUnavailable(underlying: String(describing: type(of: error)))
        }
    }

    /// Runs `body` in one transaction on one connection: committed when it returns, rolled back when it throws.
    public func transaction<Result: Sendable>(_ body: @Sendable (any SQLDatabase) async throws -> Result) async throws -> Result {
        guard flavour == .sqlite else { return try await runTransaction(body) }
        await writers.lock()
        do {
            let result = try await runTransaction(body)
            await writers.unlock()
            return result
        } catch {
            await writers.unlock()
            throw error
        }
    }

    private func runTransaction<Result: Sendable>(_ body: @Sendable (any SQLDatabase) async throws -> Result) async throws -> Result {
        try await withSQL { sql in
            // SQLite: take the write lock up front so a transaction never fails half-way on a busy database.
            try await sql.raw(SQLQueryString(flavour == .sqlite ? "BEGIN IMMEDIATE" : "BEGIN")).run()
            do {
                let result = try await body(sql)
                try await sql.raw("COMMIT").run()
                return result
            } catch {
                try? await sql.raw("ROLLBACK").run()
                throw error
            }
        }
    }

    /// PostgreSQL's LC_CTYPE for this database (pg_trgm needs a UTF-8 one to index non-Latin text); `nil` on SQLite.
    public func postgresCharacterType() async throws -> String? {
        guard flavour == .postgres else { return nil }
        return try await withSQL { sql in
            try await sql.raw("SELECT datctype FROM pg_database WHERE datname = current_database()").first()?.decode(column: "datctype", as: String.self)
        }
    }

    /// Checks the database answers (`SELECT 1`). Used by `/health/ready`.
    public func ping() async throws {
        try await withSQL { sql in _ = try await sql.raw("SELECT 1 AS ok").all() }
    }

    /// Closes every connection. Call once, at shutdown.
    public func shutdown() async {
        await pool.shutdown()
        try? await sqliteThreads?.shutdownGracefully()
    }

    static func isConnectionFailure(_ error: any Error) -> Bool {
        if error is ChannelError || error is IOError { return true }
        if let psql = error as? PSQLError {
            switch psql.code {
            case .connectionError, .serverClosedConnection, .clientClosedConnection, .uncleanShutdown:
                return true
            default:
                return psql.serverInfo?[.sqlState].map { $0.hasPrefix("08") || $0 == "57P01" || $0 == "57P03" } ?? false
            }
        }
        return false
    }
}

/// The database cannot be reached right now; callers answer 503 and try again later.
public struct DatabaseUnavailable: Error, CustomStringConvertible {
    public let underlying: String
    public init(underlying: String) { self.underlying = underlying }
    public var description: String { "database unavailable (\(underlying))" }
}

public enum DatabaseConfigurationError: Error, CustomStringConvertible {
    case invalidPostgresURL
    public var description: String {
        "DATABASE_URL is not a valid PostgreSQL URL (expected postgres://user:password@host:port/database)"
    }
}

/// A pool of connections of one driver, seen through SQLKit.
protocol SQLConnectionPool: Sendable {
    var maxConnections: Int { get }
    func withSQL<Result: Sendable>(logger: Logger, _ body: @Sendable (any SQLDatabase) async throws -> Result) async throws -> Result
    func shutdown() async
}

// @unchecked: AsyncKit's pool predates Sendable but guards its state with a lock and event loops.
struct PooledConnections<Source: ConnectionPoolSource>: SQLConnectionPool, @unchecked Sendable where Source.Connection: Sendable {
    let pool: EventLoopGroupConnectionPool<Source>
    let makeSQL: @Sendable (Source.Connection) -> any SQLDatabase
    let maxConnections: Int

    init(source: Source, maxConnectionsPerEventLoop: Int, logger: Logger, eventLoopGroup: any EventLoopGroup,
         makeSQL: @escaping @Sendable (Source.Connection) -> any SQLDatabase) {
        self.pool = EventLoopGroupConnectionPool(
            source: source,
            maxConnectionsPerEventLoop: maxConnectionsPerEventLoop,
            requestTimeout: .seconds(5),
            pruneInterval: .seconds(60),
            logger: logger,
            on: eventLoopGroup
        )
        self.makeSQL = makeSQL
        self.maxConnections = maxConnectionsPerEventLoop * eventLoopGroup.makeIterator().map { _ in 1 }.count
    }

    func withSQL<Result: Sendable>(logger: Logger, _ body: @Sendable (any SQLDatabase) async throws -> Result) async throws -> Result {
        let connection = try await pool.requestConnection(logger: logger).get()
        defer { pool.releaseConnection(connection, logger: logger) }
        return try await body(makeSQL(connection))
    }

    func shutdown() async {
        try? await pool.shutdownAsync()
    }
}

/// Opens SQLite connections to one file with the settings AnyDoor relies on: write-ahead logging so
/// readers never wait for the writer, a busy timeout so concurrent writers queue instead of failing,
/// and foreign keys enforced.
struct SQLiteFileSource: ConnectionPoolSource {
    let path: String
    let threadPool: NIOThreadPool

    func makeConnection(logger: Logger, on eventLoop: any EventLoop) -> EventLoopFuture<SQLiteConnection> {
        SQLiteConnection.open(storage: .file(path: path), threadPool: threadPool, logger: logger, on: eventLoop).flatMap { connection in
            // The busy timeout first: setting WAL mode needs a lock, and a connection opened while another writes
            // must wait for it rather than fail ("database is locked").
            let pragmas = ["PRAGMA busy_timeout = 5000", "PRAGMA journal_mode = WAL", "PRAGMA foreign_keys = ON", "PRAGMA synchronous = NORMAL",
                           // Catalogue search reads many rows per query: a bigger page cache and memory-mapped reads.
                           "PRAGMA cache_size = -32768", "PRAGMA mmap_size = 268435456"]
            return pragmas.reduce(eventLoop.makeSucceededVoidFuture()) { previous, pragma in
                previous.flatMap { connection.query(pragma).map { _ in } }
            }.map { connection }
        }
    }
}

/// A counter shared across tasks.
final class LockedCounter: @unchecked Sendable {
    private let lock = NSLock()
    private var count = 0

    func add(_ delta: Int) { lock.withLock { count += delta } }
    var value: Int { lock.withLock { count } }
}

/// A lock for async code: waiters queue in order and suspend instead of blocking a thread.
actor AsyncLock {
    private var locked = false
    private var waiters: [CheckedContinuation<Void, Never>] = []

    func lock() async {
        if !locked {
            locked = true
            return
        }
        await withCheckedContinuation { waiters.append($0) }
    }

    func unlock() {
        if waiters.isEmpty {
            locked = false
        } else {
            waiters.removeFirst().resume()
        }
    }
}
