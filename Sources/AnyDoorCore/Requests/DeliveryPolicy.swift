import Foundation

/// What happens after one webhook delivery attempt (REFERENCE.md section 4, Standard Webhooks 1.0).
public enum DeliveryOutcome: Sendable, Equatable {
    /// 2xx: delivered.
    case delivered
    /// Try again at this time (keeps the message id; a fresh timestamp and signature each time).
    case retry(at: Date)
    /// 410 Gone: the receiver asks never to be called again; the endpoint is disabled.
    case disableEndpoint
    /// Out of attempts: the event goes to the dead-letter list, for replay from the staff pages.
    case deadLetter
}

/// Retries with exponential backoff and jitter. The schedule is Standard Webhooks' reference one
/// (immediately, 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 10 h), each delay varied by up to 20% either way so
/// that receivers coming back are not hit by every sender at the same second. 429, 502 and 504 mean
/// "slow down": a `Retry-After` is honoured when it asks for longer than the schedule (capped at a day).
public struct DeliveryPolicy: Sendable {
    public var delays: [TimeInterval]
    public var jitter: Double
    public var maximumRetryAfter: TimeInterval

    public static let standard = DeliveryPolicy(delays: [5, 300, 1800, 7200, 18000, 36000, 36000], jitter: 0.2, maximumRetryAfter: 86400)

    public init(delays: [TimeInterval], jitter: Double, maximumRetryAfter: TimeInterval) {
        self.delays = delays
        self.jitter = jitter
        self.maximumRetryAfter = maximumRetryAfter
    }

    /// Attempts in all: the first and one per delay.
    public var maximumAttempts: Int { delays.count + 1 }

    /// Decides after attempt number `attempt` (1 for the first) answered `status` (`nil`: no answer, such as
    /// a refused connection or a timeout). `retryAfter` is the header's value, as sent.
    public func outcome<G: RandomNumberGenerator>(attempt: Int, status: Int?, retryAfter: String?, now: Date,
                                                  using generator: inout G) -> DeliveryOutcome {
        if let status, (200..<300).contains(status) { return .delivered }
        if status == 410 { return .disableEndpoint }
        guard attempt < maximumAttempts else { return .deadLetter }
        let base = delays[attempt - 1]
        var delay = base * (1 + Double.random(in: -jitter...jitter, using: &generator))
        if let status, [429, 502, 504].contains(status), let asked = Self.retryAfter(retryAfter, now: now) {
            delay = max(delay, min(asked, maximumRetryAfter))
        }
        return .retry(at: now.addingTimeInterval(delay))
    }

    public func outcome(attempt: Int, status: Int?, retryAfter: String?, now: Date) -> DeliveryOutcome {
        var generator = SystemRandomNumberGenerator()
        return outcome(attempt: attempt, status: status, retryAfter: retryAfter, now: now, using: &generator)
    }

    /// `Retry-After` in seconds: delay-seconds or an HTTP-date (RFC 9110 section 10.2.3). `nil` when absent,
    /// malformed or in the past.
    public static func retryAfter(_ value: String?, now: Date) -> TimeInterval? {
        guard let value = value?.trimmingCharacters(in: .whitespaces), !value.isEmpty else { return nil }
        if let seconds = Int(value) { return seconds >= 0 ? TimeInterval(seconds) : nil }
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss zzz"
        guard let date = formatter.date(from: value) else { return nil }
        let seconds = date.timeIntervalSince(now)
        return seconds > 0 ? seconds : nil
    }
}
