import AnyDoorCore
import Foundation
import SQLKit

/// What opening a request needs. The service is the latest published description, so the form and the
/// due date follow what people were shown.
public struct OpenRequest: Sendable {
    public var service: ServiceDescription
    public var personID: PersonID?
    public var clientID: APIClientID?
    public var bundleID: BundleID?
    public var language: LanguageCode
    public var channel: Channel
    public var party: RequestParty
    public var actor: String
    public var actingFor: String?
    public var answers: RequestAnswers
    public var description: String?
    public var location: RequestLocation?
    public var contact: RequestContact?
    /// Documents sent with the request, already checked (`AttachmentRules.check`).
    public var attachments: [CheckedAttachment] = []
    /// Submit at once (the usual case); `false` keeps a draft.
    public var submit: Bool
    public var token: String?
    /// The zone the processing-time standard counts calendar days in.
    public var timeZone: TimeZone

    public init(service: ServiceDescription, personID: PersonID?, clientID: APIClientID? = nil, bundleID: BundleID? = nil, language: LanguageCode,
                channel: Channel, party: RequestParty, actor: String, actingFor: String? = nil, answers: RequestAnswers, description: String? = nil,
                location: RequestLocation? = nil, contact: RequestContact? = nil, submit: Bool = true, token: String? = nil,
                timeZone: TimeZone = TimeZone(identifier: "America/Vancouver")!) {
        self.service = service
        self.personID = personID
        self.clientID = clientID
        self.bundleID = bundleID
        self.language = language
        self.channel = channel
        self.party = party
        self.actor = actor
        self.actingFor = actingFor
        self.answers = answers
        self.description = description
        self.location = location
        self.contact = contact
        self.submit = submit
        self.token = token
        self.timeZone = timeZone
    }

    /// Every problem with the input, field by field (nothing is stored when there is one).
    public func problems() -> [FieldError] {
        var problems = answers.problems(for: service.fields)
        if let description, description.count > RequestAnswers.textLimit {
            problems.append(FieldError(field: "description", code: "tooLong", message: "The description is longer than \(RequestAnswers.textLimit) characters."))
        }
        if let lat = location?.lat, !(-90...90).contains(lat) {
            problems.append(FieldError(field: "lat", code: "outOfRange", message: "lat must be between -90 and 90."))
        }
        if let long = location?.long, !(-180...180).contains(long) {
            problems.append(FieldError(field: "long", code: "outOfRange", message: "long must be between -180 and 180."))
        }
        return problems
    }
}

/// Why a request operation changed nothing.
public enum RequestError: Error, Sendable, Equatable, CustomStringConvertible {
    case notFound
    case invalid([FieldError])
    case refused(RequestWorkflow.Refusal)
    /// Someone else changed the request since it was read (`version` differs).
    case changedMeanwhile

    public var description: String {
        switch self {
        case .notFound: return "No such request."
        case .invalid(let errors): return errors.map(\.message).joined(separator: " ")
        case .refused(let refusal): return refusal.description
        case .changedMeanwhile: return "The request changed meanwhile; reload it and try again."
        }
    }
}

/// Who does something to a request, and through which door.
public struct RequestActor: Sendable, Equatable {
    public var party: RequestParty
    public var channel: Channel
    /// The audit name (`person:…`, `staff:…`, `client:…`).
    public var name: String
    /// `person:…` when acting for the person (an agent or a representative).
    public var actingFor: String?

    public init(party: RequestParty, channel: Channel, name: String, actingFor: String? = nil) {
        self.party = party
        self.channel = channel
        self.name = name
        self.actingFor = actingFor
    }
}

/// Service requests on SQLite or PostgreSQL. Every change writes the request, its timeline event, the
/// audit entry and the webhook outbox rows in one transaction (REFERENCE.md section 4: a transactional
/// outbox), so a change is never announced without being made, nor made without being announced.
public struct SQLRequests: Sendable {
    let database: Database
    let keys: KeyRing
    let audit: SQLAuditLog

    public init(database: Database, keys: KeyRing) {
        self.database = database
        self.keys = keys
        self.audit = SQLAuditLog(database: database, keys: keys)
    }

