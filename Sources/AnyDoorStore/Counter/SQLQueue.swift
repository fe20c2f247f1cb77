import AnyDoorCore
import Foundation
import SQLKit

/// One ticket in an office's queue.
public struct Ticket: Sendable, Equatable {
    public var id: TicketID
    public var office: OfficeID
    public var day: String
    public var label: String
    public var service: String
    public var language: LanguageCode
    public var interpreterNeeded: Bool
    public var priority: PriorityReason?
    public var personID: PersonID?
    public var appointmentID: AppointmentID?
    public var appointmentAt: Date?
    public var status: TicketStatus
    public var counter: Int?
    public var forCounter: Int?
    public var staffID: StaffID?
    /// The virtual-queue link's secret (`/queue/{token}`): not personal, not guessable.
    public var token: String
    public var channel: Channel
    public var checkedInAt: Date
    public var calledAt: Date?
    public var servingSince: Date?
    public var closedAt: Date?
    public var hasPhone: Bool

    public var entry: QueueEntry {
        QueueEntry(id: id, service: service, language: language, interpreterNeeded: interpreterNeeded, priority: priority, checkedInAt: checkedInAt,
                   appointmentAt: appointmentAt, forCounter: forCounter)
    }
}

/// What a check-in asks for.
public struct CheckIn: Sendable {
    public var office: OfficeID
    public var service: String
    public var language: LanguageCode
    public var interpreterNeeded: Bool
    public var accessibility: String?
    public var priority: PriorityReason?
    public var person: PersonID?
    public var appointment: AppointmentID?
    public var appointmentAt: Date?
    /// A mobile number for the virtual queue's text messages.
    public var phone: String?
    /// `in-person` at the counter or kiosk, `online` from the person's own phone (QR code).
    public var channel: Channel

    public init(office: OfficeID, service: String, language: LanguageCode = .base, interpreterNeeded: Bool = false, accessibility: String? = nil,
                priority: PriorityReason? = nil, person: PersonID? = nil, appointment: AppointmentID? = nil, appointmentAt: Date? = nil, phone: String? = nil,
                channel: Channel = .inPerson) {
        self.office = office
        self.service = service
        self.language = language
        self.interpreterNeeded = interpreterNeeded
        self.accessibility = accessibility
        self.priority = priority
        self.person = person
        self.appointment = appointment
        self.appointmentAt = appointmentAt
        self.phone = phone
        self.channel = channel
    }
}

/// A refused queue operation, each a catalog key (`queue.error.<rawValue>`) and an HTTP status.
public enum QueueError: Error, Equatable, Sendable {
    case invalid([FieldError])
    case officeClosed
    case notFound
    case notAllowed(QueueWorkflow.NotAllowed)
    /// Sit at a counter before calling.
    case notSeated
    /// Another member of staff sits at that counter.
    case counterTaken
    /// Finish or hold the person at the counter first.
    case busy
    /// The ticket is at another counter.
    case notYours
}

/// A validated check-in waiting to be written.
struct PreparedCheckIn: Sendable {
    let id: TicketID
    let office: OfficeRecord
    let day: String
    let prefix: String
    let request: CheckIn
    let sealedPhone: String?
    let sealedAccessibility: String?
    let token: String
    let actor: String
    let time: Date
}

/// Everyone at the counters of an office now, for the dashboard and the wait estimates.
public struct CounterSeat: Sendable, Equatable {
    public var counter: Int
    public var staffID: StaffID
    public var since: Date
}

/// The queue: check-in, call next (never the same ticket twice, even with agents calling at the same instant
/// on several AnyDoor processes: a ticket is taken by a conditional update that only one caller can win),
/// every transition with its event, service-time history for the wait estimates, and the virtual queue's
/// "come in now" text messages, written in the transaction that moved the queue.
public struct SQLQueue: Sendable {
    let database: Database
    let keys: KeyRing
    public let policy = CallNextPolicy()

    public init(database: Database, keys: KeyRing) {
        self.database = database
        self.keys = keys
    }

    static let columns = ["id", "office_id", "day", "label", "service_code", "language", "interpreter", "priority", "person_id", "appointment_id", "appointment_at",
                          "status", "counter", "for_counter", "staff_id", "token", "channel", "checked_in_at", "called_at", "serving_since", "closed_at", "phone_enc"]

