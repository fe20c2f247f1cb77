/// Where a notification stands (REFERENCE.md section 5, GC Notify's statuses). Statuses only move forward:
/// created, then sending, then delivered or one of the failures; a late or repeated receipt that would move
/// one back is ignored.
public enum NotificationStatus: String, Codable, Sendable, CaseIterable {
    case created
    case sending
    case delivered
    case permanentFailure = "permanent-failure"
    case temporaryFailure = "temporary-failure"
    case technicalFailure = "technical-failure"

    var rank: Int {
        switch self {
        case .created: 0
        case .sending: 1
        case .delivered, .permanentFailure, .temporaryFailure, .technicalFailure: 2
        }
    }

    public var isFinal: Bool { rank == 2 }

    /// Whether a receipt saying `next` may replace this status.
    public func canMove(to next: NotificationStatus) -> Bool { next.rank > rank }
}

/// What a person chose for news about their requests. Email is on unless they turn it off; text messages
/// need a mobile number.
public struct NotificationPreferences: Sendable, Equatable {
    public var email: Bool
    public var sms: Bool
    public var phone: String?

    public init(email: Bool = true, sms: Bool = false, phone: String? = nil) {
        self.email = email
        self.sms = sms
        self.phone = phone
    }

    /// A phone number as typed, reduced to `+` and digits; `nil` unless it has 10 to 15 digits. Ten digits are
    /// a North American number (`+1` is added).
    public static func normalisedPhone(_ text: String) -> String? {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        guard trimmed.allSatisfy({ $0.isASCII && ($0.isNumber || " -().+".contains($0)) }), trimmed.filter({ $0 == "+" }).count <= 1,
              !trimmed.contains("+") || trimmed.hasPrefix("+") else { return nil }
        let digits = trimmed.filter(\.isNumber)
        guard (10...15).contains(digits.count) else { return nil }
        if !trimmed.hasPrefix("+") && digits.count == 10 { return "+1" + digits }
        return "+" + digits
    }
}
