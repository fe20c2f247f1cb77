import AnyDoorCore
import Foundation
import SQLKit

public struct Appointment: Sendable, Equatable {
    public enum Status: String, Sendable, Codable { case booked, cancelled, checkedIn = "checked-in", attended, noShow = "no-show" }

    public var id: AppointmentID
    public var office: OfficeID
    public var person: PersonID
    public var service: String
    public var start: Date
    public var end: Date
    public var seat: Int
    public var status: Status
    public var language: LanguageCode
    public var interpreter: LanguageCode?
    public var accommodation: String?
    public var bookedBy: String
    public var channel: Channel
    public var sequence: Int
}

/// What a booking asks for.
public struct BookingRequest: Sendable {
    public var person: PersonID
    public var service: String
    public var start: Date
    public var language: LanguageCode
    public var interpreter: LanguageCode?
    public var accommodation: String?
    /// Staff may take the reserved seats.
    public var byStaff: Bool
    public var channel: Channel

    public init(person: PersonID, service: String, start: Date, language: LanguageCode = .base, interpreter: LanguageCode? = nil, accommodation: String? = nil,
                byStaff: Bool = false, channel: Channel = .online) {
        self.person = person
        self.service = service
        self.start = start
        self.language = language
        self.interpreter = interpreter
        self.accommodation = accommodation
        self.byStaff = byStaff
        self.channel = channel
    }
}

public enum AppointmentError: Error, Equatable, Sendable {
    case refused(BookingProblem)
    case invalid([FieldError])
    case notFound
    /// Check-in opens an hour before the start and closes 15 minutes after it.
    case checkInWindow
}

/// Appointments. A booking holds one row per 5-minute cell of its slot on one seat, keyed (office, seat, cell):
/// the database itself refuses a second booking of the same seat and time, so many people booking the last
/// slot at the same instant, on any number of AnyDoor processes, get exactly one booking. The per-person
/// daily limit is held the same way (person, office, day, n).
public struct SQLAppointments: Sendable {
    let database: Database
    let keys: KeyRing

    public init(database: Database, keys: KeyRing) {
        self.database = database
        self.keys = keys
    }

    static let columns = ["id", "office_id", "person_id", "service_code", "starts_at", "ends_at", "seat", "status", "language", "interpreter", "accommodation_enc",
                          "booked_by", "channel", "sequence"]

    func decode(_ row: any SQLRow) throws -> Appointment {
        Appointment(
            id: AppointmentID(try row.decode(column: "id", as: String.self))!, office: OfficeID(try row.decode(column: "office_id", as: String.self))!,
            person: PersonID(try row.decode(column: "person_id", as: String.self))!, service: try row.decode(column: "service_code", as: String.self),
            start: Date(timeIntervalSince1970: try row.decode(column: "starts_at", as: Double.self)), end: Date(timeIntervalSince1970: try row.decode(column: "ends_at", as: Double.self)),
            seat: try row.decode(column: "seat", as: Int.self), status: Appointment.Status(rawValue: try row.decode(column: "status", as: String.self)) ?? .booked,
            language: LanguageCode(rawValue: try row.decode(column: "language", as: String.self)) ?? .base,
            interpreter: try row.decode(column: "interpreter", as: String?.self).flatMap(LanguageCode.init(rawValue:)),
            accommodation: try row.decode(column: "accommodation_enc", as: String?.self).map { try keys.open($0, context: "appointments.accommodation") },
            bookedBy: try row.decode(column: "booked_by", as: String.self), channel: Channel(rawValue: try row.decode(column: "channel", as: String.self)) ?? .online,
            sequence: try row.decode(column: "sequence", as: Int.self))
    }

    func select(_ sql: any SQLDatabase) -> SQLSelectBuilder { sql.select().columns(Self.columns.map { SQLIdentifier($0) }).from("appointments") }

    public func find(_ id: AppointmentID) async throws -> Appointment? {
        try await database.withSQL { sql in try await select(sql).where("id", .equal, id.description).first().map(decode) }
    }

    public func appointments(of person: PersonID) async throws -> [Appointment] {
        try await database.withSQL { sql in try await select(sql).where("person_id", .equal, person.description).orderBy("starts_at", .descending).limit(50).all().map(decode) }
    }

    public func appointments(at office: OfficeID, from: Date, to: Date) async throws -> [Appointment] {
        try await database.withSQL { sql in
            try await select(sql).where("office_id", .equal, office.description).where("starts_at", .greaterThanOrEqual, from.timeIntervalSince1970)
                .where("starts_at", .lessThan, to.timeIntervalSince1970).where("status", .notEqual, Appointment.Status.cancelled.rawValue).orderBy("starts_at").all().map(decode)
        }
    }

