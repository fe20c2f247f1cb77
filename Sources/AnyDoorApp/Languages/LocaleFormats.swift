import AnyDoorCore
import Foundation

/// Dates, times and numbers written for the reader's language, in the office's or person's time zone
/// (America/Vancouver by default), through Foundation's ICU formatting.
struct LocaleFormats: Sendable {
    let language: LanguageCode
    let timeZone: TimeZone

    init(language: LanguageCode, timeZone: TimeZone = TimeZone(identifier: "America/Vancouver")!) {
        self.language = language
        self.timeZone = timeZone
    }

    var locale: Locale {
        switch language {
        case .chineseSimplified: Locale(identifier: "zh_Hans_CN")
        case .chineseTraditional: Locale(identifier: "zh_Hant_TW")
        case .punjabi: Locale(identifier: "pa_Guru_IN")
        case .tagalog: Locale(identifier: "fil_PH")
        case .farsi: Locale(identifier: "fa_IR")
        case .arabic: Locale(identifier: "ar")
        default: Locale(identifier: language.rawValue + "_CA")
        }
    }

    /// Government dates are Gregorian in every language (the Farsi locale would otherwise default to the
    /// Solar Hijri calendar), written with the language's month names and digits.
    func dateTime(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.locale = locale
        formatter.calendar = Calendar(identifier: .gregorian)
        formatter.timeZone = timeZone
        formatter.dateStyle = .medium
        formatter.timeStyle = .short
        return formatter.string(from: date)
    }

    /// A date without the time, as the language writes it (Gregorian).
    func date(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.locale = locale
        formatter.calendar = Calendar(identifier: .gregorian)
        formatter.timeZone = timeZone
        formatter.dateStyle = .long
        formatter.timeStyle = .none
        return formatter.string(from: date)
    }

    /// A wall-clock time given as `HH:mm`, written the language's way (`8:00 a.m.`, `上午8:00`); `nil` if malformed.
    func time(_ text: String) -> String? {
        let parts = text.split(separator: ":").compactMap { Int($0) }
        guard parts.count == 2, (0...24).contains(parts[0]), (0...59).contains(parts[1]) else { return nil }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        guard let date = calendar.date(from: DateComponents(year: 2026, month: 1, day: 5, hour: parts[0] % 24, minute: parts[1])) else { return nil }
        let formatter = DateFormatter()
        formatter.locale = locale
        formatter.calendar = calendar
        formatter.timeZone = calendar.timeZone
        formatter.dateStyle = .none
        formatter.timeStyle = .short
        return formatter.string(from: date)
    }

    /// Weekday names from Monday to Sunday in the language.
    var weekdayNames: [String] {
        let formatter = DateFormatter()
        formatter.locale = locale
        formatter.calendar = Calendar(identifier: .gregorian)
        let sundayFirst = formatter.standaloneWeekdaySymbols ?? formatter.weekdaySymbols ?? []
        guard sundayFirst.count == 7 else { return OpeningHours.days }
        return Array(sundayFirst[1...]) + [sundayFirst[0]]
    }

    /// An amount of money in Canadian dollars, as the language writes it.
    func money(_ amount: Decimal, currency: String = "CAD") -> String {
        let formatter = NumberFormatter()
        formatter.locale = locale
        formatter.numberStyle = .currency
        formatter.currencyCode = currency
        return formatter.string(from: amount as NSDecimalNumber) ?? "\(amount) \(currency)"
    }

    func number(_ value: Int) -> String {
        let formatter = NumberFormatter()
        formatter.locale = locale
        formatter.numberStyle = .decimal
        return formatter.string(from: NSNumber(value: value)) ?? String(value)
    }
}
