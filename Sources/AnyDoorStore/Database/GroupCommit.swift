import Foundation

/// Group commit: while one batch is being written, new items queue; the next batch takes them all (up to
/// `maximum`) in one transaction. A lone item is written at once; under load, many share one transaction's
/// fixed costs (on SQLite, its one writer; everywhere, one statement per table instead of one per item). If a
/// batch fails, each of its items is tried on its own, so one item's failure is never another's. One batcher
/// per database pool and kind of item (`GroupCommit.for(database, kind)`).
final class GroupCommit<Item: Sendable, Output: Sendable>: @unchecked Sendable {
    private struct Waiting {
        let item: Item
        let continuation: CheckedContinuation<Output, any Error>
    }

    private let lock = NSLock()
    private var waiting: [Waiting] = []
    private var draining = false
    let maximum: Int

    init(maximum: Int) {
        self.maximum = maximum
    }

    static func `for`(_ database: Database, _ kind: String, maximum: Int = 64) -> GroupCommit<Item, Output> {
        GroupCommitRegistry.batcher(database, kind) { GroupCommit<Item, Output>(maximum: maximum) }
    }

    /// Queues `item` and returns its output once the batch holding it is written by `write` (which returns
    /// one output per item, in order).
    func submit(_ item: Item, write: @escaping @Sendable ([Item]) async throws -> [Output]) async throws -> Output {
        try await withCheckedThrowingContinuation { continuation in
            let start = lock.withLock { () -> Bool in
                waiting.append(Waiting(item: item, continuation: continuation))
                if draining { return false }
                draining = true
                return true
            }
            if start { Task { await drain(write) } }
        }
    }

    private func drain(_ write: @Sendable ([Item]) async throws -> [Output]) async {
        while true {
            let batch = lock.withLock { () -> [Waiting] in
                let taken = Array(waiting.prefix(maximum))
                waiting.removeFirst(taken.count)
                if taken.isEmpty { draining = false }
                return taken
            }
            if batch.isEmpty { return }
            do {
                let outputs = try await write(batch.map(\.item))
                for (waiter, output) in zip(batch, outputs) { waiter.continuation.resume(returning: output) }
            } catch {
                if batch.count == 1 { batch[0].continuation.resume(throwing: error); continue }
                for waiter in batch {
                    do { waiter.continuation.resume(returning: try await write([waiter.item])[0]) } catch { waiter.continuation.resume(throwing: error) }
                }
            }
        }
    }
}

/// The batchers, per database pool and kind (generic types cannot hold static stored properties).
enum GroupCommitRegistry {
    private static let lock = NSLock()
    nonisolated(unsafe) private static var batchers: [String: AnyObject] = [:]

    static func batcher<B: AnyObject>(_ database: Database, _ kind: String, make: () -> B) -> B {
        lock.withLock {
            let key = "\(ObjectIdentifier(database).hashValue)|\(kind)"
            if let existing = batchers[key] as? B { return existing }
            let made = make()
            batchers[key] = made
            return made
        }
    }
}
