import AnyDoorCore
import AnyDoorStore
import Foundation
import Hummingbird

/// `/offices/{office}/check-in`: the kiosk, or the person's own phone from the QR code in the waiting room.
struct CheckInPage: PageModel {
    static let template = "check-in"
    let titleKey = "checkIn.title"
    let csrfToken: String
    let office: String
    let code: String
    let kiosk: Bool
    let services: [SelectOption]
    let languages: [SelectOption]
    let priorities: [SelectOption]
    let interpreter: Bool
    let accessibility: FormField
    let phone: FormField
    let appointmentCode: FormField
    let serviceError: String?
    let closedNotice: String?
    let errors: ErrorSummary
}

/// `/queue/{token}`: the person's place in the queue, kept up to date.
struct TicketPage: PageModel {
    static let template = "ticket"
    let titleKey = "ticket.title"
    let csrfToken: String
    let token: String
    let label: String
    let spoken: String
    let office: String
    let officeCode: String
    let status: String
    let isWaiting: Bool
    let position: String?
    let estimate: String?
    let counter: String?
    let canLeave: Bool
}

/// `/staff/offices/{office}/queue`: the agent's console.
struct QueuePage: PageModel {
    static let template = "queue"
    let titleKey = "queue.title"
    let csrfToken: String
    let office: String
    let code: String
    let counters: [SelectOption]
    let seatedAt: String?
    let current: Current?
    let waiting: [Row]
    let held: [Row]
    let hasHeld: Bool
    let hasWaiting: Bool
    let appointments: [AppointmentRow]
    let services: [SelectOption]
    let languages: [SelectOption]
    let priorities: [SelectOption]
    let notice: String?
    let errors: ErrorSummary

    struct Current: Sendable {
        let id: String
        let label: String
        let service: ShownText
        let language: String
        let interpreter: Bool
        let accessibility: String?
        let priority: String?
        let status: String
        let isCalled: Bool
        let isServing: Bool
        let person: String?
        let transferServices: [SelectOption]
    }

    struct Row: Sendable {
        let id: String
        let label: String
        let service: ShownText
        let language: String
        let interpreter: Bool
        let priority: String?
        let appointment: Bool
        let waited: String
        let estimate: String
        let position: String
    }

    struct AppointmentRow: Sendable {
        let id: String
        let time: String
        let service: ShownText
        let status: String
        let canCheckIn: Bool
    }
}

/// The queue (issue 7 items 2 to 5): check-in, the person's ticket page, the agent's console, the call display.
struct QueueController: Sendable {
    let stores: CounterStores

