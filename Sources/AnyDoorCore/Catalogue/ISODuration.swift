import Foundation

/// An ISO 8601 duration as CPSV-AP's `processingTime` uses it: `P10D`, `P2W`, `P3M`, `PT48H`, `P1DT12H`.
/// Years and months are calendar units; ``approximateSeconds`` counts them as 365 and 30 days.
public struct ISODuration: Sendable, Equatable, CustomStringConvertible {
    public var years = 0, months = 0, weeks = 0, days = 0, hours = 0, minutes = 0

    public init(years: Int = 0, months: Int = 0, weeks: Int = 0, days: Int = 0, hours: Int = 0, minutes: Int = 0) {
        (self.years, self.months, self.weeks, self.days, self.hours, self.minutes) = (years, months, weeks, days, hours, minutes)
    }

    /// `nil` unless `text` is `P` followed by integer components in order (`nY nM nW nD`, then `T nH nM`),
    /// at least one of them, and none repeated.
    public init?(_ text: String) {
        guard text.hasPrefix("P"), text.count > 1, text.count <= 40 else { return nil }
        var inTime = false, number = "", seen = Set<String>(), any = false
        var order = ["Y", "M", "W", "D"]
        for character in text.dropFirst() {
            if character == "T" {
                guard !inTime, number.isEmpty else { return nil }
                inTime = true
                order = ["H", "M"]
                continue
            }
            if character.isASCII, character.isNumber { number.append(character); continue }
            let unit = String(character)
            guard let value = Int(number), let position = order.firstIndex(of: unit), !seen.contains((inTime ? "T" : "") + unit) else { return nil }
            seen.insert((inTime ? "T" : "") + unit)
            order.removeFirst(position + 1)
            number = ""
            any = true
            switch (inTime, unit) {
            case (false, "Y"): years = value
            case (false, "M"): months = value
            case (false, "W"): weeks = value
            case (false, "D"): days = value
            case (true, "H"): hours = value
            case (true, "M"): minutes = value
            default: return nil
            }
        }
        guard any, number.isEmpty, !(inTime && seen.allSatisfy { !$0.hasPrefix("T") }) else { return nil }
    }

    /// `date` plus this duration on the calendar of `timeZone` (a month is a calendar month, a day a calendar
    /// day even across a daylight-saving change): a request's due date from its service's processing time.
    public func added(to date: Date, in timeZone: TimeZone) -> Date {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        let components = DateComponents(year: years, month: months, day: weeks * 7 + days, hour: hours, minute: minutes)
        return calendar.date(byAdding: components, to: date) ?? date.addingTimeInterval(approximateSeconds)
    }

    public var approximateSeconds: TimeInterval {
        TimeInterval(((years * 365 + months * 30 + weeks * 7 + days) * 24 + hours) * 3600 + minutes * 60)
    }

    /// The largest non-zero unit and its count, for "10 days" style display: `("day", 10)`.
    public var displayUnit: (unit: String, count: Int) {
        if years > 0 { return ("year", years) }
        if months > 0 { return ("month", months) }
        if weeks > 0 { return ("week", weeks) }
        if days > 0 { return ("day", days) }
        if hours > 0 { return ("hour", hours) }
        return ("minute", minutes)
    }

    public var description: String {
        var text = "P"
        if years > 0 { text += "\(years)Y" }
        if months > 0 { text += "\(months)M" }
        if weeks > 0 { text += "\(weeks)W" }
        if days > 0 { text += "\(days)D" }
        if hours > 0 || minutes > 0 { text += "T" + (hours > 0 ? "\(hours)H" : "") + (minutes > 0 ? "\(minutes)M" : "") }
        return text == "P" ? "PT0M" : text
    }
}