    /// The slots of `service` on `day` with at least one seat free for this booker, each with its free seats.
    public func availability(office: OfficeRecord, closures: [OfficeClosure], service: String, day: LocalDate, byStaff: Bool, now: Date) async throws -> [(slot: AppointmentSlot, free: Int)] {
        let slots = SlotPlanner.slots(office: office.office, closures: closures, rules: office.rules, service: service, on: day)
            .filter { (try? SlotPlanner.check(start: $0.start, office: office.office, closures: closures, rules: office.rules, service: service, now: now)) != nil }
        guard let first = slots.first, let last = slots.last else { return [] }
        let taken = try await database.withSQL { sql in
            try await sql.select().columns("seat", "cell").from("appointment_cells").where("office_id", .equal, office.office.id.description)
                .where("cell", .greaterThanOrEqual, first.cells.first!).where("cell", .lessThanOrEqual, last.cells.last!).all()
                .map { (try $0.decode(column: "seat", as: Int.self), try $0.decode(column: "cell", as: Int.self)) }
        }
        var occupied: [Int: Set<Int>] = [:]
        for (seat, cell) in taken { occupied[cell, default: []].insert(seat) }
        let seats = office.rules.seats(forStaff: byStaff)
        return slots.compactMap { slot in
            let busy = slot.cells.reduce(into: Set<Int>()) { $0.formUnion(occupied[$1] ?? []) }
            let free = seats.filter { !busy.contains($0) }.count
            return free > 0 ? (slot, free) : nil
        }
    }

    /// Books a slot. Refused with the rule broken; nothing is written then.
    public func book(_ request: BookingRequest, office: OfficeRecord, closures: [OfficeClosure], actor: String, now: Date) async throws -> Appointment {
        try await place(request, replacing: nil, office: office, closures: closures, actor: actor, now: now)
    }

    /// Moves a booked appointment to another slot (and service), in one transaction: the old slot is kept if the new one cannot be had.
    public func reschedule(_ id: AppointmentID, to request: BookingRequest, office: OfficeRecord, closures: [OfficeClosure], actor: String, now: Date) async throws -> Appointment {
        guard let existing = try await find(id), existing.status == .booked, existing.office == office.office.id else { throw AppointmentError.notFound }
        guard existing.person == request.person else { throw AppointmentError.refused(.notYours) }
        return try await place(request, replacing: existing, office: office, closures: closures, actor: actor, now: now)
    }