    static func decode(_ row: any SQLRow) throws -> Ticket {
        func date(_ column: String) throws -> Date? { try row.decode(column: column, as: Double?.self).map(Date.init(timeIntervalSince1970:)) }
        return Ticket(
            id: TicketID(try row.decode(column: "id", as: String.self))!, office: OfficeID(try row.decode(column: "office_id", as: String.self))!,
            day: try row.decode(column: "day", as: String.self), label: try row.decode(column: "label", as: String.self),
            service: try row.decode(column: "service_code", as: String.self),
            language: LanguageCode(rawValue: try row.decode(column: "language", as: String.self)) ?? .base,
            interpreterNeeded: try row.decode(column: "interpreter", as: Int.self) != 0,
            priority: try row.decode(column: "priority", as: String?.self).flatMap(PriorityReason.init(rawValue:)),
            personID: try row.decode(column: "person_id", as: String?.self).flatMap(PersonID.init),
            appointmentID: try row.decode(column: "appointment_id", as: String?.self).flatMap(AppointmentID.init),
            appointmentAt: try date("appointment_at"),
            status: TicketStatus(rawValue: try row.decode(column: "status", as: String.self)) ?? .waiting,
            counter: try row.decode(column: "counter", as: Int?.self), forCounter: try row.decode(column: "for_counter", as: Int?.self),
            staffID: try row.decode(column: "staff_id", as: String?.self).flatMap(StaffID.init), token: try row.decode(column: "token", as: String.self),
            channel: Channel(rawValue: try row.decode(column: "channel", as: String.self)) ?? .inPerson,
            checkedInAt: try date("checked_in_at")!, calledAt: try date("called_at"), servingSince: try date("serving_since"), closedAt: try date("closed_at"),
            hasPhone: try row.decode(column: "phone_enc", as: String?.self) != nil)
    }

    func select(_ sql: any SQLDatabase) -> SQLSelectBuilder {
        sql.select().columns(Self.columns.map { SQLIdentifier($0) }).from("tickets")
    }

    // MARK: Check-in

    /// Gives the person a ticket. The service must be offered at the office, the office open, the phone valid.
    public func checkIn(_ request: CheckIn, office record: OfficeRecord, closures: [OfficeClosure], actor: String, at time: Date) async throws -> Ticket {
        let office = record.office
        var problems = ValidationCollector()
        let prefix = try await database.withSQL { sql in
            try await sql.select().column("prefix").from("office_services").where("office_id", .equal, office.id.description)
                .where("service_code", .equal, request.service).first()?.decode(column: "prefix", as: String.self)
        }
        if prefix == nil { problems.add("service", "notOffered", "This office does not offer that service.") }
        var phone: String?
        if let typed = request.phone?.trimmingCharacters(in: .whitespaces), !typed.isEmpty {
            phone = NotificationPreferences.normalisedPhone(typed)
            if phone == nil { problems.add("phone", "invalidFormat", "Enter a phone number with 10 to 15 digits.") }
        }
        let accessibility = request.accessibility?.trimmingCharacters(in: .whitespacesAndNewlines)
        if let accessibility, accessibility.count > 500 { problems.add("accessibility", "tooLong", "At most 500 characters.") }
        do { try problems.check() } catch { throw QueueError.invalid(error.errors) }
        guard office.isOpen(at: time, closures: closures) else { throw QueueError.officeClosed }
        let prepared = PreparedCheckIn(
            id: TicketID(rawValue: UUID()), office: record, day: LocalDate(time, in: office.timeZone).description,
            prefix: request.appointment == nil ? prefix! : TicketLabel.appointmentPrefix, request: request,
            sealedPhone: try phone.map { try keys.seal($0, context: "tickets.phone") },
            sealedAccessibility: try accessibility.flatMap { $0.isEmpty ? nil : try keys.seal($0, context: "tickets.accessibility") },
            token: Self.newToken(), actor: actor, time: time)
        // Group commit: check-ins arriving together are written in one transaction (see `GroupCommit`).
        return try await GroupCommit<PreparedCheckIn, Ticket>.for(database, "check-in").submit(prepared) { batch in try await write(batch) }
    }