    static let columns = ["id", "reference", "service_code", "ministry_code", "person_id", "client_id", "bundle_id", "status", "language",
                          "opened_channel", "opened_by", "answers_enc", "description_enc", "location_enc", "contact_enc", "status_note_enc",
                          "assigned_to", "due_at", "token", "created_at", "updated_at", "version"]

    // MARK: Opening

    /// Opens a request (submitted unless `open.submit` is false). Throws `RequestError.invalid` with every
    /// field problem and stores nothing when the input breaks the service's form.
    public func open(_ open: OpenRequest, at time: Date) async throws -> ServiceRequest {
        let problems = open.problems()
        guard problems.isEmpty else { throw RequestError.invalid(problems) }
        if open.attachments.isEmpty, open.bundleID == nil {
            // Group commit: requests arriving together are written in one transaction, one statement per table.
            return try await GroupCommit<TimedOpen, ServiceRequest>.for(database, "request-open").submit(TimedOpen(open: open, time: time)) { batch in
                try await database.transaction { sql in try await createBatch(batch, on: sql) }
            }
        }
        return try await database.transaction { sql in try await create(open, at: time, on: sql) }
    }

    struct TimedOpen: Sendable {
        let open: OpenRequest
        let time: Date
    }

    /// Writes several new requests as `create` writes one, with one statement per table for the whole batch:
    /// the requests, their first events, their webhook events, their audit entries (notifications, which read
    /// each person's preferences, are written per request).
    func createBatch(_ batch: [TimedOpen], on sql: any SQLDatabase) async throws -> [ServiceRequest] {
        if batch.count == 1 { return [try await create(batch[0].open, at: batch[0].time, on: sql)] }
        var references = try await freshReferences(batch.count, on: sql)
        var requests: [ServiceRequest] = []
        var events: [(RequestID, RequestEvent)] = []
        var audits: [AuditEntry] = []
        for item in batch {
            let request = Self.newRequest(item.open, reference: references.removeFirst(), at: item.time)
            requests.append(request)
            events += Self.firstEvents(item.open, at: item.time).map { (request.id, $0) }
            audits.append(Self.openedEntry(item.open, request: request, at: item.time))
        }
        try await insert(requests, on: sql)
        try await appendEvents(events, on: sql)
        let submitted = requests.filter { $0.status == .submitted }
        try await WebhookOutbox.enqueue(type: "request.created", requests: submitted.map { ($0, 2) }, keys: keys, on: sql)
        for request in submitted where request.personID != nil {
            try await SQLNotifications.enqueue("submitted", request: request, personalisation: Self.personalisation(request), keys: keys, at: request.createdAt, on: sql)
        }
        try await audit.append(audits, on: sql)
        return requests
    }

    /// `count` reference numbers no request has (nor each other).
    func freshReferences(_ count: Int, on sql: any SQLDatabase) async throws -> [ReferenceNumber] {
        var references = (0..<count).map { _ in ReferenceNumber.random() }
        while true {
            let taken = Set(try await sql.select().column("reference").from("service_requests").where("reference", .in, references.map(\.description)).all()
                .map { try $0.decode(column: "reference", as: String.self) })
            var seen = Set<String>()
            var clean = true
            for index in references.indices {
                let text = references[index].description
                if taken.contains(text) || !seen.insert(text).inserted {
                    references[index] = ReferenceNumber.random()
                    clean = false
                }
            }
            if clean { return references }
        }
    }

    /// Opens linked requests at several ministries from one submission (a life-event bundle), all or nothing.
    /// Problems are named `<service code>/answers.<field>`.
    public func openBundle(lifeEvent: String, person: PersonID, _ opens: [OpenRequest], at time: Date) async throws -> [ServiceRequest] {
        guard !opens.isEmpty else { throw RequestError.invalid([FieldError(field: "bundle", code: "required", message: "Choose at least one service.")]) }
        let problems = opens.flatMap { open in open.problems().map { FieldError(field: "\(open.service.code)/\($0.field)", code: $0.code, message: $0.message) } }
        guard problems.isEmpty else { throw RequestError.invalid(problems) }
        let bundle = BundleID(rawValue: UUID())
        return try await database.transaction { sql in
            try await sql.insert(into: "request_bundles").columns("id", "life_event", "person_id", "created_at")
                .values(SQLBind(bundle.description), SQLBind(lifeEvent), SQLBind(person.description), SQLBind(time.timeIntervalSince1970)).run()
            var created: [ServiceRequest] = []
            for var open in opens {
                open.bundleID = bundle
                created.append(try await create(open, at: time, on: sql))
            }
            return created
        }
    }

