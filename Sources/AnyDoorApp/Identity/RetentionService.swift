import AnyDoorCore
import AnyDoorStore
import AsyncAlgorithms
import Foundation
import Logging
import ServiceLifecycle

/// Applies the retention schedule (``RetentionRule/schedule``) every hour while AnyDoor runs. Each run
/// that deletes anything leaves an audit entry with the counts per table, never the records themselves.
public struct RetentionService: Service {
    let database: Database
    let keys: KeyRing
    let environment: AnyDoorCore.Environment
    let logger: Logger
    let interval: Duration

    public init(database: Database, keys: KeyRing, environment: AnyDoorCore.Environment, logger: Logger, interval: Duration = .seconds(3600)) {
        self.database = database
        self.keys = keys
        self.environment = environment
        self.logger = logger
        self.interval = interval
    }

    /// One run; returns the counts.
    @discardableResult
    public func purgeOnce() async throws -> [String: Int] {
        let now = environment.now()
        let counts = try await SQLPrivacy(database: database, keys: keys).purge(now: now)
        let deleted = counts.filter { $0.value > 0 }
        if !deleted.isEmpty {
            try await SQLAuditLog(database: database, keys: keys).append(AuditEntry(
                at: now, actor: "system", action: "retention.purged", channel: .system,
                detail: deleted.sorted { $0.key < $1.key }.map { "\($0.key): \($0.value)" }.joined(separator: ", ")))
        }
        return counts
    }

    public func run() async throws {
        for await _ in AsyncTimerSequence(interval: interval, clock: .continuous).cancelOnGracefulShutdown() {
            do {
                try await purgeOnce()
            } catch {
                logger.warning("retention purge failed; will retry", metadata: ["error": "\(type(of: error))"])
            }
        }
    }
}
