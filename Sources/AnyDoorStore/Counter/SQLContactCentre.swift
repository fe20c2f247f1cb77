import AnyDoorCore
import Foundation
import SQLKit

/// One phone contact, as the agent logs it.
public struct ContactLog: Sendable, Equatable {
    public var id: String
    public var person: PersonID?
    public var staff: StaffID
    public var startedAt: Date
    public var durationSeconds: Int
    public var reason: String
    public var service: String?
    public var outcome: CallOutcome
    public var verified: Bool
    public var transferMinistry: MinistryID?
    public var note: String?

    public init(id: String = UUID().uuidString.lowercased(), person: PersonID?, staff: StaffID, startedAt: Date, durationSeconds: Int, reason: String,
                service: String? = nil, outcome: CallOutcome, verified: Bool, transferMinistry: MinistryID? = nil, note: String? = nil) {
        self.id = id
        self.person = person
        self.staff = staff
        self.startedAt = startedAt
        self.durationSeconds = durationSeconds
        self.reason = reason
        self.service = service
        self.outcome = outcome
        self.verified = verified
        self.transferMinistry = transferMinistry
        self.note = note
    }
}

public struct Callback: Sendable, Equatable {
    public var id: String
    public var person: PersonID?
    public var contact: String
    public var phone: String
    public var dueAt: Date
    public var status: String
}

public struct InterpreterRequest: Sendable, Equatable {
    public var id: String
    public var person: PersonID?
    public var language: LanguageCode
    public var source: String
    public var sourceID: String
    public var office: OfficeID?
    public var neededAt: Date
    public var status: InterpreterStatus
}

/// The contact centre's record: phone contacts on the person's record, callbacks, transfers to ministries
/// (a `contact.transferred` webhook with the agent's note), and interpreter requests from every door.
public struct SQLContactCentre: Sendable {
    let database: Database
    let keys: KeyRing

    public init(database: Database, keys: KeyRing) {
        self.database = database
        self.keys = keys
    }

    /// Logs a contact, with its callback if one was promised. A transfer sends the note to the ministry's systems.
    public func log(_ contact: ContactLog, callback: (phone: String, due: Date)?, actor: String) async throws {
        var problems = ValidationCollector()
        let reason = contact.reason.trimmingCharacters(in: .whitespacesAndNewlines)
        if reason.isEmpty { problems.add("reason", "required", "Say why the person called.") } else if reason.count > 200 { problems.add("reason", "tooLong", "At most 200 characters.") }
        if !(0...(8 * 3600)).contains(contact.durationSeconds) { problems.add("duration", "outOfRange", "A call lasts 0 to 480 minutes.") }
        if let note = contact.note, note.count > 2000 { problems.add("note", "tooLong", "At most 2000 characters.") }
        if contact.outcome == .transferred, contact.transferMinistry == nil { problems.add("ministry", "required", "Choose the ministry to transfer to.") }
        var phone: String?
        if let callback {
            phone = NotificationPreferences.normalisedPhone(callback.phone)
            if phone == nil { problems.add("callbackPhone", "invalidFormat", "Enter a phone number with 10 to 15 digits.") }
            if let problem = CallbackRules.check(callback.due, now: contact.startedAt, zone: TimeZone(identifier: "America/Vancouver")!) {
                problems.add("callbackAt", problem, "A callback is in the contact centre's hours (Monday to Friday, 7:30 to 17:00), within two weeks.")
            }
        }
        try problems.check()
        let callbackPhone = phone
        try await database.transaction { sql in
            try await sql.insert(into: "contacts").columns("id", "person_id", "staff_id", "started_at", "duration_seconds", "reason", "service_code", "outcome", "verified",
                                                          "transfer_ministry", "note_enc")
                .values(SQLBind(contact.id), SQLBind(contact.person?.description), SQLBind(contact.staff.description), SQLBind(contact.startedAt.timeIntervalSince1970),
                        SQLBind(contact.durationSeconds), SQLBind(reason), SQLBind(contact.service), SQLBind(contact.outcome.rawValue), SQLBind(contact.verified ? 1 : 0),
                        SQLBind(contact.transferMinistry?.description), SQLBind(try contact.note.flatMap { $0.isEmpty ? nil : try keys.seal($0, context: "contacts.note") }))
                .run()
            if let callback, let phone = callbackPhone {
                try await sql.insert(into: "callbacks").columns("id", "person_id", "contact_id", "phone_enc", "due_at", "status", "created_by")
                    .values(SQLBind(UUID().uuidString.lowercased()), SQLBind(contact.person?.description), SQLBind(contact.id),
                            SQLBind(try keys.seal(phone, context: "callbacks.phone")), SQLBind(callback.due.timeIntervalSince1970), SQLBind("scheduled"), SQLBind(actor)).run()
            }
            if let ministry = contact.transferMinistry, contact.outcome == .transferred {
                struct Transfer: Encodable {
                    struct Body: Encodable { var contact_id: String; var person_id: String?; var reason: String; var service_code: String?; var note: String? }
                    var type = "contact.transferred"
                    var timestamp: String
                    var data: Body
                }
                let event = Transfer(timestamp: ISO8601DateFormatter().string(from: contact.startedAt),
                                     data: .init(contact_id: contact.id, person_id: contact.person?.description, reason: reason, service_code: contact.service, note: contact.note))
                try await WebhookOutbox.enqueue(toMinistry: ministry.description, subject: "contact:\(contact.id)", payload: String(decoding: try JSONEncoder().encode(event), as: UTF8.self),
                                                type: event.type, keys: keys, at: contact.startedAt, on: sql)
            }
            try await SQLAuditLog(database: database, keys: keys).append(AuditEntry(
                at: contact.startedAt, actor: actor, action: "contact.logged", target: contact.person.map { "person:\($0)" } ?? "contact:\(contact.id)", channel: .phone,
                detail: "outcome:\(contact.outcome.rawValue)\(contact.verified ? " verified" : "")"), on: sql)
        }
    }