    /// The requests opened together with `request` (its bundle), itself excluded.
    public func bundled(with request: ServiceRequest) async throws -> [ServiceRequest] {
        guard let bundle = request.bundleID else { return [] }
        return try await database.withSQL { sql in
            try await sql.select().columns(Self.columns).from("service_requests").where("bundle_id", .equal, bundle.description)
                .where("id", .notEqual, request.id.description).orderBy("created_at").all().map(decode)
        }
    }

    func create(_ open: OpenRequest, at time: Date, on sql: any SQLDatabase) async throws -> ServiceRequest {
        let request = Self.newRequest(open, reference: try await freshReferences(1, on: sql)[0], at: time)
        try await insert(request, on: sql)
        try await appendEvents(Self.firstEvents(open, at: time).map { (request.id, $0) }, on: sql)
        if open.submit {
            try await WebhookOutbox.enqueue(type: "request.created", request: request, seq: 2, note: nil, keys: keys, at: time, on: sql)
            try await SQLNotifications.enqueue("submitted", request: request, personalisation: Self.personalisation(request), keys: keys, at: time, on: sql)
        }
        if !open.attachments.isEmpty {
            let actor = RequestActor(party: open.party, channel: open.channel, name: open.actor, actingFor: open.actingFor)
            try await storeAttachments(open.attachments, to: request, seq: open.submit ? 3 : 2, by: actor, at: time, on: sql)
        }
        try await audit.append(Self.openedEntry(open, request: request, at: time), on: sql)
        return request
    }

    /// The request `open` describes, submitted unless it is a draft, due by the service's processing-time standard.
    static func newRequest(_ open: OpenRequest, reference: ReferenceNumber, at time: Date) -> ServiceRequest {
        let due = open.submit ? open.service.processingTime.flatMap(ISODuration.init).map { $0.added(to: time, in: open.timeZone) } : nil
        return ServiceRequest(
            id: RequestID(rawValue: UUID()), reference: reference, serviceCode: open.service.code, ministryCode: open.service.ministry,
            personID: open.personID, clientID: open.clientID, bundleID: open.bundleID, status: open.submit ? .submitted : .draft,
            language: open.language, openedChannel: open.channel, openedBy: open.actor, answers: open.answers,
            description: open.description.flatMap { $0.isEmpty ? nil : $0 }, location: open.location.flatMap { $0.isEmpty ? nil : $0 },
            contact: open.contact.flatMap { $0.isEmpty ? nil : $0 }, dueAt: due, token: open.token, createdAt: time, updatedAt: time, version: 1)
    }

    /// A new request's first timeline events: opened, then submitted unless it is a draft.
    static func firstEvents(_ open: OpenRequest, at time: Date) -> [RequestEvent] {
        var events = [RequestEvent(seq: 1, at: time, kind: .opened, to: .draft, channel: open.channel, party: open.party, actor: open.actor, actingFor: open.actingFor)]
        if open.submit {
            events.append(RequestEvent(seq: 2, at: time, kind: .transition, transition: .submit, from: .draft, to: .submitted,
                                       channel: open.channel, party: open.party, actor: open.actor, actingFor: open.actingFor))
        }
        return events
    }

    static func openedEntry(_ open: OpenRequest, request: ServiceRequest, at time: Date) -> AuditEntry {
        AuditEntry(at: time, actor: open.actor, actingFor: open.actingFor, action: open.submit ? "request.submitted" : "request.drafted",
                   target: "request:\(request.id)", channel: open.channel, detail: "service:\(open.service.code)" + (open.bundleID.map { " bundle:\($0)" } ?? ""))
    }

    /// What a notification about `request` may say: no personal data beyond the reference.
    static func personalisation(_ request: ServiceRequest) -> [String: String] {
        ["reference": request.reference.description, "service_code": request.serviceCode, "status": request.status.rawValue]
    }

    func insert(_ request: ServiceRequest, on sql: any SQLDatabase) async throws {
        try await insert([request], on: sql)
    }