    func place(_ request: BookingRequest, replacing old: Appointment?, office record: OfficeRecord, closures: [OfficeClosure], actor: String, now: Date) async throws -> Appointment {
        let office = record.office
        let accommodation = request.accommodation?.trimmingCharacters(in: .whitespacesAndNewlines)
        if let accommodation, accommodation.count > 500 { throw AppointmentError.invalid([FieldError(field: "accommodation", code: "tooLong", message: "At most 500 characters.")]) }
        let offered = try await SQLOffices(database: database, keys: keys).services(of: office.id).contains { $0.code == request.service }
        guard offered else { throw AppointmentError.refused(.serviceNotOffered) }
        let slot: AppointmentSlot
        do { slot = try SlotPlanner.check(start: request.start, office: office, closures: closures, rules: record.rules, service: request.service, now: now) }
        catch { throw AppointmentError.refused(error) }
        let day = LocalDate(slot.start, in: office.timeZone).description
        for _ in 0..<(record.rules.seats * 3 + 3) {
            // Read what is free, then claim it; a unique-key refusal means someone was faster: read again.
            let (seat, n) = try await database.withSQL { sql -> (Int?, Int) in
                let busy = Set(try await sql.select().column("seat").from("appointment_cells").where("office_id", .equal, office.id.description)
                    .where("cell", .in, slot.cells).where("appointment_id", .notEqual, old?.id.description ?? "").all().map { try $0.decode(column: "seat", as: Int.self) })
                let held = try await sql.select().column("n").from("appointment_person_days").where("person_id", .equal, request.person.description)
                    .where("office_id", .equal, office.id.description).where("day", .equal, day).where("appointment_id", .notEqual, old?.id.description ?? "").all()
                    .map { try $0.decode(column: "n", as: Int.self) }
                let n = (1...record.rules.perPersonPerDay).first { !held.contains($0) } ?? 0
                return (record.rules.seats(forStaff: request.byStaff).first { !busy.contains($0) }, n)
            }
            guard let seat else { throw AppointmentError.refused(.full) }
            guard n > 0 else { throw AppointmentError.refused(.dailyLimit) }
            do {
                return try await database.transaction { sql in
                    let id = old?.id ?? AppointmentID(rawValue: UUID())
                    let sequence = (old?.sequence ?? -1) + 1
                    if let old {
                        try await sql.delete(from: "appointment_cells").where("appointment_id", .equal, old.id.description).run()
                        try await sql.delete(from: "appointment_person_days").where("appointment_id", .equal, old.id.description).run()
                        try await sql.update("appointments").set("service_code", to: request.service).set("starts_at", to: slot.start.timeIntervalSince1970)
                            .set("ends_at", to: slot.end.timeIntervalSince1970).set("seat", to: seat).set("sequence", to: sequence).set("reminded", to: 0)
                            .set("language", to: request.language.rawValue).set("interpreter", to: request.interpreter?.rawValue)
                            .set("accommodation_enc", to: try accommodation.flatMap { $0.isEmpty ? nil : try keys.seal($0, context: "appointments.accommodation") })
                            .where("id", .equal, id.description).run()
                    } else {
                        try await sql.insert(into: "appointments").columns(Self.columns + ["reminded", "created_at"])
                            .values(SQLBind(id.description), SQLBind(office.id.description), SQLBind(request.person.description), SQLBind(request.service),
                                    SQLBind(slot.start.timeIntervalSince1970), SQLBind(slot.end.timeIntervalSince1970), SQLBind(seat), SQLBind(Appointment.Status.booked.rawValue),
                                    SQLBind(request.language.rawValue), SQLBind(request.interpreter?.rawValue),
                                    SQLBind(try accommodation.flatMap { $0.isEmpty ? nil : try keys.seal($0, context: "appointments.accommodation") }),
                                    SQLBind(actor), SQLBind(request.channel.rawValue), SQLBind(sequence), SQLBind(0), SQLBind(now.timeIntervalSince1970))
                            .run()
                    }
                    for cell in slot.cells {
                        try await sql.insert(into: "appointment_cells").columns("office_id", "seat", "cell", "appointment_id")
                            .values(SQLBind(office.id.description), SQLBind(seat), SQLBind(cell), SQLBind(id.description)).run()
                    }
                    try await sql.insert(into: "appointment_person_days").columns("person_id", "office_id", "day", "n", "appointment_id")
                        .values(SQLBind(request.person.description), SQLBind(office.id.description), SQLBind(day), SQLBind(n), SQLBind(id.description)).run()
                    if let language = request.interpreter {
                        try await sql.update("interpreter_requests").set("status", to: InterpreterStatus.cancelled.rawValue).set("updated_at", to: now.timeIntervalSince1970)
                            .where("source", .equal, "appointment").where("source_id", .equal, id.description).where("status", .equal, InterpreterStatus.requested.rawValue).run()
                        try await SQLContactCentre.requestInterpreter(person: request.person, language: language, source: "appointment", sourceID: id.description,
                                                                      office: office.id, neededAt: slot.start, at: now, on: sql)
                    }
                    try await SQLAuditLog(database: database, keys: keys).append(AuditEntry(
                        at: now, actor: actor, action: old == nil ? "appointment.booked" : "appointment.rescheduled", target: "person:\(request.person)",
                        channel: request.channel, detail: "appointment:\(id) office:\(office.code)"), on: sql)
                    try await SQLNotifications.enqueue(old == nil ? "appointment-booked" : "appointment-changed", person: request.person, language: request.language,
                                                       personalisation: Self.personalisation(id: id, office: office, service: request.service, start: slot.start, end: slot.end, sequence: sequence),
                                                       keys: keys, at: now, on: sql)
                    return try await select(sql).where("id", .equal, id.description).first().map(decode)!
                }
            } catch where database.flavour.isUniqueViolation(error) {
                continue
            }
        }
        throw AppointmentError.refused(.full)
    }

    static func personalisation(id: AppointmentID, office: Office, service: String, start: Date, end: Date, sequence: Int) -> [String: String] {
        ["service_code": service, "office": office.town, "starts_at": String(Int(start.timeIntervalSince1970)), "ends_at": String(Int(end.timeIntervalSince1970)),
         "zone": office.timeZone.identifier, "appointment_id": id.description, "sequence": String(sequence),
         "link": "/my/appointments/\(id)", "ics": "/my/appointments/\(id).ics"]
    }

