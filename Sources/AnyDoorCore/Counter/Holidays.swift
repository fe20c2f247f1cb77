/// British Columbia's statutory holidays, and the two more days the provincial public service (and so every
/// Service BC office) closes, computed for any year from the rules in the Employment Standards Act and the
/// public service agreement. A holiday on a weekend is observed on the next working day.
public enum BCHolidays {
    public enum Kind: String, Sendable { case statutory, publicService = "public-service" }

    public struct Holiday: Sendable, Equatable {
        /// Catalog key of its name (`holiday.<key>`).
        public let key: String
        public let date: LocalDate
        /// The weekday offices are closed for it (the same as `date` unless it falls on a weekend).
        public let observed: LocalDate
        public let kind: Kind
    }

    /// Every holiday of `year`, in date order.
    public static func holidays(in year: Int) -> [Holiday] {
        var days: [(String, LocalDate, Kind)] = [("new-year", LocalDate(year, 1, 1), .statutory)]
        // Family Day: second Monday of February from 2013, third Monday from 2019.
        if year >= 2019 { days.append(("family-day", nthWeekday(2, n: 3, month: 2, year: year), .statutory)) }
        else if year >= 2013 { days.append(("family-day", nthWeekday(2, n: 2, month: 2, year: year), .statutory)) }
        let easter = easterSunday(year)
        days.append(("good-friday", easter.adding(days: -2), .statutory))
        days.append(("easter-monday", easter.adding(days: 1), .publicService))
        // Victoria Day: the Monday before May 25.
        let may24 = LocalDate(year, 5, 24)
        days.append(("victoria-day", may24.adding(days: -((may24.weekday + 5) % 7)), .statutory))
        days.append(("canada-day", LocalDate(year, 7, 1), .statutory))
        days.append(("bc-day", nthWeekday(2, n: 1, month: 8, year: year), .statutory))
        days.append(("labour-day", nthWeekday(2, n: 1, month: 9, year: year), .statutory))
        // National Day for Truth and Reconciliation: a BC statutory holiday since 2023.
        if year >= 2023 { days.append(("truth-and-reconciliation", LocalDate(year, 9, 30), .statutory)) }
        days.append(("thanksgiving", nthWeekday(2, n: 2, month: 10, year: year), .statutory))
        days.append(("remembrance-day", LocalDate(year, 11, 11), .statutory))
        days.append(("christmas", LocalDate(year, 12, 25), .statutory))
        days.append(("boxing-day", LocalDate(year, 12, 26), .publicService))
        days.sort { $0.1 < $1.1 }
        var taken = Set(days.map(\.1))
        return days.map { key, date, kind in
            var observed = date
            if date.isWeekend {
                repeat { observed = observed.adding(days: 1) } while observed.isWeekend || taken.contains(observed)
                taken.insert(observed)
            }
            return Holiday(key: key, date: date, observed: observed, kind: kind)
        }
    }

    /// The holiday offices are closed for on `date`, if any.
    public static func closure(on date: LocalDate) -> Holiday? {
        holidays(in: date.year).first { $0.observed == date }
    }

    /// Easter Sunday in the Gregorian calendar (the anonymous Gregorian algorithm).
    public static func easterSunday(_ year: Int) -> LocalDate {
        let a = year % 19, b = year / 100, c = year % 100
        let d = b / 4, e = b % 4, f = (b + 8) / 25, g = (b - f + 1) / 3
        let h = (19 * a + b - d - g + 15) % 30
        let i = c / 4, k = c % 4
        let l = (32 + 2 * e + 2 * i - h - k) % 7
        let m = (a + 11 * h + 22 * l) / 451
        let month = (h + l - 7 * m + 114) / 31
        let day = (h + l - 7 * m + 114) % 31 + 1
        return LocalDate(year, month, day)
    }

    /// The `n`th given weekday (1 = Sunday ... 7 = Saturday) of a month.
    static func nthWeekday(_ weekday: Int, n: Int, month: Int, year: Int) -> LocalDate {
        let first = LocalDate(year, month, 1)
        return first.adding(days: (weekday - first.weekday + 7) % 7 + 7 * (n - 1))
    }
}