    /// Inserts requests in one statement.
    func insert(_ requests: [ServiceRequest], on sql: any SQLDatabase) async throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        func seal<T: Encodable>(_ value: T?, _ context: String) throws -> String? {
            guard let value else { return nil }
            return try keys.seal(String(decoding: try encoder.encode(value), as: UTF8.self), context: context)
        }
        let insert = sql.insert(into: "service_requests").columns(Self.columns)
        for request in requests {
            insert.values(
            SQLBind(request.id.description), SQLBind(request.reference.description), SQLBind(request.serviceCode), SQLBind(request.ministryCode),
            SQLBind(request.personID?.description), SQLBind(request.clientID?.description), SQLBind(request.bundleID?.description),
            SQLBind(request.status.rawValue), SQLBind(request.language.rawValue), SQLBind(request.openedChannel.rawValue), SQLBind(request.openedBy),
            SQLBind(try seal(request.answers, "requests.answers")!), SQLBind(try request.description.map { try keys.seal($0, context: "requests.description") }),
            SQLBind(try seal(request.location, "requests.location")), SQLBind(try seal(request.contact, "requests.contact")),
            SQLBind(try request.statusNote.map { try keys.seal($0, context: "requests.note") }), SQLBind(request.assignedTo?.description),
            SQLBind(request.dueAt?.timeIntervalSince1970), SQLBind(request.token), SQLBind(request.createdAt.timeIntervalSince1970),
            SQLBind(request.updatedAt.timeIntervalSince1970), SQLBind(request.version))
        }
        try await insert.run()
    }

    func appendEvent(_ event: RequestEvent, to id: RequestID, on sql: any SQLDatabase) async throws {
        try await appendEvents([(id, event)], on: sql)
    }

    /// Appends timeline events, of one request or several, in one statement.
    func appendEvents(_ events: [(RequestID, RequestEvent)], on sql: any SQLDatabase) async throws {
        guard !events.isEmpty else { return }
        let insert = sql.insert(into: "request_events")
            .columns("request_id", "seq", "at", "kind", "transition", "from_status", "to_status", "channel", "party", "actor", "acting_for", "note_enc")
        for (id, event) in events {
            insert.values(SQLBind(id.description), SQLBind(event.seq), SQLBind(event.at.timeIntervalSince1970), SQLBind(event.kind.rawValue),
                          SQLBind(event.transition?.rawValue), SQLBind(event.from?.rawValue), SQLBind(event.to?.rawValue), SQLBind(event.channel.rawValue),
                          SQLBind(event.party.rawValue), SQLBind(event.actor), SQLBind(event.actingFor),
                          SQLBind(try event.note.map { try keys.seal($0, context: "requests.event") }))
        }
        try await insert.run()
    }

    // MARK: Changing

    /// Takes one workflow step. `expectedVersion`, when given, must match (optimistic concurrency for pages).
    @discardableResult
    public func transition(_ id: RequestID, _ step: RequestTransition, by actor: RequestActor, note: String?, expectedVersion: Int? = nil, at time: Date) async throws -> ServiceRequest {
        let note = note?.trimmingCharacters(in: .whitespacesAndNewlines)
        if let note, note.count > RequestAnswers.textLimit {
            throw RequestError.invalid([FieldError(field: "note", code: "tooLong", message: "At most \(RequestAnswers.textLimit) characters.")])
        }
        return try await database.transaction { sql in
            var request = try await lockedRequest(id, on: sql)
            if let expectedVersion, expectedVersion != request.version { throw RequestError.changedMeanwhile }
            let target: RequestStatus
            do { target = try RequestWorkflow.apply(step, to: request.status, by: actor.party, note: note) } catch let refusal as RequestWorkflow.Refusal { throw RequestError.refused(refusal) }
            return try await apply(step, target: target, to: &request, by: actor, note: note.flatMap { $0.isEmpty ? nil : $0 }, at: time, on: sql)
        }
    }

    func apply(_ step: RequestTransition, target: RequestStatus, to request: inout ServiceRequest, by actor: RequestActor, note: String?, at time: Date,
               on sql: any SQLDatabase) async throws -> ServiceRequest {
        let from = request.status
        let seq = try await nextSeq(request.id, on: sql)
        request.status = target
        if step.needsNote { request.statusNote = note }
        request.updatedAt = time
        request.version += 1
        try await sql.update("service_requests").set("status", to: target.rawValue)
            .set("status_note_enc", to: try request.statusNote.map { try keys.seal($0, context: "requests.note") })
            .set("updated_at", to: time.timeIntervalSince1970).set("version", to: request.version)
            .where("id", .equal, request.id.description).run()
        try await appendEvent(RequestEvent(seq: seq, at: time, kind: .transition, transition: step, from: from, to: target, channel: actor.channel,
                                           party: actor.party, actor: actor.name, actingFor: actor.actingFor, note: note), to: request.id, on: sql)
        try await WebhookOutbox.enqueue(type: "request.status-changed", request: request, seq: seq, note: note, keys: keys, at: time, on: sql)
        // The person hears of what others did to their request (not of their own steps).
        if actor.party != .requester {
            try await SQLNotifications.enqueue(step == .requestInformation ? "information-requested" : "status-changed", request: request,
                                               personalisation: Self.personalisation(request), keys: keys, at: time, on: sql)
        }
        try await audit.append(AuditEntry(at: time, actor: actor.name, actingFor: actor.actingFor, action: "request.\(step.rawValue)",
                                          target: "request:\(request.id)", channel: actor.channel, detail: "\(from.rawValue)->\(target.rawValue)"), on: sql)
        return request
    }

    /// Adds a message to the request's conversation. A message from the person's side while the request waits
    /// for them also answers: the request goes back to the ministry (`respond`).
    @discardableResult
    public func addMessage(_ id: RequestID, body: String, by actor: RequestActor, at time: Date) async throws -> ServiceRequest {
        let body = body.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !body.isEmpty, body.count <= RequestAnswers.textLimit else {
            throw RequestError.invalid([FieldError(field: "body", code: body.isEmpty ? "required" : "tooLong",
                                                   message: body.isEmpty ? "Write a message." : "At most \(RequestAnswers.textLimit) characters.")])
        }
        return try await database.transaction { sql in
            var request = try await lockedRequest(id, on: sql)
            guard !request.status.isFinal, request.status != .draft else { throw RequestError.refused(.notFrom(request.status, .respond)) }
            let seq = try await nextSeq(id, on: sql)
            request.updatedAt = time
            request.version += 1
            try await sql.update("service_requests").set("updated_at", to: time.timeIntervalSince1970).set("version", to: request.version)
                .where("id", .equal, id.description).run()
            try await appendEvent(RequestEvent(seq: seq, at: time, kind: .message, channel: actor.channel, party: actor.party, actor: actor.name,
                                               actingFor: actor.actingFor, note: body), to: id, on: sql)
            try await WebhookOutbox.enqueue(type: "request.message-added", request: request, seq: seq, note: body, keys: keys, at: time, on: sql)
            if actor.party == .ministry {
                try await SQLNotifications.enqueue("message-added", request: request, personalisation: Self.personalisation(request), keys: keys, at: time, on: sql)
            }
            try await audit.append(AuditEntry(at: time, actor: actor.name, actingFor: actor.actingFor, action: "request.message-added",
                                              target: "request:\(id)", channel: actor.channel), on: sql)
            if request.status == .waitingForPerson, actor.party != .ministry {
                request = try await apply(.respond, target: .inProgress, to: &request, by: actor, note: nil, at: time, on: sql)
            }
            return request
        }
    }

    /// Records a contact that changes nothing else (a call about the request, a counter visit), so every
    /// door the person used shows on the timeline.
    public func recordContact(_ id: RequestID, note: String?, by actor: RequestActor, at time: Date) async throws {
        try await database.transaction { sql in
            _ = try await lockedRequest(id, on: sql)
            let seq = try await nextSeq(id, on: sql)
            try await appendEvent(RequestEvent(seq: seq, at: time, kind: .contact, channel: actor.channel, party: actor.party, actor: actor.name,
                                               actingFor: actor.actingFor, note: note?.isEmpty == true ? nil : note), to: id, on: sql)
            try await sql.update("service_requests").set("updated_at", to: time.timeIntervalSince1970).where("id", .equal, id.description).run()
            try await audit.append(AuditEntry(at: time, actor: actor.name, actingFor: actor.actingFor, action: "request.contact", target: "request:\(id)", channel: actor.channel), on: sql)
        }
    }

    /// Assigns the request to a caseworker (or unassigns with `nil`).
    public func assign(_ id: RequestID, to staff: StaffID?, by actor: RequestActor, at time: Date) async throws {
        try await database.transaction { sql in
            var request = try await lockedRequest(id, on: sql)
            let seq = try await nextSeq(id, on: sql)
            request.version += 1
            try await sql.update("service_requests").set("assigned_to", to: staff?.description).set("version", to: request.version)
                .where("id", .equal, id.description).run()
            try await appendEvent(RequestEvent(seq: seq, at: time, kind: .assigned, channel: actor.channel, party: actor.party, actor: actor.name,
                                               note: staff.map { "staff:\($0)" }), to: id, on: sql)
            try await audit.append(AuditEntry(at: time, actor: actor.name, action: "request.assigned", target: "request:\(id)", channel: actor.channel,
                                              detail: staff.map { "staff:\($0)" }), on: sql)
        }
    }

    func nextSeq(_ id: RequestID, on sql: any SQLDatabase) async throws -> Int {
        let row = try await sql.raw("SELECT COALESCE(MAX(seq), 0) AS seq FROM request_events WHERE request_id = \(bind: id.description)").first()
        return (try row?.decode(column: "seq", as: Int.self) ?? 0) + 1
    }

    /// The request, locked for this transaction on PostgreSQL (SQLite's writer lock already serialises).
    func lockedRequest(_ id: RequestID, on sql: any SQLDatabase) async throws -> ServiceRequest {
        let query: SQLQueryString = "SELECT \(unsafeRaw: Self.columns.joined(separator: ", ")) FROM service_requests WHERE id = \(bind: id.description)"
            + (database.flavour == .postgres ? " FOR UPDATE" : "")
        guard let row = try await sql.raw(query).first() else { throw RequestError.notFound }
        return try decode(row)
    }

    // MARK: Reading

    public func find(_ id: RequestID) async throws -> ServiceRequest? {
        try await database.withSQL { sql in
            try await sql.select().columns(Self.columns).from("service_requests").where("id", .equal, id.description).first().map(decode)
        }
    }

    public func find(reference: ReferenceNumber) async throws -> ServiceRequest? {
        try await database.withSQL { sql in
            try await sql.select().columns(Self.columns).from("service_requests").where("reference", .equal, reference.description).first().map(decode)
        }
    }

    public func find(token: String) async throws -> ServiceRequest? {
        try await database.withSQL { sql in
            try await sql.select().columns(Self.columns).from("service_requests").where("token", .equal, token).first().map(decode)
        }
    }

    public func timeline(_ id: RequestID) async throws -> [RequestEvent] {
        try await database.withSQL { sql in
            try await sql.select().columns("seq", "at", "kind", "transition", "from_status", "to_status", "channel", "party", "actor", "acting_for", "note_enc")
                .from("request_events").where("request_id", .equal, id.description).orderBy("seq").all().map { row in
                    RequestEvent(
                        seq: try row.decode(column: "seq", as: Int.self),
                        at: Date(timeIntervalSince1970: try row.decode(column: "at", as: Double.self)),
                        kind: RequestEvent.Kind(rawValue: try row.decode(column: "kind", as: String.self)) ?? .contact,
                        transition: try row.decode(column: "transition", as: String?.self).flatMap(RequestTransition.init(rawValue:)),
                        from: try row.decode(column: "from_status", as: String?.self).flatMap(RequestStatus.init(rawValue:)),
                        to: try row.decode(column: "to_status", as: String?.self).flatMap(RequestStatus.init(rawValue:)),
                        channel: Channel(rawValue: try row.decode(column: "channel", as: String.self)) ?? .system,
                        party: RequestParty(rawValue: try row.decode(column: "party", as: String.self)) ?? .ministry,
                        actor: try row.decode(column: "actor", as: String.self),
                        actingFor: try row.decode(column: "acting_for", as: String?.self),
                        note: try row.decode(column: "note_enc", as: String?.self).map { try keys.open($0, context: "requests.event") })
                }
        }
    }

    /// A person's requests, newest first.
    public func list(person: PersonID, limit: Int = 200) async throws -> [ServiceRequest] {
        try await database.withSQL { sql in
            try await sql.select().columns(Self.columns).from("service_requests").where("person_id", .equal, person.description)
                .orderBy("created_at", .descending).limit(limit).all().map(decode)
        }
    }

    /// What a worklist or an Open311 listing filters by. Empty means no filter.
    public struct Filter: Sendable {
        public var ids: [RequestID] = []
        public var ministries: [String]? = nil
        public var services: [String] = []
        public var statuses: [RequestStatus] = []
        public var createdFrom: Date?
        public var createdBefore: Date?
        public var assignedTo: StaffID?
        public var limit = 1000
        public var oldestFirst = false
        public init() {}
    }

    public func list(_ filter: Filter) async throws -> [ServiceRequest] {
        try await database.withSQL { sql in
            let query = sql.select().columns(Self.columns).from("service_requests")
            if !filter.ids.isEmpty { query.where("id", .in, filter.ids.map(\.description)) }
            if let ministries = filter.ministries { query.where("ministry_code", .in, ministries.isEmpty ? [""] : ministries) }
            if !filter.services.isEmpty { query.where("service_code", .in, filter.services) }
            if !filter.statuses.isEmpty { query.where("status", .in, filter.statuses.map(\.rawValue)) }
            if let from = filter.createdFrom { query.where("created_at", .greaterThanOrEqual, from.timeIntervalSince1970) }
            if let before = filter.createdBefore { query.where("created_at", .lessThan, before.timeIntervalSince1970) }
            if let staff = filter.assignedTo { query.where("assigned_to", .equal, staff.description) }
            return try await query.orderBy("created_at", filter.oldestFirst ? .ascending : .descending).orderBy("id").limit(filter.limit).all().map(decode)
        }
    }

    func decode(_ row: any SQLRow) throws -> ServiceRequest {
        let decoder = JSONDecoder()
        func open<T: Decodable>(_ column: String, _ context: String, as: T.Type) throws -> T? {
            guard let sealed = try row.decode(column: column, as: String?.self) else { return nil }
            return try decoder.decode(T.self, from: Data(try keys.open(sealed, context: context).utf8))
        }
        guard let reference = ReferenceNumber(try row.decode(column: "reference", as: String.self)),
              let id = RequestID(try row.decode(column: "id", as: String.self)) else { throw RequestError.notFound }
        return ServiceRequest(
            id: id, reference: reference,
            serviceCode: try row.decode(column: "service_code", as: String.self),
            ministryCode: try row.decode(column: "ministry_code", as: String.self),
            personID: try row.decode(column: "person_id", as: String?.self).flatMap(PersonID.init),
            clientID: try row.decode(column: "client_id", as: String?.self).flatMap(APIClientID.init),
            bundleID: try row.decode(column: "bundle_id", as: String?.self).flatMap(BundleID.init),
            status: RequestStatus(rawValue: try row.decode(column: "status", as: String.self)) ?? .submitted,
            language: LanguageCode(rawValue: try row.decode(column: "language", as: String.self)) ?? .english,
            openedChannel: Channel(rawValue: try row.decode(column: "opened_channel", as: String.self)) ?? .online,
            openedBy: try row.decode(column: "opened_by", as: String.self),
            answers: try open("answers_enc", "requests.answers", as: RequestAnswers.self) ?? RequestAnswers(),
            description: try row.decode(column: "description_enc", as: String?.self).map { try keys.open($0, context: "requests.description") },
            location: try open("location_enc", "requests.location", as: RequestLocation.self),
            contact: try open("contact_enc", "requests.contact", as: RequestContact.self),
            statusNote: try row.decode(column: "status_note_enc", as: String?.self).map { try keys.open($0, context: "requests.note") },
            assignedTo: try row.decode(column: "assigned_to", as: String?.self).flatMap(StaffID.init),
            dueAt: try row.decode(column: "due_at", as: Double?.self).map(Date.init(timeIntervalSince1970:)),
            token: try row.decode(column: "token", as: String?.self),
            createdAt: Date(timeIntervalSince1970: try row.decode(column: "created_at", as: Double.self)),
            updatedAt: Date(timeIntervalSince1970: try row.decode(column: "updated_at", as: Double.self)),
            version: try row.decode(column: "version", as: Int.self))
    }
}