    /// Writes check-ins in one transaction: their numbers (per prefix per office per day), tickets, first events
    /// and audit entries each in one statement. A number taken meanwhile by another node (a unique-index
    /// refusal) retries the whole batch with fresh numbers.
    func write(_ batch: [PreparedCheckIn]) async throws -> [Ticket] {
        for _ in 0..<8 {
            do {
                return try await database.transaction { sql in
                    var next: [String: Int] = [:]
                    var tickets: [Ticket] = []
                    let insert = sql.insert(into: "tickets").columns("id", "office_id", "day", "label", "service_code", "language", "interpreter", "accessibility_enc",
                                                                     "priority", "person_id", "appointment_id", "appointment_at", "status", "token", "phone_enc",
                                                                     "come_in_sent", "channel", "checked_in_at")
                    let events = sql.insert(into: "ticket_events").columns("id", "ticket_id", "at", "transition", "status", "staff_id", "counter", "detail")
                    var audits: [AuditEntry] = []
                    for item in batch {
                        let office = item.office.office
                        let key = "\(office.id)|\(item.day)|\(item.prefix)"
                        if next[key] == nil {
                            // A range on the (office, day, label) unique index: "K-" <= label < "K." ("." follows "-").
                            next[key] = (try await sql.select().column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n").from("tickets")
                                .where("office_id", .equal, office.id.description).where("day", .equal, item.day)
                                .where("label", .greaterThanOrEqual, item.prefix + "-").where("label", .lessThan, item.prefix + ".")
                                .first()?.decode(column: "n", as: Int.self) ?? 0) + 1
                        }
                        let label = TicketLabel.make(prefix: item.prefix, number: next[key]!)
                        next[key]! += 1
                        let request = item.request
                        insert.values(SQLBind(item.id.description), SQLBind(office.id.description), SQLBind(item.day), SQLBind(label), SQLBind(request.service),
                                      SQLBind(request.language.rawValue), SQLBind(request.interpreterNeeded ? 1 : 0), SQLBind(item.sealedAccessibility),
                                      SQLBind(request.priority?.rawValue), SQLBind(request.person?.description), SQLBind(request.appointment?.description),
                                      SQLBind(request.appointmentAt?.timeIntervalSince1970), SQLBind(TicketStatus.waiting.rawValue), SQLBind(item.token),
                                      SQLBind(item.sealedPhone), SQLBind(0), SQLBind(request.channel.rawValue), SQLBind(item.time.timeIntervalSince1970))
                        events.values(SQLBind(UUID().uuidString.lowercased()), SQLBind(item.id.description), SQLBind(item.time.timeIntervalSince1970), SQLBind("check-in"),
                                      SQLBind(TicketStatus.waiting.rawValue), SQLBind(String?.none), SQLBind(Int?.none), SQLBind(request.service))
                        audits.append(AuditEntry(at: item.time, actor: item.actor, action: "queue.checked-in",
                                                 target: request.person.map { "person:\($0)" } ?? "ticket:\(item.id)", channel: request.channel,
                                                 detail: "ticket:\(item.id) office:\(office.code)"))
                        tickets.append(Ticket(id: item.id, office: office.id, day: item.day, label: label, service: request.service, language: request.language,
                                              interpreterNeeded: request.interpreterNeeded, priority: request.priority, personID: request.person,
                                              appointmentID: request.appointment, appointmentAt: request.appointmentAt, status: .waiting, counter: nil, forCounter: nil,
                                              staffID: nil, token: item.token, channel: request.channel, checkedInAt: item.time, calledAt: nil, servingSince: nil,
                                              closedAt: nil, hasPhone: item.sealedPhone != nil))
                    }
                    try await insert.run()
                    try await events.run()
                    try await SQLAuditLog(database: database, keys: keys).append(audits, on: sql)
                    for item in batch {
                        if item.request.interpreterNeeded, item.request.language != .base {
                            try await SQLContactCentre.requestInterpreter(person: item.request.person, language: item.request.language, source: "ticket",
                                                                          sourceID: item.id.description, office: item.office.office.id, neededAt: item.time, at: item.time, on: sql)
                        }
                        // A newcomer never moves anyone else forward: only a newcomer with a phone may need "come in now" already.
                        if item.sealedPhone != nil { try await comeInMessages(office: item.office, at: item.time, on: sql) }
                    }
                    return tickets
                }
            } catch where database.flavour.isUniqueViolation(error) {
                continue
            }
        }
        throw DatabaseUnavailable(underlying: "ticket numbers kept colliding")
    }

    static func newToken() -> String {
        var generator = SystemRandomNumberGenerator()
        let alphabet = Array("abcdefghijkmnpqrstuvwxyz23456789")
        return String((0..<22).map { _ in alphabet[Int(generator.next() % UInt64(alphabet.count))] })
    }

    // MARK: Reading

    public func ticket(_ id: TicketID) async throws -> Ticket? {
        try await database.withSQL { sql in try await select(sql).where("id", .equal, id.description).first().map(Self.decode) }
    }

