import AnyDoorCore
import Foundation
import Testing

@Suite struct AppointmentsTests {
    let office = Office(id: OfficeID(rawValue: UUID()), code: "SUR", town: "Surrey", latitude: 49.17, longitude: -122.83,
                        timeZone: TimeZone(identifier: "America/Vancouver")!, counters: 6)
    let rules = AppointmentRules(bookingWindowDays: 14, leadTimeMinutes: 120, slotMinutes: ["enrol": 30], defaultSlotMinutes: 15, seats: 3, reservedSeats: 1)
    let monday = LocalDate(2026, 11, 30)

    @Test func slotsTileTheOpeningHoursByServiceLength() {
        let slots = SlotPlanner.slots(office: office, closures: [], rules: rules, service: "enrol", on: monday)
        #expect(slots.count == 16) // 8:30 to 16:30 in 30-minute slots
        #expect(slots.first?.start == monday.at(minutes: 8 * 60 + 30, in: office.timeZone))
        #expect(slots.last?.end == monday.at(minutes: 16 * 60 + 30, in: office.timeZone))
        #expect(SlotPlanner.slots(office: office, closures: [], rules: rules, service: "other", on: monday).count == 32)
        #expect(SlotPlanner.slots(office: office, closures: [], rules: rules, service: "enrol", on: LocalDate(2026, 12, 25)).isEmpty)
        #expect(slots[0].cells.count == 6)
    }

    @Test func bookingChecksNameTheRuleBroken() throws {
        let now = monday.at(minutes: 9 * 60, in: office.timeZone)
        let tz = office.timeZone
        #expect(throws: BookingProblem.tooSoon) { try SlotPlanner.check(start: monday.at(minutes: 10 * 60 + 30, in: tz), office: office, closures: [], rules: rules, service: "enrol", now: now) }
        #expect(throws: BookingProblem.alreadyPast) { try SlotPlanner.check(start: monday.at(minutes: 8 * 60 + 30, in: tz), office: office, closures: [], rules: rules, service: "enrol", now: now) }
        #expect(throws: BookingProblem.notASlot) { try SlotPlanner.check(start: monday.at(minutes: 11 * 60 + 10, in: tz), office: office, closures: [], rules: rules, service: "enrol", now: now) }
        #expect(throws: BookingProblem.officeClosed) { try SlotPlanner.check(start: LocalDate(2026, 12, 25).at(minutes: 9 * 60, in: tz), office: office, closures: [], rules: rules, service: "enrol", now: now) }
        let blackout = [OfficeClosure(date: LocalDate(2026, 12, 1), reason: "Renovation")]
        #expect(throws: BookingProblem.officeClosed) { try SlotPlanner.check(start: LocalDate(2026, 12, 1).at(minutes: 9 * 60, in: tz), office: office, closures: blackout, rules: rules, service: "enrol", now: now) }
        #expect(throws: BookingProblem.tooFar) { try SlotPlanner.check(start: LocalDate(2026, 12, 15).at(minutes: 9 * 60, in: tz), office: office, closures: [], rules: rules, service: "enrol", now: now) }
        let fine = try SlotPlanner.check(start: monday.at(minutes: 11 * 60, in: tz), office: office, closures: [], rules: rules, service: "enrol", now: now)
        #expect(fine.end.timeIntervalSince(fine.start) == 1800)
    }

    @Test func theReservedSeatsAreForStaffOnly() {
        #expect(rules.seats(forStaff: false) == 0..<2)
        #expect(rules.seats(forStaff: true) == 0..<3)
    }

    @Test func rulesValidateEachField() {
        let bad = AppointmentRules(bookingWindowDays: 0, leadTimeMinutes: -1, slotMinutes: ["x": 7], defaultSlotMinutes: 0, perPersonPerDay: 0, seats: 2, reservedSeats: 2)
        #expect(throws: ValidationError.self) { try bad.validate() }
        do { try bad.validate() } catch let error as ValidationError {
            #expect(Set(error.errors.map(\.field)) == ["bookingWindowDays", "leadTimeMinutes", "slotMinutes.x", "defaultSlotMinutes", "perPersonPerDay", "reservedSeats"])
        } catch {}
        #expect(throws: Never.self) { try rules.validate() }
    }

