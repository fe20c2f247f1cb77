import Foundation

/// When a session ends (NIST SP 800-63B section 7.2, REFERENCE.md section 6): after 30 minutes without
/// activity, or 12 hours after sign-in, whichever comes first, and at once when signed out.
public struct SessionLifetime: Sendable, Equatable {
    public var idleTimeout: TimeInterval
    public var absoluteTimeout: TimeInterval

    public init(idleTimeout: TimeInterval = 30 * 60, absoluteTimeout: TimeInterval = 12 * 60 * 60) {
        self.idleTimeout = idleTimeout
        self.absoluteTimeout = absoluteTimeout
    }

    public enum Verdict: Sendable, Equatable {
        case active
        case idleExpired
        case absoluteExpired
        case revoked
    }

    /// The state at `now` of a session created at `createdAt`, last used at `lastSeenAt`.
    public func verdict(createdAt: Date, lastSeenAt: Date, revokedAt: Date?, now: Date) -> Verdict {
        if let revokedAt, revokedAt <= now { return .revoked }
        if now.timeIntervalSince(createdAt) >= absoluteTimeout { return .absoluteExpired }
        if now.timeIntervalSince(lastSeenAt) >= idleTimeout { return .idleExpired }
        return .active
    }
}
