import AnyDoorCore
import Foundation

/// Published services kept in memory for a few seconds, by code: every page, search result and Open311
/// answer reads them, and decoding a 14-language document each time dominated those requests. A publish,
/// retirement or import on this node clears the copy at once; one on another node is seen within `lifetime`.
final class PublishedCache: @unchecked Sendable {
    private let lock = NSLock()
    private var entries: [String: (service: PublishedService?, at: ContinuousClock.Instant)] = [:]
    private var generation = 0
    let lifetime: Duration
    let capacity: Int

    init(lifetime: Duration = .seconds(5), capacity: Int = 4000) {
        self.lifetime = lifetime
        self.capacity = capacity
    }

    /// `.some(nil)` is a cached "not published"; `nil` means not cached (or too old).
    func get(_ code: String) -> PublishedService?? {
        lock.withLock {
            guard let entry = entries[code], ContinuousClock.now - entry.at < lifetime else { return nil }
            return .some(entry.service)
        }
    }

    /// The generation to pass back to `store`, so a value read before a clear is not stored after it.
    var currentGeneration: Int { lock.withLock { generation } }

    func store(_ code: String, _ service: PublishedService?, generation: Int) {
        lock.withLock {
            guard generation == self.generation else { return }
            if entries.count >= capacity { entries.removeAll(keepingCapacity: true) }
            entries[code] = (service, ContinuousClock.now)
        }
    }

    func clear() {
        lock.withLock {
            entries.removeAll(keepingCapacity: true)
            generation += 1
        }
    }
}
