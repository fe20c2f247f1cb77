import Foundation

/// A day on the calendar, without a time or zone: holidays, office days, appointment days.
public struct LocalDate: Hashable, Comparable, Sendable, Codable, CustomStringConvertible {
    public let year: Int
    public let month: Int
    public let day: Int

    public init(_ year: Int, _ month: Int, _ day: Int) {
        self.year = year
        self.month = month
        self.day = day
    }

    static let gregorian: Calendar = {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        return calendar
    }()

    /// Parses `YYYY-MM-DD`; `nil` for anything else, including days that do not exist (2026-02-30).
    public init?(_ text: String) {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
              let year = Int(parts[0]), let month = Int(parts[1]), let day = Int(parts[2]),
              (1...12).contains(month), (1...31).contains(day) else { return nil }
        let candidate = LocalDate(year, month, day)
        guard candidate.adding(days: 0) == candidate else { return nil }
        self = candidate
    }

    /// The day a moment falls on in a time zone.
    public init(_ date: Date, in zone: TimeZone) {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        let parts = calendar.dateComponents([.year, .month, .day], from: date)
        self.init(parts.year!, parts.month!, parts.day!)
    }

    var noonUTC: Date {
        Self.gregorian.date(from: DateComponents(year: year, month: month, day: day, hour: 12))!
    }

    /// 1 = Sunday ... 7 = Saturday, as Foundation counts.
    public var weekday: Int { Self.gregorian.component(.weekday, from: noonUTC) }
    public var isWeekend: Bool { weekday == 1 || weekday == 7 }

    public func adding(days: Int) -> LocalDate {
        let date = Self.gregorian.date(byAdding: .day, value: days, to: noonUTC)!
        return LocalDate(date, in: TimeZone(identifier: "UTC")!)
    }

    /// Whole days from `self` to `other`.
    public func days(to other: LocalDate) -> Int {
        Int(((other.noonUTC.timeIntervalSince(noonUTC)) / 86_400).rounded())
    }

    /// The moment `minutes` after midnight of this day in `zone` (daylight saving handled by Foundation).
    public func at(minutes: Int, in zone: TimeZone) -> Date {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        return calendar.date(from: DateComponents(year: year, month: month, day: day, hour: minutes / 60, minute: minutes % 60))!
    }

    public var description: String { String(format: "%04d-%02d-%02d", year, month, day) }

    public static func < (lhs: LocalDate, rhs: LocalDate) -> Bool {
        (lhs.year, lhs.month, lhs.day) < (rhs.year, rhs.month, rhs.day)
    }

    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let date = LocalDate(text) else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "not a date (YYYY-MM-DD): \(text)"))
        }
        self = date
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}