    public func ticket(token: String) async throws -> Ticket? {
        guard token.count == 22, token.allSatisfy({ $0.isLetter || $0.isNumber }) else { return nil }
        return try await database.withSQL { sql in try await select(sql).where("token", .equal, token).first().map(Self.decode) }
    }

    /// Open tickets of the office (waiting, called, serving, held).
    public func open(at office: OfficeID) async throws -> [Ticket] {
        try await database.withSQL { sql in
            try await select(sql).where("office_id", .equal, office.description)
                .where("status", .in, [TicketStatus.waiting, .called, .serving, .held].map(\.rawValue)).orderBy("checked_in_at").all().map(Self.decode)
        }
    }

    /// The waiting line as the call-next rule needs it (only the columns it reads): every ticket that can jump
    /// the line (an appointment, a priority reason) and the first `page` walk-ins by check-in time from `offset`.
    func waitingEntries(at office: OfficeID, page: Int = 200, offset: Int = 0) async throws -> (entries: [QueueEntry], more: Bool) {
        try await database.withSQL { sql in
            func decode(_ row: any SQLRow) throws -> QueueEntry {
                QueueEntry(id: TicketID(try row.decode(column: "id", as: String.self))!, service: try row.decode(column: "service_code", as: String.self),
                           language: LanguageCode(rawValue: try row.decode(column: "language", as: String.self)) ?? .base,
                           interpreterNeeded: try row.decode(column: "interpreter", as: Int.self) != 0,
                           priority: try row.decode(column: "priority", as: String?.self).flatMap(PriorityReason.init(rawValue:)),
                           checkedInAt: Date(timeIntervalSince1970: try row.decode(column: "checked_in_at", as: Double.self)),
                           appointmentAt: try row.decode(column: "appointment_at", as: Double?.self).map(Date.init(timeIntervalSince1970:)),
                           forCounter: try row.decode(column: "for_counter", as: Int?.self))
            }
            let columns = ["id", "service_code", "language", "interpreter", "priority", "checked_in_at", "appointment_at", "for_counter"].map { SQLIdentifier($0) }
            let jumping = offset > 0 ? [] : try await sql.raw("""
                SELECT id, service_code, language, interpreter, priority, checked_in_at, appointment_at, for_counter FROM tickets
                WHERE office_id = \(bind: office.description) AND status = 'waiting' AND (appointment_at IS NOT NULL OR priority IS NOT NULL)
                """).all().map(decode)
            let walkIns = try await sql.select().columns(columns).from("tickets").where("office_id", .equal, office.description)
                .where("status", .equal, TicketStatus.waiting.rawValue).where("appointment_at", .is, SQLLiteral.null).where("priority", .is, SQLLiteral.null)
                .orderBy("checked_in_at").limit(page).offset(offset).all().map(decode)
            return (jumping + walkIns, walkIns.count == page)
        }
    }

    /// The ticket the call-next rule gives `agent`, reading the line a page at a time (an agent who takes few
    /// services may have to look past the first page).
    func nextFor(_ agent: AgentSkills, at office: OfficeID, now: Date) async throws -> QueueEntry? {
        var offset = 0
        while true {
            let (entries, more) = try await waitingEntries(at: office, offset: offset)
            if let choice = policy.next(for: agent, among: entries, now: now) { return choice }
            guard more else { return nil }
            offset += 200
        }
    }

    /// Whether someone is called to or being served at the counter.
    func isBusy(office: OfficeID, counter: Int) async throws -> Bool {
        try await database.withSQL { sql in
            try await sql.select().column("id").from("tickets").where("office_id", .equal, office.description).where("counter", .equal, counter)
                .where("status", .in, [TicketStatus.called.rawValue, TicketStatus.serving.rawValue]).limit(1).first() != nil
        }
    }

    /// People waiting at each office, in one query.
    public func waitingCounts() async throws -> [OfficeID: Int] {
        try await database.withSQL { sql in
            var counts: [OfficeID: Int] = [:]
            for row in try await sql.raw("SELECT office_id, COUNT(*) AS n FROM tickets WHERE status = 'waiting' GROUP BY office_id").all() {
                if let office = OfficeID(try row.decode(column: "office_id", as: String.self)) { counts[office] = try row.decode(column: "n", as: Int.self) }
            }
            return counts
        }
    }

    /// Everyone checked in at the office on `day` (for today's totals).
    public func tickets(at office: OfficeID, day: LocalDate) async throws -> [Ticket] {
        try await database.withSQL { sql in
            try await select(sql).where("office_id", .equal, office.description).where("day", .equal, day.description).orderBy("checked_in_at").all().map(Self.decode)
        }
    }