    /// Cancels a booked appointment, freeing its slot.
    public func cancel(_ id: AppointmentID, person: PersonID?, actor: String, channel: Channel, now: Date) async throws -> Appointment {
        try await database.transaction { sql in
            guard let appointment = try await select(sql).where("id", .equal, id.description).first().map(decode) else { throw AppointmentError.notFound }
            if let person, appointment.person != person { throw AppointmentError.notFound }
            guard appointment.status == .booked else { throw AppointmentError.refused(.alreadyPast) }
            try await sql.update("appointments").set("status", to: Appointment.Status.cancelled.rawValue).set("sequence", to: appointment.sequence + 1)
                .where("id", .equal, id.description).run()
            try await sql.delete(from: "appointment_cells").where("appointment_id", .equal, id.description).run()
            try await sql.delete(from: "appointment_person_days").where("appointment_id", .equal, id.description).run()
            try await sql.update("interpreter_requests").set("status", to: InterpreterStatus.cancelled.rawValue).set("updated_at", to: now.timeIntervalSince1970)
                .where("source", .equal, "appointment").where("source_id", .equal, id.description)
                .where("status", .in, [InterpreterStatus.requested.rawValue, InterpreterStatus.arranged.rawValue]).run()
            try await SQLAuditLog(database: database, keys: keys).append(AuditEntry(at: now, actor: actor, action: "appointment.cancelled", target: "person:\(appointment.person)",
                                                                                     channel: channel, detail: "appointment:\(id)"), on: sql)
            if let office = try await sql.select().columns(SQLOffices.columns.map { SQLIdentifier($0) }).from("offices").where("id", .equal, appointment.office.description).first() {
                try await SQLNotifications.enqueue("appointment-cancelled", person: appointment.person, language: appointment.language,
                                                   personalisation: Self.personalisation(id: id, office: try SQLOffices.decode(office).office, service: appointment.service, start: appointment.start,
                                                                                         end: appointment.end, sequence: appointment.sequence + 1),
                                                   keys: keys, at: now, on: sql)
            }
            var cancelled = appointment
            cancelled.status = .cancelled
            cancelled.sequence += 1
            return cancelled
        }
    }

    /// Cancels every booked appointment of an office on a day it closes (each person is told); returns how many.
    public func cancelAll(office: OfficeRecord, day: LocalDate, actor: String, now: Date) async throws -> Int {
        let booked = try await appointments(at: office.office.id, from: day.at(minutes: 0, in: office.office.timeZone),
                                            to: day.adding(days: 1).at(minutes: 0, in: office.office.timeZone)).filter { $0.status == .booked }
        for appointment in booked { _ = try await cancel(appointment.id, person: nil, actor: actor, channel: .inPerson, now: now) }
        return booked.count
    }

    /// Checks the person in for their appointment: a ticket with the appointment prefix, called ahead of walk-ins once due.
    public func checkIn(_ id: AppointmentID, office: OfficeRecord, closures: [OfficeClosure], queue: SQLQueue, actor: String, channel: Channel, now: Date) async throws -> Ticket {
        guard let appointment = try await find(id), appointment.office == office.office.id else { throw AppointmentError.notFound }
        guard appointment.status == .booked else { throw AppointmentError.refused(.alreadyPast) }
        guard now >= appointment.start.addingTimeInterval(-3600), now <= appointment.start.addingTimeInterval(900) else { throw AppointmentError.checkInWindow }
        let ticket = try await queue.checkIn(CheckIn(office: office.office.id, service: appointment.service, language: appointment.language,
                                                     interpreterNeeded: appointment.interpreter != nil, accessibility: appointment.accommodation, person: appointment.person,
                                                     appointment: appointment.id, appointmentAt: appointment.start, channel: channel),
                                             office: office, closures: closures, actor: actor, at: now)
        try await database.withSQL { sql in
            try await sql.update("appointments").set("status", to: Appointment.Status.checkedIn.rawValue).where("id", .equal, id.description).run()
        }
        return ticket
    }

    /// Writes the reminder of every booked appointment starting within `ahead` that has not had one; returns how many.
    public func sendReminders(ahead: TimeInterval = 86_400, now: Date) async throws -> Int {
        try await database.transaction { sql in
            let skipLocked: SQLQueryString = database.flavour == .postgres ? " FOR UPDATE SKIP LOCKED" : ""
            let due = try await sql.raw("SELECT \(unsafeRaw: Self.columns.joined(separator: ", ")) FROM appointments WHERE status = 'booked' AND reminded = 0 AND starts_at > \(bind: now.timeIntervalSince1970) AND starts_at <= \(bind: now.addingTimeInterval(ahead).timeIntervalSince1970) LIMIT 100" + skipLocked)
                .all().map(decode)
            for appointment in due {
                try await sql.update("appointments").set("reminded", to: 1).where("id", .equal, appointment.id.description).run()
                guard let row = try await sql.select().columns(SQLOffices.columns.map { SQLIdentifier($0) }).from("offices").where("id", .equal, appointment.office.description).first() else { continue }
                try await SQLNotifications.enqueue("appointment-reminder", person: appointment.person, language: appointment.language,
                                                   personalisation: Self.personalisation(id: appointment.id, office: try SQLOffices.decode(row).office, service: appointment.service,
                                                                                         start: appointment.start, end: appointment.end, sequence: appointment.sequence),
                                                   keys: keys, at: now, on: sql)
            }
            return due.count
        }
    }
}
