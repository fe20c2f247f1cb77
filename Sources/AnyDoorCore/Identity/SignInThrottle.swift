import Foundation

/// Limits on failed sign-ins (NIST SP 800-63B section 5.2.2: at most 100 consecutive failures per
/// account; REFERENCE.md section 7: rate limits on login): per account per hour, and per client address
/// per hour so one address cannot try many accounts.
public struct SignInThrottle: Sendable, Equatable {
    public var maxFailuresPerAccount: Int
    public var maxFailuresPerAddress: Int
    public var window: TimeInterval

    public init(maxFailuresPerAccount: Int = 100, maxFailuresPerAddress: Int = 300, window: TimeInterval = 3600) {
        self.maxFailuresPerAccount = maxFailuresPerAccount
        self.maxFailuresPerAddress = maxFailuresPerAddress
        self.window = window
    }

    /// Whether another attempt may be made, given the failures counted in the last `window`.
    public func allows(accountFailures: Int, addressFailures: Int) -> Bool {
        accountFailures < maxFailuresPerAccount && addressFailures < maxFailuresPerAddress
    }
}