    func addRoutes(to router: Router<AppRequestContext>) {
        router.get("/offices/{office}/check-in") { request, context in
            let office = try await stores.office(context)
            return try await renderCheckIn(context, office: office, kiosk: request.uri.queryParameters["kiosk"] == "1", form: nil, errors: [])
        }
        router.post("/offices/{office}/check-in") { request, context in
            let office = try await stores.office(context)
            let form = try await FormBody.read(request)
            let kiosk = form["kiosk"] == "1"
            let closures = try await stores.offices.closures(of: office.office.id)
            do {
                let ticket: Ticket
                if !form["appointment"].isEmpty {
                    ticket = try await checkInAppointment(code: form["appointment"], office: office, closures: closures, actor: context.actor.auditName, channel: kiosk ? .inPerson : .online)
                } else {
                    ticket = try await stores.queue.checkIn(try checkIn(form, office: office, person: context.actor.personID, channel: kiosk ? .inPerson : .online),
                                                            office: office, closures: closures, actor: context.actor.auditName, at: stores.now)
                }
                return Response.redirect(to: "/queue/\(ticket.token)", type: .normal)
            } catch let error as QueueError {
                return try await renderCheckIn(context, office: office, kiosk: kiosk, form: form, errors: Self.fieldErrors(error), status: Self.status(error))
            } catch let error as AppointmentError {
                return try await renderCheckIn(context, office: office, kiosk: kiosk, form: form, errors: [Self.appointmentError(error)], status: .unprocessableContent)
            }
        }
        router.get("/queue/{token}") { _, context in
            try await renderTicket(context, token: try context.parameters.require("token"))
        }
        router.get("/queue/{token}/status") { _, context in
            // For the page's script: the same facts as the page, no personal information.
            let token = try context.parameters.require("token")
            guard let ticket = try await stores.queue.ticket(token: token), let office = try await stores.offices.find(ticket.office.description) else { throw HTTPError(.notFound) }
            let t = stores.pages.translator(for: context)
            let facts = try await place(ticket, office: office, t: t)
            return try APIResponse.json(["status": t("ticketStatus.\(ticket.status.rawValue)"), "position": facts.position ?? "", "estimate": facts.estimate ?? "",
                                         "counter": ticket.counter.map { t.format("ticket.goToCounter", ["counter": String($0)]) } ?? ""])
        }
        router.post("/queue/{token}/leave") { _, context in
            let token = try context.parameters.require("token")
            do { _ = try await stores.queue.leave(token: token, at: stores.now) } catch QueueError.notFound { throw HTTPError(.notFound) } catch is QueueError {}
            return Response.redirect(to: "/queue/\(token)", type: .normal)
        }

        // Staff.
        router.get("/staff/offices/{office}/queue") { request, context in
            let office = try await stores.office(context)
            try context.require(.workCounter(office.office.id))
            let t = stores.pages.translator(for: context)
            var notice: String?
            if let called = request.uri.queryParameters["called"] {
                if called == "none" { notice = t("queue.nobodyForYou") } else if let id = TicketID(String(called)), let ticket = try await stores.queue.ticket(id), ticket.office == office.office.id {
                    notice = t.format("queue.calledNotice", ["ticket": ticket.label])
                }
            }
            return try await renderQueue(context, office: office, notice: notice, errors: [])
        }
        router.post("/staff/offices/{office}/sit") { request, context in
            let (office, staff) = try await staffAt(context)
            let form = try await FormBody.read(request)
            do {
                if form["counter"].isEmpty { try await stores.queue.leaveCounter(staff, office: office.office.id) } else {
                    try await stores.queue.sit(staff, at: Int(form["counter"]) ?? 0, office: office, at: stores.now)
                }
                return Response.redirect(to: "/staff/offices/\(office.office.code)/queue", type: .normal)
            } catch let error as QueueError {
                return try await renderQueue(context, office: office, notice: nil, errors: Self.fieldErrors(error), status: Self.status(error))
            }
        }
        router.post("/staff/offices/{office}/call-next") { _, context in
            let (office, staff) = try await staffAt(context)
            do {
                let called = try await stores.queue.callNext(office: office, staff: staff, actor: context.actor.auditName, at: stores.now)
                // Post, redirect, get: a reload never calls someone else. The ticket's id is not personal.
                return Response.redirect(to: "/staff/offices/\(office.office.code)/queue?called=\(called?.id.description ?? "none")", type: .normal)
            } catch let error as QueueError {
                return try await renderQueue(context, office: office, notice: nil, errors: Self.fieldErrors(error), status: Self.status(error))
            }
        }
        router.post("/staff/offices/{office}/tickets/{ticket}/{step}") { request, context in
            let (office, staff) = try await staffAt(context)
            guard let id = context.parameters.get("ticket").flatMap(TicketID.init) else { throw HTTPError(.notFound) }
            let step = try context.parameters.require("step")
            let form = try await FormBody.read(request)
            do {
                if step == "call" {
                    _ = try await stores.queue.call(id, office: office, staff: staff, actor: context.actor.auditName, at: stores.now)
                } else {
                    guard let transition = QueueTransition(rawValue: step), transition != .call, transition != .leave else { throw HTTPError(.notFound) }
                    _ = try await stores.queue.apply(transition, to: id, office: office, staff: staff, actor: context.actor.auditName,
                                                     transferService: form["service"].isEmpty ? nil : form["service"],
                                                     transferCounter: form["counter"].isEmpty ? nil : Int(form["counter"]) ?? -1, at: stores.now)
                }
                return Response.redirect(to: "/staff/offices/\(office.office.code)/queue", type: .normal)
            } catch let error as QueueError {
                return try await renderQueue(context, office: office, notice: nil, errors: Self.fieldErrors(error), status: Self.status(error))
            }
        }
        router.post("/staff/offices/{office}/check-in") { request, context in
            let office = try await stores.office(context)
            try context.require(.workCounter(office.office.id))
            let form = try await FormBody.read(request)
            let t = stores.pages.translator(for: context)
            let closures = try await stores.offices.closures(of: office.office.id)
            do {
                let ticket: Ticket
                if let appointment = AppointmentID(form["appointment"]) {
                    ticket = try await stores.appointments.checkIn(appointment, office: office, closures: closures, queue: stores.queue, actor: context.actor.auditName,
                                                                   channel: .inPerson, now: stores.now)
                } else {
                    ticket = try await stores.queue.checkIn(try checkIn(form, office: office, person: nil, channel: .inPerson), office: office, closures: closures,
                                                            actor: context.actor.auditName, at: stores.now)
                }
                return try await renderQueue(context, office: office, notice: t.format("queue.checkedInNotice", ["ticket": ticket.label]), errors: [])
            } catch let error as QueueError {
                return try await renderQueue(context, office: office, notice: nil, errors: Self.fieldErrors(error), status: Self.status(error))
            } catch let error as AppointmentError {
                return try await renderQueue(context, office: office, notice: nil, errors: [Self.appointmentError(error)], status: .unprocessableContent)
            }
        }
    }