    /// A person's visits, newest first.
    public func tickets(of person: PersonID) async throws -> [Ticket] {
        try await database.withSQL { sql in
            try await select(sql).where("person_id", .equal, person.description).orderBy("checked_in_at", .descending).limit(50).all().map(Self.decode)
        }
    }

    public struct TicketEvent: Sendable, Equatable {
        public var at: Date
        public var transition: String
        public var status: TicketStatus
        public var counter: Int?
        public var detail: String?
    }

    public func events(of ticket: TicketID) async throws -> [TicketEvent] {
        try await database.withSQL { sql in
            try await sql.select().columns("at", "transition", "status", "counter", "detail").from("ticket_events").where("ticket_id", .equal, ticket.description)
                .orderBy("at").all().map { row in
                    TicketEvent(at: Date(timeIntervalSince1970: try row.decode(column: "at", as: Double.self)), transition: try row.decode(column: "transition", as: String.self),
                                status: TicketStatus(rawValue: try row.decode(column: "status", as: String.self)) ?? .waiting,
                                counter: try row.decode(column: "counter", as: Int?.self), detail: try row.decode(column: "detail", as: String?.self))
                }
        }
    }

    /// The accessibility needs the person gave at check-in, for the agent serving them.
    public func accessibility(of ticket: TicketID) async throws -> String? {
        try await database.withSQL { sql in
            try await sql.select().column("accessibility_enc").from("tickets").where("id", .equal, ticket.description).first()?
                .decode(column: "accessibility_enc", as: String?.self).map { try keys.open($0, context: "tickets.accessibility") }
        }
    }

    // MARK: Counters

    public func seats(at office: OfficeID) async throws -> [CounterSeat] {
        try await database.withSQL { sql in
            try await sql.select().columns("counter", "staff_id", "since").from("counter_seats").where("office_id", .equal, office.description).orderBy("counter").all().map {
                CounterSeat(counter: try $0.decode(column: "counter", as: Int.self), staffID: StaffID(try $0.decode(column: "staff_id", as: String.self))!,
                            since: Date(timeIntervalSince1970: try $0.decode(column: "since", as: Double.self)))
            }
        }
    }

    public func seat(of staff: StaffID, at office: OfficeID) async throws -> Int? {
        try await seats(at: office).first { $0.staffID == staff }?.counter
    }

    /// Sits `staff` at `counter` (leaving any other counter of the office). Refused when someone else sits there.
    public func sit(_ staff: StaffID, at counter: Int, office: OfficeRecord, at time: Date) async throws {
        guard (1...office.office.counters).contains(counter) else {
            throw QueueError.invalid([FieldError(field: "counter", code: "outOfRange", message: "This office has counters 1 to \(office.office.counters).")])
        }
        try await database.transaction { sql in
            if let row = try await sql.select().column("staff_id").from("counter_seats").where("office_id", .equal, office.office.id.description)
                .where("counter", .equal, counter).first(), try row.decode(column: "staff_id", as: String.self) != staff.description {
                throw QueueError.counterTaken
            }
            try await sql.delete(from: "counter_seats").where("office_id", .equal, office.office.id.description).where("staff_id", .equal, staff.description).run()
            try await sql.insert(into: "counter_seats").columns("office_id", "counter", "staff_id", "since")
                .values(SQLBind(office.office.id.description), SQLBind(counter), SQLBind(staff.description), SQLBind(time.timeIntervalSince1970)).run()
        }
    }

    public func leaveCounter(_ staff: StaffID, office: OfficeID) async throws {
        try await database.withSQL { sql in
            try await sql.delete(from: "counter_seats").where("office_id", .equal, office.description).where("staff_id", .equal, staff.description).run()
        }
    }

    // MARK: Calling and serving

    /// Calls the next person for `staff` at their counter, by the call-next rule and their skills. `nil` when
    /// no one waiting is theirs. Two agents calling at once never get the same ticket: each takes its choice with
    /// `UPDATE ... WHERE status = 'waiting'`, and the one that updates no row chooses again.
    public func callNext(office: OfficeRecord, staff: StaffID, actor: String, at time: Date) async throws -> Ticket? {
        guard let counter = try await seat(of: staff, at: office.office.id) else { throw QueueError.notSeated }
        let skills = try await SQLOffices(database: database, keys: keys).skills(of: staff, at: office.office.id)
        let agent = AgentSkills(counter: counter, services: skills.services, languages: skills.languages)
        if try await isBusy(office: office.office.id, counter: counter) { throw QueueError.busy }
        for _ in 0..<10 {
            guard let choice = try await nextFor(agent, at: office.office.id, now: time) else { return nil }
            if let ticket = try await take(choice.id, from: [.waiting], office: office, counter: counter, staff: staff, actor: actor, at: time) { return ticket }
        }
        return nil
    }

