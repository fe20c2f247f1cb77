import AnyDoorCore
import Foundation

/// Formatters are expensive to create (ICU), so each kind is made once per language and time zone and
/// used under a lock (ICU formatters are not safe to share between threads without one).
final class FormatterCache: @unchecked Sendable {
    static let shared = FormatterCache()
    private let lock = NSLock()
    private var formatters: [String: Formatter] = [:]
    private var strings: [String: String] = [:]

    func with<F: Formatter, Result>(_ key: String, make: () -> F, _ body: (F) -> Result) -> Result {
        lock.withLock {
            let formatter = (formatters[key] as? F) ?? { let made = make(); formatters[key] = made; return made }()
            return body(formatter)
        }
    }

    /// A formatted text that never changes for its key (weekday names, a wall-clock time), kept.
    func text(_ key: String, _ make: () -> String) -> String {
        if let text = lock.withLock({ strings[key] }) { return text }
        let text = make()
        lock.withLock { if strings.count < 10_000 { strings[key] = text } }
        return text
    }
}

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
        FormatterCache.shared.with("dateTime|\(language.rawValue)|\(timeZone.identifier)", make: { () -> DateFormatter in
            let formatter: DateFormatter = DateFormatter()
            formatter.locale = locale
            formatter.calendar = Calendar(identifier: .gregorian)
            formatter.timeZone = timeZone
            formatter.dateStyle = .medium
            formatter.timeStyle = .short
            return formatter
        }) { (formatter: DateFormatter) in formatter.string(from: date) }
    }

    /// A date without the time, as the language writes it (Gregorian).
    func date(_ date: Date) -> String {
        FormatterCache.shared.with("date|\(language.rawValue)|\(timeZone.identifier)", make: { () -> DateFormatter in
            let formatter = DateFormatter()
            formatter.locale = locale
            formatter.calendar = Calendar(identifier: .gregorian)
            formatter.timeZone = timeZone
            formatter.dateStyle = .long
            formatter.timeStyle = .none
            return formatter
        }) { (formatter: DateFormatter) in formatter.string(from: date) }
    }

    /// A wall-clock time given as `HH:mm`, written the language's way (`8:00 a.m.`, `上午8:00`); `nil` if malformed.
    func time(_ text: String) -> String? {
        let parts = text.split(separator: ":").compactMap { Int($0) }
        guard parts.count == 2, (0...24).contains(parts[0]), (0...59).contains(parts[1]) else { return nil }
        return FormatterCache.shared.text("time|\(language.rawValue)|\(parts[0]):\(parts[1])") { makeTime(parts) }
    }

    private func makeTime(_ parts: [Int]) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        guard let date = calendar.date(from: DateComponents(year: 2026, month: 1, day: 5, hour: parts[0] % 24, minute: parts[1])) else { return "" }
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
        FormatterCache.shared.text("weekdays|\(language.rawValue)") { makeWeekdayNames().joined(separator: "\u{1F}") }.components(separatedBy: "\u{1F}")
    }

    private func makeWeekdayNames() -> [String] {
        let formatter = DateFormatter()
        formatter.locale = locale
        formatter.calendar = Calendar(identifier: .gregorian)
        let sundayFirst = formatter.standaloneWeekdaySymbols ?? formatter.weekdaySymbols ?? []
        guard sundayFirst.count == 7 else { return OpeningHours.days }
        return Array(sundayFirst[1...]) + [sundayFirst[0]]
    }

    /// An amount of money in Canadian dollars, as the language writes it.
    func money(_ amount: Decimal, currency: String = "CAD") -> String {
        FormatterCache.shared.with("money|\(language.rawValue)|\(currency)", make: { () -> NumberFormatter in
            let formatter = NumberFormatter()
            formatter.locale = locale
            formatter.numberStyle = .currency
            formatter.currencyCode = currency
            return formatter
        }) { (formatter: NumberFormatter) in formatter.string(from: amount as NSDecimalNumber) ?? "\(amount) \(currency)" }
    }

    /// A file's size: kilobytes below one megabyte, else megabytes with one decimal, digits as the language writes them.
    func fileSize(_ bytes: Int) -> String {
        if bytes < 1_000_000 { return "\(number(max(1, (bytes + 999) / 1000))) kB" }
        return FormatterCache.shared.with("megabytes|\(language.rawValue)", make: { () -> NumberFormatter in
            let formatter = NumberFormatter()
            formatter.locale = locale
            formatter.numberStyle = .decimal
            formatter.maximumFractionDigits = 1
            formatter.minimumFractionDigits = 1
            return formatter
        }) { (formatter: NumberFormatter) in (formatter.string(from: NSNumber(value: Double(bytes) / 1_000_000)) ?? String(bytes / 1_000_000)) + " MB" }
    }

    func number(_ value: Int) -> String {
        FormatterCache.shared.with("number|\(language.rawValue)", make: { () -> NumberFormatter in
            let formatter = NumberFormatter()
            formatter.locale = locale
            formatter.numberStyle = .decimal
            return formatter
        }) { (formatter: NumberFormatter) in formatter.string(from: NSNumber(value: value)) ?? String(value) }
    }
}

extension LocaleFormats {
    /// Minutes after midnight of an `HH:mm` text (what `<input type="time">` and `datetime-local` send); `nil` if malformed.
    static func minutes(_ text: String) -> Int? {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 2 || parts.count == 3, parts[0].count == 2, parts[1].count == 2, let hours = Int(parts[0]), let minutes = Int(parts[1]),
              (0..<24).contains(hours), (0..<60).contains(minutes) else { return nil }
        return hours * 60 + minutes
    }
}
