import AnyDoorCore
import Foundation
import Testing

@Suite struct HolidaysTests {
    func observed(_ year: Int) -> [String: String] {
        Dictionary(uniqueKeysWithValues: BCHolidays.holidays(in: year).map { ($0.key, $0.observed.description) })
    }

    @Test func twentyTwentySixMatchesThePublishedBCCalendar() {
        #expect(observed(2026) == [
            "new-year": "2026-01-01", "family-day": "2026-02-16", "good-friday": "2026-04-03", "easter-monday": "2026-04-06",
            "victoria-day": "2026-05-18", "canada-day": "2026-07-01", "bc-day": "2026-08-03", "labour-day": "2026-09-07",
            "truth-and-reconciliation": "2026-09-30", "thanksgiving": "2026-10-12", "remembrance-day": "2026-11-11",
            "christmas": "2026-12-25", "boxing-day": "2026-12-28",
        ])
    }

    @Test func weekendHolidaysAreObservedOnTheNextFreeWeekday() {
        // 2027: Christmas is a Saturday and Boxing Day a Sunday: closed Monday the 27th and Tuesday the 28th.
        let year = observed(2027)
        #expect(year["christmas"] == "2027-12-27")
        #expect(year["boxing-day"] == "2027-12-28")
        // 2028: New Year's Day is a Saturday.
        #expect(observed(2028)["new-year"] == "2028-01-03")
        #expect(BCHolidays.holidays(in: 2027).first { $0.key == "christmas" }?.date == LocalDate(2027, 12, 25))
    }

    @Test func easterAndTheMovingMondays() {
        #expect(BCHolidays.easterSunday(2024) == LocalDate(2024, 3, 31))
        #expect(BCHolidays.easterSunday(2025) == LocalDate(2025, 4, 20))
        #expect(BCHolidays.easterSunday(2038) == LocalDate(2038, 4, 25))
        #expect(BCHolidays.easterSunday(2285) == LocalDate(2285, 3, 22))
        // Victoria Day is the Monday before May 25: on the 24th when the 24th is a Monday.
        #expect(observed(2027)["victoria-day"] == "2027-05-24")
        #expect(observed(2021)["victoria-day"] == "2021-05-24")
        #expect(observed(2025)["victoria-day"] == "2025-05-19")
    }

    @Test func familyDayAndTruthAndReconciliationFollowTheirStartYears() {
        #expect(observed(2012)["family-day"] == nil)
        #expect(observed(2018)["family-day"] == "2018-02-12")
        #expect(observed(2019)["family-day"] == "2019-02-18")
        #expect(observed(2022)["truth-and-reconciliation"] == nil)
        #expect(observed(2023)["truth-and-reconciliation"] == "2023-10-02")
    }

    @Test func anOfficeIsClosedOnHolidaysClosuresAndWeekends() throws {
        let office = Office(id: OfficeID(rawValue: UUID()), code: "KAM", town: "Kamloops", latitude: 50.68, longitude: -120.35,
                            timeZone: TimeZone(identifier: "America/Vancouver")!, counters: 4)
        #expect(office.closedReason(on: LocalDate(2026, 9, 30), closures: []) == .holiday("truth-and-reconciliation"))
        #expect(office.closedReason(on: LocalDate(2026, 11, 28), closures: []) == .weekly)
        #expect(office.closedReason(on: LocalDate(2026, 12, 2), closures: [OfficeClosure(date: LocalDate(2026, 12, 2), reason: "Training")]) == .closure("Training"))
        #expect(office.closedReason(on: LocalDate(2026, 12, 1), closures: []) == nil)
        // 8:30 to 16:30 Pacific: 16:29 open, 16:30 closed (00:30 UTC the next day in winter).
        let tuesday = LocalDate(2026, 12, 1)
        #expect(office.isOpen(at: tuesday.at(minutes: 16 * 60 + 29, in: office.timeZone), closures: []))
        #expect(!office.isOpen(at: tuesday.at(minutes: 16 * 60 + 30, in: office.timeZone), closures: []))
        #expect(!office.isOpen(at: tuesday.at(minutes: 8 * 60 + 29, in: office.timeZone), closures: []))
    }

    @Test func datesParseStrictly() {
        #expect(LocalDate("2026-02-28") == LocalDate(2026, 2, 28))
        #expect(LocalDate("2026-02-29") == nil)
        #expect(LocalDate("2028-02-29") == LocalDate(2028, 2, 29))
        #expect(LocalDate("2026-2-1") == nil)
        #expect(LocalDate("tomorrow") == nil)
        #expect(LocalDate(2026, 12, 31).adding(days: 1) == LocalDate(2027, 1, 1))
        #expect(LocalDate(2026, 11, 27).weekday == 6) // a Friday
    }
}