    /// Calls one person by their ticket (waiting or held), to `staff`'s counter.
    public func call(_ ticket: TicketID, office: OfficeRecord, staff: StaffID, actor: String, at time: Date) async throws -> Ticket {
        guard let counter = try await seat(of: staff, at: office.office.id) else { throw QueueError.notSeated }
        guard let current = try await self.ticket(ticket), current.office == office.office.id else { throw QueueError.notFound }
        if try await open(at: office.office.id).contains(where: { $0.counter == counter && $0.id != ticket && ($0.status == .called || $0.status == .serving) }) {
            throw QueueError.busy
        }
        do { _ = try QueueWorkflow.apply(.call, to: current.status) } catch let refusal as QueueWorkflow.NotAllowed { throw QueueError.notAllowed(refusal) }
        guard let taken = try await take(ticket, from: [.waiting, .held], office: office, counter: counter, staff: staff, actor: actor, at: time) else {
            throw QueueError.notAllowed(.init(transition: "call", from: .called))
        }
        return taken
    }

    /// The conditional update that makes a call exclusive; `nil` when another agent took the ticket first.
    func take(_ id: TicketID, from: [TicketStatus], office: OfficeRecord, counter: Int, staff: StaffID, actor: String, at time: Date) async throws -> Ticket? {
        try await database.transaction { sql in
            let taken = try await sql.update("tickets").set("status", to: TicketStatus.called.rawValue).set("counter", to: counter)
                .set("staff_id", to: staff.description).set("called_at", to: time.timeIntervalSince1970).set("for_counter", to: SQLLiteral.null)
                .where("id", .equal, id.description).where("status", .in, from.map(\.rawValue))
                .returning("id").all()
            guard !taken.isEmpty, let ticket = try await select(sql).where("id", .equal, id.description).first().map(Self.decode) else { return nil }
            try await event(id, "call", .called, staff: staff, counter: counter, detail: nil, at: time, on: sql)
            try await audit(actor: actor, action: "queue.called", ticket: id, person: ticket.personID, channel: .inPerson, detail: "counter:\(counter)", at: time, on: sql)
            try await comeInMessages(office: office, at: time, on: sql)
            return ticket
        }
    }

    /// Serve, hold, no-show, finish, or transfer (to another service, or to one counter) the ticket at `staff`'s counter.
    public func apply(_ transition: QueueTransition, to id: TicketID, office: OfficeRecord, staff: StaffID, actor: String,
                      transferService: String? = nil, transferCounter: Int? = nil, at time: Date) async throws -> Ticket {
        guard transition != .call, transition != .leave else { throw QueueError.notAllowed(.init(transition: transition.rawValue, from: .waiting)) }
        if transition == .transfer {
            var problems = ValidationCollector()
            if transferService == nil && transferCounter == nil { problems.add("service", "required", "Choose the service or counter to transfer to.") }
            if let service = transferService, try await !SQLOffices(database: database, keys: keys).services(of: office.office.id).contains(where: { $0.code == service }) {
                problems.add("service", "notOffered", "This office does not offer that service.")
            }
            if let counter = transferCounter, !(1...office.office.counters).contains(counter) { problems.add("counter", "outOfRange", "No such counter here.") }
            do { try problems.check() } catch { throw QueueError.invalid(error.errors) }
        }
        return try await database.transaction { sql in
            let lock: SQLQueryString = database.flavour == .postgres ? " FOR UPDATE" : ""
            guard let ticket = try await sql.raw("SELECT \(unsafeRaw: Self.columns.joined(separator: ", ")) FROM tickets WHERE id = \(bind: id.description)" + lock)
                .first().map(Self.decode), ticket.office == office.office.id else { throw QueueError.notFound }
            if ticket.staffID != staff { throw QueueError.notYours }
            let target: TicketStatus
            do { target = try QueueWorkflow.apply(transition, to: ticket.status) } catch let refusal as QueueWorkflow.NotAllowed { throw QueueError.notAllowed(refusal) }
            let update = sql.update("tickets").set("status", to: target.rawValue).where("id", .equal, id.description)
            var detail: String?
            switch transition {
            case .serve:
                update.set("serving_since", to: time.timeIntervalSince1970)
            case .finish:
                update.set("closed_at", to: time.timeIntervalSince1970)
                if let since = ticket.servingSince {
                    try await recordServiceTime(office: office.office, service: ticket.service, hour: office.office.localHour(since),
                                                minutes: time.timeIntervalSince(since) / 60, on: sql)
                }
            case .noShow:
                update.set("closed_at", to: time.timeIntervalSince1970)
            case .transfer:
                update.set("counter", to: SQLLiteral.null).set("staff_id", to: SQLLiteral.null).set("serving_since", to: SQLLiteral.null)
                if let service = transferService { update.set("service_code", to: service) }
                update.set("for_counter", to: transferCounter.map { SQLBind($0) } ?? SQLBind(Int?.none))
                detail = [transferService.map { "service:\($0)" }, transferCounter.map { "counter:\($0)" }].compactMap { $0 }.joined(separator: " ")
            case .hold, .call, .leave:
                break
            }
            try await update.run()
            try await event(id, transition.rawValue, target, staff: staff, counter: ticket.counter, detail: detail, at: time, on: sql)
            try await audit(actor: actor, action: "queue.\(transition.rawValue)", ticket: id, person: ticket.personID, channel: .inPerson, detail: detail, at: time, on: sql)
            if let appointment = ticket.appointmentID, transition == .finish || transition == .noShow {
                try await sql.update("appointments").set("status", to: transition == .finish ? "attended" : "no-show").where("id", .equal, appointment.description).run()
            }
            if ticket.interpreterNeeded, transition == .serve {
                try await SQLContactCentre.fulfilInterpreter(source: "ticket", sourceID: id.description, present: true, at: time, on: sql)
            }
            return try await select(sql).where("id", .equal, id.description).first().map(Self.decode)!
        }
    }