    func staffAt(_ context: AppRequestContext) async throws -> (OfficeRecord, StaffID) {
        let office = try await stores.office(context)
        try context.require(.workCounter(office.office.id))
        guard let staff = context.actor.staffID else { throw AccessDenied(decision: .deny, action: .workCounter(office.office.id)) }
        return (office, staff)
    }

    func checkIn(_ form: FormBody, office: OfficeRecord, person: PersonID?, channel: Channel) throws -> CheckIn {
        if form["service"].isEmpty { throw QueueError.invalid([FieldError(field: "service", code: "required", message: "Choose a service.")]) }
        guard let language = LanguageCode(rawValue: form["language"].isEmpty ? "en" : form["language"]) else {
            throw QueueError.invalid([FieldError(field: "language", code: "notAChoice", message: "Choose a language from the list.")])
        }
        let priority = form["priority"].isEmpty ? nil : PriorityReason(rawValue: form["priority"])
        if !form["priority"].isEmpty, priority == nil { throw QueueError.invalid([FieldError(field: "priority", code: "notAChoice", message: "Choose a reason from the list.")]) }
        return CheckIn(office: office.office.id, service: form["service"], language: language, interpreterNeeded: form["interpreter"] == "1",
                       accessibility: form["accessibility"], priority: priority, person: person, phone: form["phone"], channel: channel)
    }

    /// A kiosk check-in with the appointment's confirmation code (the first eight symbols of its id), today at this office.
    func checkInAppointment(code: String, office: OfficeRecord, closures: [OfficeClosure], actor: String, channel: Channel) async throws -> Ticket {
        let typed = code.lowercased().filter { $0.isHexDigit }
        let now = stores.now
        let day = LocalDate(now, in: office.office.timeZone)
        let todays = try await stores.appointments.appointments(at: office.office.id, from: day.at(minutes: 0, in: office.office.timeZone),
                                                                to: day.adding(days: 1).at(minutes: 0, in: office.office.timeZone))
        guard typed.count == 8, let appointment = todays.first(where: { $0.id.description.hasPrefix(typed) && $0.status == .booked }) else {
            throw AppointmentError.invalid([FieldError(field: "appointment", code: "notFound", message: "No appointment today at this office has this code.")])
        }
        return try await stores.appointments.checkIn(appointment.id, office: office, closures: closures, queue: stores.queue, actor: actor, channel: channel, now: now)
    }

    static func fieldErrors(_ error: QueueError) -> [FieldError] {
        switch error {
        case .invalid(let errors): return errors
        case .officeClosed: return [FieldError(field: "service", code: "officeClosed", message: "The office is closed now.")]
        case .notFound: return [FieldError(field: "ticket", code: "notFound", message: "No such ticket here.")]
        case .notAllowed(let refusal): return [FieldError(field: "ticket", code: "queue.\(refusal.transition).\(refusal.from.rawValue)", message: "Not possible now.")]
        case .notSeated: return [FieldError(field: "counter", code: "notSeated", message: "Choose your counter first.")]
        case .counterTaken: return [FieldError(field: "counter", code: "counterTaken", message: "Someone else is at that counter.")]
        case .busy: return [FieldError(field: "ticket", code: "busy", message: "Finish or hold the person at your counter first.")]
        case .notYours: return [FieldError(field: "ticket", code: "notYours", message: "That person is at another counter.")]
        }
    }

    static func status(_ error: QueueError) -> HTTPResponse.Status {
        switch error {
        case .notFound: return .notFound
        case .notAllowed, .busy, .counterTaken, .notYours: return .conflict
        case .invalid, .officeClosed, .notSeated: return .unprocessableContent
        }
    }

