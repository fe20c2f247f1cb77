import Foundation

/// What the domain needs from the outside world that a test must be able to fix: the time and new ids.
public struct Environment: Sendable {
    public var now: @Sendable () -> Date
    public var makeID: @Sendable () -> UUID

    public init(now: @escaping @Sendable () -> Date, makeID: @escaping @Sendable () -> UUID) {
        self.now = now
        self.makeID = makeID
    }

    /// The real clock and random version-4 UUIDs.
    public static let live = Environment(now: { Date() }, makeID: { UUID() })
}