    public func contacts(of person: PersonID) async throws -> [ContactLog] {
        try await database.withSQL { sql in
            try await sql.select().columns("id", "person_id", "staff_id", "started_at", "duration_seconds", "reason", "service_code", "outcome", "verified", "transfer_ministry", "note_enc")
                .from("contacts").where("person_id", .equal, person.description).orderBy("started_at", .descending).limit(50).all().map { row in
                    ContactLog(id: try row.decode(column: "id", as: String.self), person: person, staff: StaffID(try row.decode(column: "staff_id", as: String.self))!,
                               startedAt: Date(timeIntervalSince1970: try row.decode(column: "started_at", as: Double.self)),
                               durationSeconds: try row.decode(column: "duration_seconds", as: Int.self), reason: try row.decode(column: "reason", as: String.self),
                               service: try row.decode(column: "service_code", as: String?.self),
                               outcome: CallOutcome(rawValue: try row.decode(column: "outcome", as: String.self)) ?? .answered,
                               verified: try row.decode(column: "verified", as: Int.self) != 0,
                               transferMinistry: try row.decode(column: "transfer_ministry", as: String?.self).flatMap(MinistryID.init),
                               note: try row.decode(column: "note_enc", as: String?.self).map { try keys.open($0, context: "contacts.note") })
                }
        }
    }

    /// Callbacks still to make, soonest first (`person` narrows to one person's).
    public func callbacks(person: PersonID? = nil) async throws -> [Callback] {
        try await database.withSQL { sql in
            let query = sql.select().columns("id", "person_id", "contact_id", "phone_enc", "due_at", "status").from("callbacks")
            if let person { query.where("person_id", .equal, person.description) } else { query.where("status", .equal, "scheduled") }
            return try await query.orderBy("due_at").limit(200).all().map { row in
                Callback(id: try row.decode(column: "id", as: String.self), person: try row.decode(column: "person_id", as: String?.self).flatMap(PersonID.init),
                         contact: try row.decode(column: "contact_id", as: String.self),
                         phone: try keys.open(try row.decode(column: "phone_enc", as: String.self), context: "callbacks.phone"),
                         dueAt: Date(timeIntervalSince1970: try row.decode(column: "due_at", as: Double.self)), status: try row.decode(column: "status", as: String.self))
            }
        }
    }

    /// Marks a callback made. `false` when there is no such scheduled callback.
    public func completeCallback(_ id: String, actor: String, at time: Date) async throws -> Bool {
        try await database.transaction { sql in
            let done = try await sql.update("callbacks").set("status", to: "done").set("done_at", to: time.timeIntervalSince1970)
                .where("id", .equal, id).where("status", .equal, "scheduled").returning("person_id").all()
            guard let row = done.first else { return false }
            try await SQLAuditLog(database: database, keys: keys).append(AuditEntry(
                at: time, actor: actor, action: "contact.callback-made", target: try row.decode(column: "person_id", as: String?.self).map { "person:\($0)" } ?? "callback:\(id)",
                channel: .phone), on: sql)
            return true
        }
    }

    // MARK: Interpreters

