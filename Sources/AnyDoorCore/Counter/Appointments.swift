import Foundation

/// Identifies an appointment.
public struct AppointmentID: TypedID {
    public let rawValue: UUID
    public init(rawValue: UUID) { self.rawValue = rawValue }
}

/// An office's booking rules.
public struct AppointmentRules: Sendable, Equatable, Codable {
    /// How far ahead people may book, in days.
    public var bookingWindowDays: Int
    /// How soon the earliest bookable slot is, in minutes from now.
    public var leadTimeMinutes: Int
    /// Slot length per service, in minutes (multiples of `AppointmentRules.cell`); others take `defaultSlotMinutes`.
    public var slotMinutes: [String: Int]
    public var defaultSlotMinutes: Int
    /// Appointments one person may hold at one office on one day.
    public var perPersonPerDay: Int
    /// Counters taking appointments at once.
    public var seats: Int
    /// Of the seats, how many are kept for staff to book (phone and counter bookings, urgent cases).
    public var reservedSeats: Int

    public init(bookingWindowDays: Int = 30, leadTimeMinutes: Int = 60, slotMinutes: [String: Int] = [:], defaultSlotMinutes: Int = 15,
                perPersonPerDay: Int = 1, seats: Int = 2, reservedSeats: Int = 0) {
        self.bookingWindowDays = bookingWindowDays
        self.leadTimeMinutes = leadTimeMinutes
        self.slotMinutes = slotMinutes
        self.defaultSlotMinutes = defaultSlotMinutes
        self.perPersonPerDay = perPersonPerDay
        self.seats = seats
        self.reservedSeats = reservedSeats
    }

    /// Bookings are held in cells of this many minutes; slot lengths are multiples of it.
    public static let cell = 5

    public func length(of service: String) -> Int { slotMinutes[service] ?? defaultSlotMinutes }

    /// The seats a booker may take: the public never takes the reserved ones.
    public func seats(forStaff: Bool) -> Range<Int> { 0..<(forStaff ? seats : max(0, seats - reservedSeats)) }

    /// Problems with the rules themselves, each naming its field.
    public func validate() throws {
        var problems = ValidationCollector()
        if !(1...365).contains(bookingWindowDays) { problems.add("bookingWindowDays", "outOfRange", "must be 1 to 365 days") }
        if !(0...(14 * 24 * 60)).contains(leadTimeMinutes) { problems.add("leadTimeMinutes", "outOfRange", "must be 0 to 20160 minutes") }
        for (service, minutes) in slotMinutes.sorted(by: { $0.key < $1.key }) where minutes <= 0 || minutes % Self.cell != 0 || minutes > 240 {
            problems.add("slotMinutes.\(service)", "notAMultipleOfFive", "must be a multiple of 5 minutes, at most 240")
        }
        if defaultSlotMinutes <= 0 || defaultSlotMinutes % Self.cell != 0 || defaultSlotMinutes > 240 { problems.add("defaultSlotMinutes", "notAMultipleOfFive", "must be a multiple of 5 minutes, at most 240") }
        if !(1...10).contains(perPersonPerDay) { problems.add("perPersonPerDay", "outOfRange", "must be 1 to 10") }
        if !(1...50).contains(seats) { problems.add("seats", "outOfRange", "must be 1 to 50") }
        if reservedSeats < 0 || reservedSeats >= seats { problems.add("reservedSeats", "outOfRange", "must be at least 0 and fewer than the seats") }
        try problems.check()
    }
}

/// One bookable time.
public struct AppointmentSlot: Sendable, Equatable, Hashable {
    public let start: Date
    public let end: Date

    public init(start: Date, end: Date) {
        self.start = start
        self.end = end
    }

    /// The `AppointmentRules.cell`-minute cells the slot covers, as minutes since 1970 (what the store locks).
    public var cells: [Int] {
        let first = Int(start.timeIntervalSince1970 / 60)
        return stride(from: first, to: Int(end.timeIntervalSince1970 / 60), by: AppointmentRules.cell).map { $0 }
    }
}

/// Why a booking cannot be made, each a catalog key (`appointment.error.<rawValue>`).
public enum BookingProblem: String, Error, Sendable, Equatable {
    case notASlot = "not-a-slot"
    case tooSoon = "too-soon"
    case tooFar = "too-far"
    case officeClosed = "office-closed"
    case full
    case dailyLimit = "daily-limit"
    case serviceNotOffered = "service-not-offered"
    case notYours = "not-yours"
    case alreadyPast = "already-past"
}

/// The slots of a day, from the office's hours, holidays and closures, and the rules.
public enum SlotPlanner {
    /// Every slot of `service` on `day`, on a grid of the service's length from opening time, ending by closing time.
    public static func slots(office: Office, closures: [OfficeClosure], rules: AppointmentRules, service: String, on day: LocalDate) -> [AppointmentSlot] {
        guard let hours = office.opening(on: day, closures: closures) else { return [] }
        let length = rules.length(of: service)
        return stride(from: hours.opens, through: hours.closes - length, by: length).map { minute in
            AppointmentSlot(start: day.at(minutes: minute, in: office.timeZone), end: day.at(minutes: minute + length, in: office.timeZone))
        }
    }

    /// Checks that `start` is a real slot of `service` and inside the booking window; the slot if so.
    public static func check(start: Date, office: Office, closures: [OfficeClosure], rules: AppointmentRules, service: String, now: Date) throws(BookingProblem) -> AppointmentSlot {
        let day = LocalDate(start, in: office.timeZone)
        if office.closedReason(on: day, closures: closures) != nil { throw .officeClosed }
        guard let slot = slots(office: office, closures: closures, rules: rules, service: service, on: day).first(where: { $0.start == start }) else { throw .notASlot }
        if start < now { throw .alreadyPast }
        if start < now.addingTimeInterval(Double(rules.leadTimeMinutes) * 60) { throw .tooSoon }
        if LocalDate(now, in: office.timeZone).days(to: day) > rules.bookingWindowDays { throw .tooFar }
        return slot
    }

    /// The days from today through the booking window on which the office opens.
    public static func bookableDays(office: Office, closures: [OfficeClosure], rules: AppointmentRules, now: Date) -> [LocalDate] {
        let today = LocalDate(now, in: office.timeZone)
        return (0...rules.bookingWindowDays).map { today.adding(days: $0) }.filter { office.opening(on: $0, closures: closures) != nil }
    }
}