    static func appointmentError(_ error: AppointmentError) -> FieldError {
        switch error {
        case .invalid(let errors): return errors.first ?? FieldError(field: "appointment", code: "notFound", message: "No such appointment.")
        case .checkInWindow: return FieldError(field: "appointment", code: "checkInWindow", message: "Check-in opens an hour before the appointment and closes 15 minutes after it.")
        case .notFound: return FieldError(field: "appointment", code: "notFound", message: "No appointment today at this office has this code.")
        case .refused(let problem): return FieldError(field: "appointment", code: problem.rawValue, message: "The appointment cannot be checked in.")
        }
    }

    func renderCheckIn(_ context: AppRequestContext, office: OfficeRecord, kiosk: Bool, form: FormBody?, errors: [FieldError], status: HTTPResponse.Status = .ok) async throws -> Response {
        let t = stores.pages.translator(for: context)
        let messages = FieldMessages(translate: t, errors: errors)
        let closures = try await stores.offices.closures(of: office.office.id)
        let page = CheckInPage(
            csrfToken: context.csrfToken, office: office.office.name(t), code: office.office.code, kiosk: kiosk,
            services: [SelectOption(value: "", label: t("checkIn.chooseService"), selected: (form?["service"] ?? "").isEmpty, idPrefix: "service")]
                + (try await stores.serviceChoices(office, context.language, selected: form?["service"] ?? "")),
            languages: stores.languageChoices(selected: form?["language"] ?? context.language.rawValue),
            priorities: [SelectOption(value: "", label: t("checkIn.noPriority"), selected: (form?["priority"] ?? "").isEmpty, idPrefix: "priority")]
                + PriorityReason.allCases.map { SelectOption(value: $0.rawValue, label: t("priority.\($0.rawValue)"), selected: form?["priority"] == $0.rawValue, idPrefix: "priority") },
            interpreter: form?["interpreter"] == "1",
            accessibility: FormField(name: "accessibility", label: t("checkIn.accessibility"), hint: t("checkIn.accessibilityHint"), value: form?["accessibility"] ?? "",
                                     error: messages.message(for: "accessibility")),
            phone: FormField(name: "phone", label: t("checkIn.phone"), hint: t("checkIn.phoneHint"), type: "tel", autocomplete: "tel", value: form?["phone"] ?? "",
                             error: messages.message(for: "phone")),
            appointmentCode: FormField(name: "appointment", label: t("checkIn.appointmentCode"), hint: t("checkIn.appointmentCodeHint"), value: form?["appointment"] ?? "",
                                       error: messages.message(for: "appointment")),
            serviceError: messages.message(for: "service") ?? messages.message(for: "language") ?? messages.message(for: "priority"),
            closedNotice: office.office.isOpen(at: stores.now, closures: closures) ? nil : t("checkIn.closed"),
            errors: messages.summary)
        return stores.pages.render(page, context: context, path: "/offices/\(office.office.code)/check-in\(kiosk ? "?kiosk=1" : "")", status: status)
    }

    /// A waiting ticket's position and estimate, written for the reader.
    func place(_ ticket: Ticket, office: OfficeRecord, t: Translator) async throws -> (position: String?, estimate: String?) {
        guard ticket.status == .waiting else { return (nil, nil) }
        let open = try await stores.queue.open(at: office.office.id)
        let estimates = try await stores.queue.estimates(office: office, open: open, model: try await stores.queue.serviceTimes(), at: stores.now)
        guard let mine = estimates[ticket.id] else { return (nil, nil) }
        return (t.format("ticket.position", ["position": String(mine.position)]), CounterStores.minutes(mine.minutes, t))
    }

    func renderTicket(_ context: AppRequestContext, token: String) async throws -> Response {
        guard let ticket = try await stores.queue.ticket(token: token), let office = try await stores.offices.find(ticket.office.description) else {
            throw Problem(.notFound, slug: "not-found", title: "Not found", detail: "This queue link is not known. Check in again at the office.")
        }
        let t = stores.pages.translator(for: context)
        let facts = try await place(ticket, office: office, t: t)
        let page = TicketPage(csrfToken: context.csrfToken, token: token, label: ticket.label, spoken: TicketLabel.spoken(ticket.label), office: office.office.name(t),
                              officeCode: office.office.code, status: t("ticketStatus.\(ticket.status.rawValue)"), isWaiting: ticket.status == .waiting,
                              position: facts.position, estimate: facts.estimate,
                              counter: ticket.status == .called ? ticket.counter.map { t.format("ticket.goToCounter", ["counter": String($0)]) } : nil,
                              canLeave: ticket.status == .waiting || ticket.status == .held)
        return stores.pages.render(page, context: context, path: "/queue/\(token)")
    }