    /// The person leaves the virtual queue from their link.
    public func leave(token: String, at time: Date) async throws -> Ticket {
        guard let ticket = try await ticket(token: token) else { throw QueueError.notFound }
        return try await database.transaction { sql in
            do { _ = try QueueWorkflow.apply(.leave, to: ticket.status) } catch let refusal as QueueWorkflow.NotAllowed { throw QueueError.notAllowed(refusal) }
            let left = try await sql.update("tickets").set("status", to: TicketStatus.left.rawValue).set("closed_at", to: time.timeIntervalSince1970)
                .where("id", .equal, ticket.id.description).where("status", .in, [TicketStatus.waiting.rawValue, TicketStatus.held.rawValue]).returning("id").all()
            guard !left.isEmpty else { throw QueueError.notAllowed(.init(transition: "leave", from: ticket.status)) }
            try await event(ticket.id, "leave", .left, staff: nil, counter: nil, detail: nil, at: time, on: sql)
            try await audit(actor: ticket.personID.map { "person:\($0)" } ?? "ticket-holder", action: "queue.left", ticket: ticket.id, person: ticket.personID,
                            channel: .online, detail: nil, at: time, on: sql)
            var changed = ticket
            changed.status = .left
            return changed
        }
    }

    // MARK: History and estimates

    func recordServiceTime(office: Office, service: String, hour: Int, minutes: Double, on sql: any SQLDatabase) async throws {
        try await sql.raw("""
            INSERT INTO service_times (office_code, service_code, hour, total_minutes, served) VALUES (\(bind: office.code), \(bind: service), \(bind: hour), \(bind: minutes), 1)
            ON CONFLICT (office_code, service_code, hour) DO UPDATE SET total_minutes = service_times.total_minutes + excluded.total_minutes, served = service_times.served + 1
            """).run()
    }

    /// The service-time model from every office's history.
    public func serviceTimes() async throws -> ServiceTimeModel {
        try await database.withSQL { sql in
            var model = ServiceTimeModel()
            for row in try await sql.select().columns("office_code", "service_code", "hour", "total_minutes", "served").from("service_times").all() {
                let office = try row.decode(column: "office_code", as: String.self), service = try row.decode(column: "service_code", as: String.self)
                let total = try row.decode(column: "total_minutes", as: Double.self), count = try row.decode(column: "served", as: Int.self)
                model.add(.init(service: service, office: office, hour: try row.decode(column: "hour", as: Int.self)), totalMinutes: total, count: count)
                model.add(.init(service: service, office: office, hour: nil), totalMinutes: total, count: count)
                model.add(.init(service: service, office: nil, hour: nil), totalMinutes: total, count: count)
                model.add(.init(service: nil, office: office, hour: nil), totalMinutes: total, count: count)
            }
            return model
        }
    }