    static func requestInterpreter(person: PersonID?, language: LanguageCode, source: String, sourceID: String, office: OfficeID?, neededAt: Date, at time: Date,
                                   on sql: any SQLDatabase) async throws {
        try await sql.insert(into: "interpreter_requests").columns("id", "person_id", "language", "source", "source_id", "office_id", "needed_at", "status", "created_at", "updated_at")
            .values(SQLBind(UUID().uuidString.lowercased()), SQLBind(person?.description), SQLBind(language.rawValue), SQLBind(source), SQLBind(sourceID),
                    SQLBind(office?.description), SQLBind(neededAt.timeIntervalSince1970), SQLBind(InterpreterStatus.requested.rawValue),
                    SQLBind(time.timeIntervalSince1970), SQLBind(time.timeIntervalSince1970)).run()
    }

    /// The person is being served with the interpreter there: the request is fulfilled.
    static func fulfilInterpreter(source: String, sourceID: String, present: Bool?, at time: Date, on sql: any SQLDatabase) async throws {
        guard present == true else { return }
        try await sql.update("interpreter_requests").set("status", to: InterpreterStatus.present.rawValue).set("updated_at", to: time.timeIntervalSince1970)
            .where("source", .equal, source).where("source_id", .equal, sourceID)
            .where("status", .in, [InterpreterStatus.requested.rawValue, InterpreterStatus.arranged.rawValue]).run()
    }

    /// Asks for an interpreter for a phone contact or any other source, outside another change.
    public func requestInterpreter(person: PersonID?, language: LanguageCode, source: String, sourceID: String, office: OfficeID?, neededAt: Date, actor: String, at time: Date) async throws {
        try await database.transaction { sql in
            try await Self.requestInterpreter(person: person, language: language, source: source, sourceID: sourceID, office: office, neededAt: neededAt, at: time, on: sql)
            try await SQLAuditLog(database: database, keys: keys).append(AuditEntry(at: time, actor: actor, action: "interpreter.requested",
                                                                                     target: person.map { "person:\($0)" } ?? "\(source):\(sourceID)", channel: .phone,
                                                                                     detail: language.rawValue), on: sql)
        }
    }

    public func interpreterRequests(office: OfficeID? = nil, person: PersonID? = nil, openOnly: Bool = false) async throws -> [InterpreterRequest] {
        try await database.withSQL { sql in
            let query = sql.select().columns("id", "person_id", "language", "source", "source_id", "office_id", "needed_at", "status").from("interpreter_requests")
            if let office { query.where("office_id", .equal, office.description) }
            if let person { query.where("person_id", .equal, person.description) }
            if openOnly { query.where("status", .in, [InterpreterStatus.requested.rawValue, InterpreterStatus.arranged.rawValue]) }
            return try await query.orderBy("needed_at").limit(200).all().map { row in
                InterpreterRequest(id: try row.decode(column: "id", as: String.self), person: try row.decode(column: "person_id", as: String?.self).flatMap(PersonID.init),
                                   language: LanguageCode(rawValue: try row.decode(column: "language", as: String.self)) ?? .base,
                                   source: try row.decode(column: "source", as: String.self), sourceID: try row.decode(column: "source_id", as: String.self),
                                   office: try row.decode(column: "office_id", as: String?.self).flatMap(OfficeID.init),
                                   neededAt: Date(timeIntervalSince1970: try row.decode(column: "needed_at", as: Double.self)),
                                   status: InterpreterStatus(rawValue: try row.decode(column: "status", as: String.self)) ?? .requested)
            }
        }
    }

    /// Moves an interpreter request on (arranged, present, missed, cancelled), only as `InterpreterStatus.next` allows.
    public func setInterpreterStatus(_ id: String, to status: InterpreterStatus, actor: String, at time: Date) async throws -> Bool {
        try await database.transaction { sql in
            guard let row = try await sql.select().columns("status", "person_id").from("interpreter_requests").where("id", .equal, id).first(),
                  let current = InterpreterStatus(rawValue: try row.decode(column: "status", as: String.self)) else { return false }
            guard current.next.contains(status) else {
                throw ValidationError(field: "status", code: "notAllowed", message: "An interpreter request that is \(current.rawValue) cannot become \(status.rawValue).")
            }
            try await sql.update("interpreter_requests").set("status", to: status.rawValue).set("updated_at", to: time.timeIntervalSince1970).where("id", .equal, id).run()
            try await SQLAuditLog(database: database, keys: keys).append(AuditEntry(
                at: time, actor: actor, action: "interpreter.\(status.rawValue)",
                target: try row.decode(column: "person_id", as: String?.self).map { "person:\($0)" } ?? "interpreter-request:\(id)", channel: .inPerson), on: sql)
            return true
        }
    }
}
