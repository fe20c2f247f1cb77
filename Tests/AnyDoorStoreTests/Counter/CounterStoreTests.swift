@testable import AnyDoorStore
import AnyDoorCore
import Foundation
import SQLKit
import Testing

/// Monday 30 November 2026, 10:00 in Vancouver: offices are open.
let counterMorning = LocalDate(2026, 11, 30).at(minutes: 10 * 60, in: TimeZone(identifier: "America/Vancouver")!)

func makeOffice(_ database: Database, code: String = "KAM", counters: Int = 4, rules: AppointmentRules = AppointmentRules(), services: [String] = ["renew-licence", "enrol-msp"]) async throws -> OfficeRecord {
    let offices = SQLOffices(database: database, keys: TestKeys.ring)
    let office = Office(id: OfficeID(rawValue: UUID()), code: code, town: "Kamloops", latitude: 50.68, longitude: -120.35,
                        timeZone: TimeZone(identifier: "America/Vancouver")!, counters: counters)
    try await offices.create(office, rules: rules, comeInAt: 2)
    try await offices.offer(services, at: office.id)
    return try #require(try await offices.find(code))
}

@Suite struct CounterStoreTests {
    @Test(arguments: TestDatabase.available)
    func ticketsAreNumberedPerPrefixAndBadCheckInsChangeNothing(_ kind: TestDatabase) async throws {
        try await kind.withMigrated { database in
            let office = try await makeOffice(database)
            let queue = SQLQueue(database: database, keys: TestKeys.ring)
            let first = try await queue.checkIn(CheckIn(office: office.office.id, service: "renew-licence"), office: office, closures: [], actor: "staff:x", at: counterMorning)
            let second = try await queue.checkIn(CheckIn(office: office.office.id, service: "renew-licence"), office: office, closures: [], actor: "staff:x", at: counterMorning)
            let other = try await queue.checkIn(CheckIn(office: office.office.id, service: "enrol-msp"), office: office, closures: [], actor: "staff:x", at: counterMorning)
            #expect(first.label == "K-001" || first.label == "H-001")
            #expect(second.label.prefix(2) == first.label.prefix(2) && second.label.hasSuffix("-002"))
            #expect(other.label.prefix(1) != first.label.prefix(1) && other.label.hasSuffix("-001"))
            await #expect(throws: QueueError.invalid([FieldError(field: "service", code: "notOffered", message: "This office does not offer that service.")])) {
                try await queue.checkIn(CheckIn(office: office.office.id, service: "fishing"), office: office, closures: [], actor: "staff:x", at: counterMorning)
            }
            await #expect(throws: QueueError.self) {
                try await queue.checkIn(CheckIn(office: office.office.id, service: "renew-licence", phone: "12"), office: office, closures: [], actor: "staff:x", at: counterMorning)
            }
            let saturday = LocalDate(2026, 11, 28).at(minutes: 10 * 60, in: office.office.timeZone)
            await #expect(throws: QueueError.officeClosed) {
                try await queue.checkIn(CheckIn(office: office.office.id, service: "renew-licence"), office: office, closures: [], actor: "staff:x", at: saturday)
            }
            #expect(try await queue.open(at: office.office.id).count == 3)
        }
    }

    @Test(arguments: TestDatabase.available)
    func aVisitFromCheckInToFinishLeavesEveryStepAndTeachesServiceTimes(_ kind: TestDatabase) async throws {
        try await kind.withMigrated { database in
            let office = try await makeOffice(database)
            let queue = SQLQueue(database: database, keys: TestKeys.ring)
            let agent = StaffID(rawValue: UUID())
            await #expect(throws: QueueError.notSeated) { try await queue.callNext(office: office, staff: agent, actor: "staff:a", at: counterMorning) }
            try await queue.sit(agent, at: 2, office: office, at: counterMorning)
            await #expect(throws: QueueError.counterTaken) { try await queue.sit(StaffID(rawValue: UUID()), at: 2, office: office, at: counterMorning) }
            let person = PersonID(rawValue: UUID())
            let ticket = try await queue.checkIn(CheckIn(office: office.office.id, service: "renew-licence", person: person, phone: "250 555 0100"),
                                                 office: office, closures: [], actor: "person:\(person)", at: counterMorning)
            let called = try #require(try await queue.callNext(office: office, staff: agent, actor: "staff:a", at: counterMorning.addingTimeInterval(60)))
            #expect(called.id == ticket.id && called.status == .called && called.counter == 2)
            await #expect(throws: QueueError.busy) { try await queue.callNext(office: office, staff: agent, actor: "staff:a", at: counterMorning.addingTimeInterval(61)) }
            await #expect(throws: QueueError.notYours) {
                try await queue.apply(.serve, to: ticket.id, office: office, staff: StaffID(rawValue: UUID()), actor: "staff:b", at: counterMorning.addingTimeInterval(62))
            }
            _ = try await queue.apply(.serve, to: ticket.id, office: office, staff: agent, actor: "staff:a", at: counterMorning.addingTimeInterval(120))
            await #expect(throws: QueueError.notAllowed(.init(transition: "no-show", from: .serving))) {
                try await queue.apply(.noShow, to: ticket.id, office: office, staff: agent, actor: "staff:a", at: counterMorning.addingTimeInterval(130))
            }
            let finished = try await queue.apply(.finish, to: ticket.id, office: office, staff: agent, actor: "staff:a", at: counterMorning.addingTimeInterval(120 + 12 * 60))
            #expect(finished.status == .finished)
            #expect(try await queue.events(of: ticket.id).map(\.transition) == ["check-in", "call", "serve", "finish"])
            #expect(try await queue.tickets(of: person).map(\.id) == [ticket.id])
            // Twelve minutes learnt for this service at this office and hour (one sample: the model needs five to trust it).
            let rows = try await database.withSQL { try await $0.select().columns("total_minutes", "served").from("service_times").all() }
            #expect(rows.count == 1)
            #expect(try rows[0].decode(column: "total_minutes", as: Double.self) == 12)
            // The virtual-queue text was written when the ticket reached position 1 (the office says 2).
            let sms = try await database.withSQL { try await $0.select().column("template").from("notifications").where("kind", .equal, "sms").all() }
            #expect(try sms.map { try $0.decode(column: "template", as: String.self) } == ["come-in"])
        }
    }

    @Test(arguments: TestDatabase.available)
    func twoAgentsCallingAtTheSameMomentNeverGetTheSameTicket(_ kind: TestDatabase) async throws {
        try await kind.withMigrated { database in
            let office = try await makeOffice(database, counters: 8)
            // A second pool on the same database plays the second AnyDoor process.
            let other = try Database(location: database.location, logger: TestDatabase.logger)
            defer { Task { await other.shutdown() } }
            let queues = [SQLQueue(database: database, keys: TestKeys.ring), SQLQueue(database: other, keys: TestKeys.ring)]
            for _ in 0..<12 {
                _ = try await queues[0].checkIn(CheckIn(office: office.office.id, service: "renew-licence"), office: office, closures: [], actor: "kiosk", at: counterMorning)
            }
            let agents = (1...8).map { _ in StaffID(rawValue: UUID()) }
            for (index, agent) in agents.enumerated() { try await queues[0].sit(agent, at: index + 1, office: office, at: counterMorning) }
            let called = try await withThrowingTaskGroup(of: TicketID?.self) { group in
                for (index, agent) in agents.enumerated() {
                    group.addTask { try await queues[index % 2].callNext(office: office, staff: agent, actor: "staff:\(index)", at: counterMorning.addingTimeInterval(60))?.id }
                }
                return try await group.reduce(into: [TicketID?]()) { $0.append($1) }
            }
            let ids = called.compactMap { $0 }
            #expect(ids.count == 8, "every agent got someone: 12 were waiting")
            #expect(Set(ids).count == ids.count, "no ticket was called twice")
            let rows = try await database.withSQL { try await $0.select().column("counter").from("tickets").where("status", .equal, "called").all() }
            #expect(Set(try rows.map { try $0.decode(column: "counter", as: Int.self) }) == Set(1...8))
            await other.shutdown()
        }
    }

    @Test(arguments: TestDatabase.available)
    func manySimultaneousBookingsOfTheLastSlotGiveExactlyOne(_ kind: TestDatabase) async throws {
        try await kind.withMigrated { database in
            let office = try await makeOffice(database, rules: AppointmentRules(leadTimeMinutes: 60, seats: 2, reservedSeats: 0))
            let other = try Database(location: database.location, logger: TestDatabase.logger)
            let stores = [SQLAppointments(database: database, keys: TestKeys.ring), SQLAppointments(database: other, keys: TestKeys.ring)]
            let start = LocalDate(2026, 12, 1).at(minutes: 11 * 60, in: office.office.timeZone)
            // One of the two seats is already taken.
            _ = try await stores[0].book(BookingRequest(person: PersonID(rawValue: UUID()), service: "renew-licence", start: start), office: office, closures: [],
                                         actor: "person:first", now: counterMorning)
            let outcomes = try await withThrowingTaskGroup(of: Bool.self) { group in
                for index in 0..<16 {
                    group.addTask {
                        do {
                            _ = try await stores[index % 2].book(BookingRequest(person: PersonID(rawValue: UUID()), service: "renew-licence", start: start),
                                                                 office: office, closures: [], actor: "person:\(index)", now: counterMorning)
                            return true
                        } catch AppointmentError.refused(.full) {
                            return false
                        }
                    }
                }
                return try await group.reduce(into: [Bool]()) { $0.append($1) }
            }
            await other.shutdown()
            #expect(outcomes.filter { $0 }.count == 1)
            let booked = try await stores[0].appointments(at: office.office.id, from: start, to: start.addingTimeInterval(60))
            #expect(booked.count == 2 && Set(booked.map(\.seat)) == [0, 1])
        }
    }

    @Test(arguments: TestDatabase.available)
    func bookingRulesRescheduleCancelAndCheckIn(_ kind: TestDatabase) async throws {
        try await kind.withMigrated { database in
            let office = try await makeOffice(database, rules: AppointmentRules(leadTimeMinutes: 60, perPersonPerDay: 1, seats: 2, reservedSeats: 1))
            let store = SQLAppointments(database: database, keys: TestKeys.ring)
            let queue = SQLQueue(database: database, keys: TestKeys.ring)
            let person = PersonID(rawValue: UUID())
            let tz = office.office.timeZone
            let eleven = LocalDate(2026, 12, 1).at(minutes: 11 * 60, in: tz), noon = LocalDate(2026, 12, 1).at(minutes: 12 * 60, in: tz)
            let booked = try await store.book(BookingRequest(person: person, service: "renew-licence", start: eleven, language: .punjabi, interpreter: .punjabi),
                                              office: office, closures: [], actor: "person:p", now: counterMorning)
            #expect(booked.seat == 0, "the reserved seat is not the public's")
            // A second the same day breaks the per-person limit; the public cannot take the reserved seat.
            await #expect(throws: AppointmentError.refused(.dailyLimit)) {
                try await store.book(BookingRequest(person: person, service: "renew-licence", start: noon), office: office, closures: [], actor: "person:p", now: counterMorning)
            }
            await #expect(throws: AppointmentError.refused(.full)) {
                try await store.book(BookingRequest(person: PersonID(rawValue: UUID()), service: "renew-licence", start: eleven), office: office, closures: [], actor: "person:q", now: counterMorning)
            }
            let staffBooked = try await store.book(BookingRequest(person: PersonID(rawValue: UUID()), service: "renew-licence", start: eleven, byStaff: true, channel: .phone),
                                                   office: office, closures: [], actor: "staff:s", now: counterMorning)
            #expect(staffBooked.seat == 1)
            await #expect(throws: AppointmentError.refused(.serviceNotOffered)) {
                try await store.book(BookingRequest(person: PersonID(rawValue: UUID()), service: "fishing", start: noon), office: office, closures: [], actor: "x", now: counterMorning)
            }
            // Moving to noon frees eleven.
            let moved = try await store.reschedule(booked.id, to: BookingRequest(person: person, service: "renew-licence", start: noon, language: .punjabi, interpreter: .punjabi),
                                                   office: office, closures: [], actor: "person:p", now: counterMorning)
            #expect(moved.start == noon && moved.sequence == 1)
            #expect(try await store.availability(office: office, closures: [], service: "renew-licence", day: LocalDate(2026, 12, 1), byStaff: false, now: counterMorning)
                .contains { $0.slot.start == eleven })
            let interpreters = try await SQLContactCentre(database: database, keys: TestKeys.ring).interpreterRequests(person: person)
            #expect(interpreters.map(\.status) == [.cancelled, .requested])
            // Check-in opens an hour before.
            await #expect(throws: AppointmentError.checkInWindow) {
                try await store.checkIn(booked.id, office: office, closures: [], queue: queue, actor: "kiosk", channel: .inPerson, now: noon.addingTimeInterval(-3700))
            }
            let ticket = try await store.checkIn(booked.id, office: office, closures: [], queue: queue, actor: "kiosk", channel: .inPerson, now: noon.addingTimeInterval(-600))
            #expect(ticket.label == "A-001" && ticket.appointmentAt == noon && ticket.language == .punjabi && ticket.interpreterNeeded)
            #expect(try await store.find(booked.id)?.status == .checkedIn)
            let cancelledOther = try await store.cancel(staffBooked.id, person: nil, actor: "staff:s", channel: .phone, now: counterMorning)
            #expect(cancelledOther.status == .cancelled)
            await #expect(throws: AppointmentError.refused(.alreadyPast)) { try await store.cancel(staffBooked.id, person: nil, actor: "staff:s", channel: .phone, now: counterMorning) }
            // Reminders are written once.
            #expect(try await store.sendReminders(now: counterMorning) == 0, "the only booked one is checked in")
        }
    }

    @Test(arguments: TestDatabase.available)
    func contactsCallbacksAndTransfersLandOnThePersonsRecord(_ kind: TestDatabase) async throws {
        try await kind.withMigrated { database in
            let centre = SQLContactCentre(database: database, keys: TestKeys.ring)
            let person = PersonID(rawValue: UUID())
            let staff = StaffID(rawValue: UUID())
            await #expect(throws: ValidationError.self) {
                try await centre.log(ContactLog(person: person, staff: staff, startedAt: counterMorning, durationSeconds: 60, reason: " ", outcome: .transferred, verified: true),
                                     callback: ("12", counterMorning.addingTimeInterval(-60)), actor: "staff:s")
            }
            do {
                try await centre.log(ContactLog(person: person, staff: staff, startedAt: counterMorning, durationSeconds: 60, reason: " ", outcome: .transferred, verified: true),
                                     callback: ("12", counterMorning.addingTimeInterval(-60)), actor: "staff:s")
            } catch let error as ValidationError {
                #expect(Set(error.errors.map(\.field)) == ["reason", "ministry", "callbackPhone", "callbackAt"])
            }
            #expect(try await centre.contacts(of: person).isEmpty)
            try await centre.log(ContactLog(person: person, staff: staff, startedAt: counterMorning, durationSeconds: 300, reason: "Licence renewal question",
                                            outcome: .callbackScheduled, verified: true, note: "Needs the medical form"),
                                 callback: ("250-555-0199", counterMorning.addingTimeInterval(3 * 3600)), actor: "staff:s")
            let logged = try await centre.contacts(of: person)
            #expect(logged.count == 1 && logged[0].note == "Needs the medical form" && logged[0].verified)
            let callbacks = try await centre.callbacks(person: person)
            #expect(callbacks.count == 1 && callbacks[0].phone == "+12505550199")
            #expect(try await centre.completeCallback(callbacks[0].id, actor: "staff:s", at: counterMorning.addingTimeInterval(4 * 3600)))
            #expect(try await !centre.completeCallback(callbacks[0].id, actor: "staff:s", at: counterMorning.addingTimeInterval(4 * 3600)))
            // The note is sealed at rest.
            let raw = try await database.withSQL { try await $0.select().column("note_enc").from("contacts").first()?.decode(column: "note_enc", as: String.self) }
            #expect(raw?.contains("medical") == false)
        }
    }

    @Test(arguments: TestDatabase.available)
    func anInterpreterIsTrackedFromCheckInToTheirPresence(_ kind: TestDatabase) async throws {
        try await kind.withMigrated { database in
            let office = try await makeOffice(database)
            let queue = SQLQueue(database: database, keys: TestKeys.ring)
            let centre = SQLContactCentre(database: database, keys: TestKeys.ring)
            let person = PersonID(rawValue: UUID())
            let ticket = try await queue.checkIn(CheckIn(office: office.office.id, service: "renew-licence", language: .korean, interpreterNeeded: true, person: person),
                                                 office: office, closures: [], actor: "kiosk", at: counterMorning)
            var requests = try await centre.interpreterRequests(office: office.office.id, openOnly: true)
            #expect(requests.map(\.language) == [.korean] && requests.map(\.status) == [.requested] && requests.first?.sourceID == ticket.id.description)
            #expect(try await centre.setInterpreterStatus(requests[0].id, to: .arranged, actor: "staff:m", at: counterMorning))
            await #expect(throws: ValidationError.self) { try await centre.setInterpreterStatus(requests[0].id, to: .requested, actor: "staff:m", at: counterMorning) }
            #expect(try await !centre.setInterpreterStatus("no-such-request", to: .present, actor: "staff:m", at: counterMorning))
            // Served with the interpreter there: fulfilled, and no longer open.
            let agent = StaffID(rawValue: UUID())
            try await queue.sit(agent, at: 1, office: office, at: counterMorning)
            #expect(try await queue.callNext(office: office, staff: agent, actor: "staff:a", at: counterMorning.addingTimeInterval(60))?.id == ticket.id,
                    "an interpreter is coming, so an English-only agent takes the Korean speaker")
            _ = try await queue.apply(.serve, to: ticket.id, office: office, staff: agent, actor: "staff:a", at: counterMorning.addingTimeInterval(120))
            requests = try await centre.interpreterRequests(person: person)
            #expect(requests.map(\.status) == [.present])
            #expect(try await centre.interpreterRequests(office: office.office.id, openOnly: true).isEmpty)
            // No interpreter asked for English.
            _ = try await queue.checkIn(CheckIn(office: office.office.id, service: "renew-licence", language: .base, interpreterNeeded: true), office: office, closures: [], actor: "kiosk", at: counterMorning)
            #expect(try await centre.interpreterRequests(office: office.office.id).count == 1)
        }
    }

    @Test(arguments: TestDatabase.available)
    func checkInsArrivingTogetherShareTransactionsAndNeverANumber(_ kind: TestDatabase) async throws {
        try await kind.withMigrated { database in
            let office = try await makeOffice(database)
            let other = try Database(location: database.location, logger: TestDatabase.logger)
            let queues = [SQLQueue(database: database, keys: TestKeys.ring), SQLQueue(database: other, keys: TestKeys.ring)]
            let tickets = try await withThrowingTaskGroup(of: Ticket.self) { group in
                for index in 0..<60 {
                    group.addTask {
                        try await queues[index % 2].checkIn(CheckIn(office: office.office.id, service: "renew-licence", phone: index == 7 ? "250 555 0107" : nil),
                                                            office: office, closures: [], actor: "kiosk:\(index)", at: counterMorning)
                    }
                }
                return try await group.reduce(into: [Ticket]()) { $0.append($1) }
            }
            await other.shutdown()
            let prefix = try #require(tickets.first?.label.prefix(2))
            #expect(Set(tickets.map(\.label)) == Set((1...60).map { TicketLabel.make(prefix: String(prefix.dropLast()), number: $0) }), "numbers 1 to 60, each once")
            #expect(Set(tickets.map(\.token)).count == 60)
            let stored = try await SQLQueue(database: database, keys: TestKeys.ring).open(at: office.office.id)
            #expect(Set(stored.map(\.id)) == Set(tickets.map(\.id)))
            #expect(stored.filter(\.hasPhone).count == 1)
            let audit = SQLAuditLog(database: database, keys: TestKeys.ring)
            #expect(try await audit.recent(limit: 100).filter { $0.entry.action == "queue.checked-in" }.count == 60)
            #expect(try await audit.verify().isIntact, "the audit chain stays whole across batches")
        }
    }
}