    @Test func theCalendarFileFollowsRFC5545() {
        let start = Date(timeIntervalSince1970: 1_796_058_000) // 2026-11-30 17:00 UTC
        let event = ICalendarEvent(uid: "a1@anydoor", start: start, end: start.addingTimeInterval(1800), stamp: start.addingTimeInterval(-86_400),
                                   summary: "Appointment: Enrol in MSP, Surrey", location: "Service BC Surrey; counter A",
                                   description: String(repeating: "ਪੰਜਾਬੀ ", count: 20))
        let text = event.text
        #expect(text.hasPrefix("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n"))
        #expect(text.hasSuffix("END:VCALENDAR\r\n"))
        #expect(text.contains("\r\nDTSTART:20261130T170000Z\r\n"))
        #expect(text.contains("\r\nDTEND:20261130T173000Z\r\n"))
        #expect(text.contains("SUMMARY:Appointment: Enrol in MSP\\, Surrey"))
        #expect(text.contains("LOCATION:Service BC Surrey\\; counter A"))
        for line in text.components(separatedBy: "\r\n") {
            #expect(line.utf8.count <= 75)
            #expect(!line.contains("\n"))
        }
        // Unfolding gives back the whole description, no character split.
        let unfolded = text.replacingOccurrences(of: "\r\n ", with: "")
        #expect(unfolded.contains("DESCRIPTION:" + String(repeating: "ਪੰਜਾਬੀ ", count: 20)))
        let cancelled = ICalendarEvent(uid: "a1@anydoor", start: start, end: start, stamp: start, summary: "x", location: "y", description: "z", cancelled: true, sequence: 2).text
        #expect(cancelled.contains("METHOD:CANCEL") && cancelled.contains("STATUS:CANCELLED") && cancelled.contains("SEQUENCE:2"))
    }

    @Test func callersAreVerifiedByTwoRightAnswersAndNoWrongOne() {
        let profile = PersonProfile(dateOfBirth: "1980-04-02", address: PostalAddress(street: "1 Main St", city: "Surrey", postalCode: "V3T 1A1"))
        let reference = ReferenceNumber.random().description
        #expect(CallerVerification.questions(profile: profile, hasRequests: true) == [.dateOfBirth, .postalCode, .requestReference])
        #expect(CallerVerification.questions(profile: PersonProfile(), hasRequests: false).isEmpty)
        let right = CallerVerification.check(answers: [.dateOfBirth: "1980-04-02", .postalCode: "v3t1a1"], profile: profile, references: [reference])
        #expect(right.verified)
        let oneWrong = CallerVerification.check(answers: [.dateOfBirth: "1980-04-02", .postalCode: "v3t1a1", .requestReference: "0000-0000-0"], profile: profile, references: [reference])
        #expect(!oneWrong.verified)
        let justOne = CallerVerification.check(answers: [.requestReference: reference.lowercased(), .postalCode: ""], profile: profile, references: [reference])
        #expect(!justOne.verified && justOne.matched == [.requestReference])
    }

    @Test func callbacksAreInsideContactCentreHours() {
        let tz = TimeZone(identifier: "America/Vancouver")!
        let now = monday.at(minutes: 9 * 60, in: tz)
        #expect(CallbackRules.check(monday.at(minutes: 14 * 60, in: tz), now: now, zone: tz) == nil)
        #expect(CallbackRules.check(monday.at(minutes: 8 * 60, in: tz), now: now, zone: tz) == "inPast")
        #expect(CallbackRules.check(monday.at(minutes: 17 * 60 + 30, in: tz), now: now, zone: tz) == "outsideHours")
        #expect(CallbackRules.check(LocalDate(2026, 12, 5).at(minutes: 10 * 60, in: tz), now: now, zone: tz) == "outsideHours")
        #expect(CallbackRules.check(LocalDate(2026, 12, 30).at(minutes: 10 * 60, in: tz), now: now, zone: tz) == "tooFar")
    }
}