    /// Each waiting ticket's position (1 = next) and estimated wait in minutes (`nil` when no open counter can serve it).
    public func estimates(office: OfficeRecord, open tickets: [Ticket], model: ServiceTimeModel, at time: Date) async throws -> [TicketID: (position: Int, minutes: Double?)] {
        let seats = try await seats(at: office.office.id)
        let offices = SQLOffices(database: database, keys: keys)
        let hour = office.office.localHour(time)
        var counters: [WaitEstimator.Counter] = []
        for seat in seats {
            let skills = try await offices.skills(of: seat.staffID, at: office.office.id)
            let serving = tickets.first { $0.counter == seat.counter && ($0.status == .serving || $0.status == .called) }
            counters.append(WaitEstimator.Counter(
                skills: AgentSkills(counter: seat.counter, services: skills.services, languages: skills.languages),
                servingForMinutes: serving.map { time.timeIntervalSince($0.servingSince ?? $0.calledAt ?? time) / 60 },
                servingExpectedMinutes: serving.map { model.expectedMinutes(service: $0.service, office: office.office.code, hour: hour) } ?? 0))
        }
        let waiting = tickets.filter { $0.status == .waiting }.map(\.entry)
        let estimates = WaitEstimator(model: model, policy: policy, office: office.office.code).estimate(waiting: waiting, counters: counters, now: time, hour: hour)
        var result: [TicketID: (Int, Double?)] = [:]
        for (index, entry) in policy.order(waiting, now: time).enumerated() {
            result[entry.id] = (index + 1, estimates[entry.id] ?? nil)
        }
        return result
    }

    /// Sends "come in now" to each virtual-queue ticket with a phone number that has reached the office's position.
    func comeInMessages(office: OfficeRecord, at time: Date, on sql: any SQLDatabase) async throws {
        // Most queues have nobody waiting for a text: one indexed look-up, and nothing more to do.
        guard try await sql.raw("""
            SELECT id FROM tickets WHERE office_id = \(bind: office.office.id.description) AND phone_enc IS NOT NULL AND come_in_sent = 0 AND status = 'waiting' LIMIT 1
            """).first() != nil else { return }
        let rows = try await sql.raw("SELECT \(unsafeRaw: Self.columns.joined(separator: ", ")) FROM tickets WHERE office_id = \(bind: office.office.id.description) AND status = 'waiting'")
            .all().map(Self.decode)
        let order = policy.order(rows.map(\.entry), now: time)
        for (index, entry) in order.enumerated() where index < office.comeInAt {
            guard let ticket = rows.first(where: { $0.id == entry.id }), ticket.hasPhone else { continue }
            let sent = try await sql.update("tickets").set("come_in_sent", to: 1).where("id", .equal, ticket.id.description).where("come_in_sent", .equal, 0)
                .returning("phone_enc").all()
            guard let sealed = try sent.first?.decode(column: "phone_enc", as: String?.self) else { continue }
            try await SQLNotifications.insert(kind: "sms", recipient: try keys.open(sealed, context: "tickets.phone"), template: "come-in", language: ticket.language,
                                              personalisation: ["ticket": ticket.label, "position": String(index + 1), "office": office.office.town,
                                                                "link": "/queue/\(ticket.token)"],
                                              request: nil, person: ticket.personID, keys: keys, at: time, on: sql)
        }
    }

    func event(_ ticket: TicketID, _ transition: String, _ status: TicketStatus, staff: StaffID?, counter: Int?, detail: String?, at time: Date, on sql: any SQLDatabase) async throws {
        try await sql.insert(into: "ticket_events").columns("id", "ticket_id", "at", "transition", "status", "staff_id", "counter", "detail")
            .values(SQLBind(UUID().uuidString.lowercased()), SQLBind(ticket.description), SQLBind(time.timeIntervalSince1970), SQLBind(transition), SQLBind(status.rawValue),
                    SQLBind(staff?.description), SQLBind(counter), SQLBind(detail)).run()
    }

    func audit(actor: String, action: String, ticket: TicketID, person: PersonID?, channel: Channel, detail: String?, at time: Date, on sql: any SQLDatabase) async throws {
        try await SQLAuditLog(database: database, keys: keys).append(AuditEntry(at: time, actor: actor, action: action,
                                                                                 target: person.map { "person:\($0)" } ?? "ticket:\(ticket)", channel: channel,
                                                                                 detail: ["ticket:\(ticket)", detail].compactMap { $0 }.joined(separator: " ")), on: sql)
    }
}
