import Foundation
import NIOCore

/// The encoded ministry list, kept for a few seconds. Ministries are reference data read by every
/// page and client and changed a few times a year, so one node serves them from memory: a write on this
/// node clears the copy at once, and a write on another node is seen within `lifetime` seconds.
final class MinistryListCache: @unchecked Sendable {
    private let lock = NSLock()
    private var entry: (body: ByteBuffer, etag: String, at: ContinuousClock.Instant)?
    let lifetime: Duration

    init(lifetime: Duration = .seconds(5)) {
        self.lifetime = lifetime
    }

    /// The cached body and its entity tag, or nil when there is none or it is too old.
    func current() -> (body: ByteBuffer, etag: String)? {
        lock.withLock {
            guard let entry, ContinuousClock.now - entry.at < lifetime else { return nil }
            return (entry.body, entry.etag)
        }
    }

    func store(_ body: ByteBuffer, etag: String) {
        lock.withLock { entry = (body, etag, ContinuousClock.now) }
    }

    func clear() {
        lock.withLock { entry = nil }
    }
}