    func renderQueue(_ context: AppRequestContext, office: OfficeRecord, notice: String?, errors: [FieldError], status: HTTPResponse.Status = .ok) async throws -> Response {
        let t = stores.pages.translator(for: context)
        let formats = stores.formats(context, office.office)
        let now = stores.now
        let staff = context.actor.staffID
        let seats = try await stores.queue.seats(at: office.office.id)
        let mine = seats.first { $0.staffID == staff }?.counter
        let open = try await stores.queue.open(at: office.office.id)
        let titles = try await stores.titles(open.map(\.service), context.language)
        let estimates = try await stores.queue.estimates(office: office, open: open, model: try await stores.queue.serviceTimes(), at: now)
        func row(_ ticket: Ticket) -> QueuePage.Row {
            let estimate = estimates[ticket.id]
            return .init(id: ticket.id.description, label: ticket.label, service: titles[ticket.service] ?? ShownText(plain: ticket.service), language: ticket.language.endonym,
                         interpreter: ticket.interpreterNeeded, priority: ticket.priority.map { t("priority.\($0.rawValue)") }, appointment: ticket.appointmentID != nil,
                         waited: CounterStores.minutes(now.timeIntervalSince(ticket.checkedInAt) / 60, t),
                         estimate: estimate.map { CounterStores.minutes($0.minutes, t) } ?? "", position: estimate.map { String($0.position) } ?? "")
        }
        let waiting = open.filter { $0.status == .waiting }.sorted { (estimates[$0.id]?.position ?? 0) < (estimates[$1.id]?.position ?? 0) }
        var current: QueuePage.Current?
        if let mine, let ticket = open.first(where: { $0.counter == mine && ($0.status == .called || $0.status == .serving) }) {
            current = .init(id: ticket.id.description, label: ticket.label, service: titles[ticket.service] ?? ShownText(plain: ticket.service), language: ticket.language.endonym,
                            interpreter: ticket.interpreterNeeded, accessibility: try await stores.queue.accessibility(of: ticket.id),
                            priority: ticket.priority.map { t("priority.\($0.rawValue)") }, status: t("ticketStatus.\(ticket.status.rawValue)"),
                            isCalled: ticket.status == .called, isServing: ticket.status == .serving, person: ticket.personID?.description,
                            transferServices: try await stores.serviceChoices(office, context.language, selected: ""))
        }
        let day = LocalDate(now, in: office.office.timeZone)
        let appointments = try await stores.appointments.appointments(at: office.office.id, from: day.at(minutes: 0, in: office.office.timeZone),
                                                                      to: day.adding(days: 1).at(minutes: 0, in: office.office.timeZone))
        let appointmentTitles = try await stores.titles(appointments.map(\.service), context.language)
        let messages = FieldMessages(translate: t, errors: errors)
        let page = QueuePage(
            csrfToken: context.csrfToken, office: office.office.name(t), code: office.office.code,
            counters: [SelectOption(value: "", label: t("queue.noCounter"), selected: mine == nil, idPrefix: "counter")]
                + (1...office.office.counters).map { SelectOption(value: String($0), label: t.format("queue.counterNumber", ["counter": String($0)]), selected: $0 == mine, idPrefix: "counter") },
            seatedAt: mine.map { t.format("queue.counterNumber", ["counter": String($0)]) }, current: current,
            waiting: waiting.map(row), held: open.filter { $0.status == .held }.map(row), hasHeld: open.contains { $0.status == .held }, hasWaiting: !waiting.isEmpty,
            appointments: appointments.map { appointment in
                .init(id: appointment.id.description, time: formats.dateTime(appointment.start), service: appointmentTitles[appointment.service] ?? ShownText(plain: appointment.service),
                      status: t("appointmentStatus.\(appointment.status.rawValue)"), canCheckIn: appointment.status == .booked)
            },
            services: [SelectOption(value: "", label: t("checkIn.chooseService"), selected: true, idPrefix: "walkin-service")] + (try await stores.serviceChoices(office, context.language, selected: "")),
            languages: stores.languageChoices(selected: "en"),
            priorities: [SelectOption(value: "", label: t("checkIn.noPriority"), selected: true, idPrefix: "walkin-priority")]
                + PriorityReason.allCases.map { SelectOption(value: $0.rawValue, label: t("priority.\($0.rawValue)"), idPrefix: "walkin-priority") },
            notice: notice, errors: messages.summary)
        return stores.pages.render(page, context: context, path: "/staff/offices/\(office.office.code)/queue", status: status)
    }
}
