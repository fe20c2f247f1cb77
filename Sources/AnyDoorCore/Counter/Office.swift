import Foundation

/// When an office is open on each day of the week, in the office's own time zone.
public struct WeeklyHours: Sendable, Equatable, Codable {
    /// Opening and closing time in minutes after midnight, by weekday (1 = Sunday ... 7 = Saturday);
    /// a weekday missing from the table is closed.
    public var days: [Int: OpeningInterval]

    public init(days: [Int: OpeningInterval]) { self.days = days }

    /// Monday to Friday, 8:30 to 16:30: Service BC's usual hours.
    public static let serviceBC = WeeklyHours(days: Dictionary(uniqueKeysWithValues: (2...6).map { ($0, OpeningInterval(opens: 8 * 60 + 30, closes: 16 * 60 + 30)) }))
    /// Every day, all day: the training centre, where staff practise and demonstrations run at any hour.
    public static let always = WeeklyHours(days: Dictionary(uniqueKeysWithValues: (1...7).map { ($0, OpeningInterval(opens: 0, closes: 24 * 60)) }))
    /// The Service BC contact centre: Monday to Friday, 7:30 to 17:00.
    public static let contactCentre = WeeklyHours(days: Dictionary(uniqueKeysWithValues: (2...6).map { ($0, OpeningInterval(opens: 7 * 60 + 30, closes: 17 * 60)) }))

    enum CodingKeys: String, CodingKey { case days }

    /// Whether these hours are open at `moment` in `zone`, BC's holidays (observed dates) closed.
    public func isOpen(at moment: Date, in zone: TimeZone) -> Bool {
        let day = LocalDate(moment, in: zone)
        guard BCHolidays.closure(on: day) == nil, let interval = days[day.weekday] else { return false }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        let parts = calendar.dateComponents([.hour, .minute], from: moment)
        let minute = parts.hour! * 60 + parts.minute!
        return minute >= interval.opens && minute < interval.closes
    }
}

public struct OpeningInterval: Sendable, Equatable, Codable {
    public var opens: Int
    public var closes: Int

    public init(opens: Int, closes: Int) {
        self.opens = opens
        self.closes = closes
    }

    /// `8:30`-style text of a minute of the day.
    public static func clock(_ minutes: Int) -> String { String(format: "%d:%02d", minutes / 60, minutes % 60) }
}

/// A day an office is closed besides the statutory holidays (a blackout: renovation, weather, staff training).
public struct OfficeClosure: Sendable, Equatable, Codable {
    public var date: LocalDate
    public var reason: String

    public init(date: LocalDate, reason: String) {
        self.date = date
        self.reason = reason
    }
}

/// A Service BC office: a front counter in a real BC town.
public struct Office: Sendable, Equatable, Identifiable {
    public var id: OfficeID
    /// Short code, unique, used in URLs and on tickets (`KAM`).
    public var code: String
    public var town: String
    /// The town's Place ID in the Community Information Tool data.
    public var placeID: Int?
    public var latitude: Double
    public var longitude: Double
    public var timeZone: TimeZone
    public var hours: WeeklyHours
    /// Counters that serve walk-ins and appointments.
    public var counters: Int
    /// Languages its staff or its interpreters can serve in, besides English.
    public var interpretedLanguages: [LanguageCode]
    /// Closed on BC's holidays (every public office; the training centre is not).
    public var observesHolidays: Bool

    public init(id: OfficeID, code: String, town: String, placeID: Int? = nil, latitude: Double, longitude: Double,
                timeZone: TimeZone, hours: WeeklyHours = .serviceBC, counters: Int, interpretedLanguages: [LanguageCode] = [], observesHolidays: Bool = true) {
        self.id = id
        self.code = code
        self.town = town
        self.placeID = placeID
        self.latitude = latitude
        self.longitude = longitude
        self.timeZone = timeZone
        self.hours = hours
        self.counters = counters
        self.interpretedLanguages = interpretedLanguages
        self.observesHolidays = observesHolidays
    }

    /// Why the office is closed on `date`, or `nil` when it opens that day.
    public func closedReason(on date: LocalDate, closures: [OfficeClosure]) -> ClosedReason? {
        if observesHolidays, let holiday = BCHolidays.closure(on: date) { return .holiday(holiday.key) }
        if let closure = closures.first(where: { $0.date == date }) { return .closure(closure.reason) }
        if hours.days[date.weekday] == nil { return .weekly }
        return nil
    }

    /// The hours it opens on `date`, `nil` when closed.
    public func opening(on date: LocalDate, closures: [OfficeClosure]) -> OpeningInterval? {
        closedReason(on: date, closures: closures) == nil ? hours.days[date.weekday] : nil
    }

    /// Whether the doors are open at `moment`.
    public func isOpen(at moment: Date, closures: [OfficeClosure]) -> Bool {
        let day = LocalDate(moment, in: timeZone)
        guard let interval = opening(on: day, closures: closures) else { return false }
        let minute = minuteOfDay(moment)
        return minute >= interval.opens && minute < interval.closes
    }

    /// Minutes after local midnight.
    public func minuteOfDay(_ moment: Date) -> Int {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        let parts = calendar.dateComponents([.hour, .minute], from: moment)
        return parts.hour! * 60 + parts.minute!
    }

    public func localHour(_ moment: Date) -> Int { minuteOfDay(moment) / 60 }

    /// Great-circle distance in kilometres (haversine), for "nearest office".
    public func distance(toLatitude latitude: Double, longitude: Double) -> Double {
        let radius = 6371.0
        let dLat = (latitude - self.latitude) * .pi / 180, dLon = (longitude - self.longitude) * .pi / 180
        let a = sin(dLat / 2) * sin(dLat / 2) + cos(self.latitude * .pi / 180) * cos(latitude * .pi / 180) * sin(dLon / 2) * sin(dLon / 2)
        return 2 * radius * asin(min(1, sqrt(a)))
    }

    public enum ClosedReason: Sendable, Equatable {
        case holiday(String)
        case closure(String)
        case weekly
    }
}
