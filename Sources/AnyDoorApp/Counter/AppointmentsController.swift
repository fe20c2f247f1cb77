import AnyDoorCore
import AnyDoorStore
import Foundation
import Hummingbird
import Logging
import ServiceLifecycle

/// Booking: choose a service and a day, then a time; an interpreter and accommodation can be asked for.
struct BookingPage: PageModel {
    static let template = "appointment-book"
    let titleKey = "booking.title"
    let csrfToken: String
    let office: String
    let code: String
    let action: String
    let formPath: String
    let services: [SelectOption]
    let days: [SelectOption]
    let slots: [SelectOption]
    let hasChoice: Bool
    let noSlots: Bool
    let service: String
    let date: String
    let reschedule: String?
    let interpreters: [SelectOption]
    let accommodation: FormField
    let slotError: String?
    let errors: ErrorSummary
    let forName: String?
    /// Staff choose the office too.
    let officeChoices: [SelectOption]
}

/// `/my/appointments`: the person's appointments and visits.
struct MyAppointmentsPage: PageModel {
    static let template = "my-appointments"
    let titleKey = "myAppointments.title"
    let appointments: [Row]
    let visits: [Row]
    let offices: [SelectOption]

    struct Row: Sendable {
        let href: String?
        let when: String
        let service: ShownText
        let office: String
        let status: String
    }
}

/// `/my/appointments/{id}`: one appointment, its calendar file, check-in, move, cancel.
struct AppointmentPage: PageModel {
    static let template = "appointment"
    let titleKey = "appointment.title"
    let csrfToken: String
    let id: String
    let confirmation: String
    let when: String
    let service: ShownText
    let office: String
    let officeCode: String
    let status: String
    let interpreter: String?
    let accommodation: String?
    let isBooked: Bool
    let canCheckIn: Bool
    let notice: String?
    let errors: ErrorSummary
}

/// Appointments (issue 7 item 7), by the person online or by staff for a person.
struct AppointmentsController: Sendable {
    let stores: CounterStores
    let identity: IdentityService

    func addRoutes(to router: Router<AppRequestContext>) {
        router.get("/offices/{office}/appointments/new") { request, context in
            let person = try context.ownPerson()
            let office = try await stores.office(context)
            let query = request.uri.queryParameters
            return try await renderBooking(context, office: office, person: person, byStaff: false, service: query["service"].map(String.init) ?? "",
                                           date: query["date"].map(String.init) ?? "", reschedule: query["reschedule"].map(String.init), form: nil, errors: [])
        }
        router.post("/offices/{office}/appointments") { request, context in
            let person = try context.ownPerson()
            let office = try await stores.office(context)
            let form = try await FormBody.read(request)
            return try await book(context, office: office, person: person, byStaff: false, channel: .online, form: form)
        }
        router.get("/staff/people/{id}/appointments/new") { request, context in
            let person = try PeopleController.personID(context)
            try context.require(.bookForPerson)
            let query = request.uri.queryParameters
            // Staff choose the office on the page; it opens on the first office by town.
            let firstOffice = try await stores.offices.list().first?.office.code ?? SQLOffices.trainingCode
            guard let office = try await stores.offices.find(query["office"].map(String.init) ?? firstOffice) else { throw HTTPError(.notFound) }
            return try await renderBooking(context, office: office, person: person, byStaff: true, service: query["service"].map(String.init) ?? "",
                                           date: query["date"].map(String.init) ?? "", reschedule: nil, form: nil, errors: [])
        }
        router.post("/staff/people/{id}/appointments") { request, context in
            let person = try PeopleController.personID(context)
            try context.require(.bookForPerson)
            let form = try await FormBody.read(request)
            guard let office = try await stores.offices.find(form["office"]) else { throw HTTPError(.notFound) }
            return try await book(context, office: office, person: person, byStaff: true,
                                  channel: context.actor.holds(.contactCentreAgent) ? .phone : .inPerson, form: form)
        }
        router.get("/my/appointments") { _, context in
            let person = try context.ownPerson()
            return try await renderMine(context, person: person)
        }
        router.get("/my/appointments/{id}") { _, context in
            let person = try context.ownPerson()
            let raw = try context.parameters.require("id")
            let calendar = raw.hasSuffix(".ics")
            let appointment = try await own(raw.replacingOccurrences(of: ".ics", with: ""), person: person)
            if calendar {
                guard let office = try await stores.offices.find(appointment.office.description) else { throw HTTPError(.notFound) }
                return Response(status: .ok, headers: [.contentType: "text/calendar; charset=utf-8", .contentDisposition: "attachment; filename=\"appointment.ics\""],
                                body: .init(byteBuffer: ByteBuffer(string: try await calendarFile(appointment, office: office.office, language: context.language))))
            }
            return try await renderAppointment(context, appointment: appointment, notice: nil, errors: [])
        }
        router.post("/my/appointments/{id}/cancel") { _, context in
            let person = try context.ownPerson()
            let appointment = try await own(try context.parameters.require("id"), person: person)
            do {
                let cancelled = try await stores.appointments.cancel(appointment.id, person: person, actor: context.actor.auditName, channel: .online, now: stores.now)
                return try await renderAppointment(context, appointment: cancelled, notice: stores.pages.translator(for: context)("appointment.cancelled"), errors: [])
            } catch let error as AppointmentError {
                return try await renderAppointment(context, appointment: appointment, notice: nil, errors: [QueueController.appointmentError(error)], status: .conflict)
            }
        }
        router.post("/my/appointments/{id}/check-in") { _, context in
            let person = try context.ownPerson()
            let appointment = try await own(try context.parameters.require("id"), person: person)
            guard let office = try await stores.offices.find(appointment.office.description) else { throw HTTPError(.notFound) }
            do {
                let ticket = try await stores.appointments.checkIn(appointment.id, office: office, closures: try await stores.offices.closures(of: office.office.id),
                                                                   queue: stores.queue, actor: context.actor.auditName, channel: .online, now: stores.now)
                return Response.redirect(to: "/queue/\(ticket.token)", type: .normal)
            } catch let error as AppointmentError {
                return try await renderAppointment(context, appointment: appointment, notice: nil, errors: [QueueController.appointmentError(error)], status: .unprocessableContent)
            } catch let error as QueueError {
                return try await renderAppointment(context, appointment: appointment, notice: nil, errors: QueueController.fieldErrors(error), status: QueueController.status(error))
            }
        }
    }

    /// The person's own appointment, or 404 (never someone else's, and without saying whether it exists).
    func own(_ raw: String, person: PersonID) async throws -> Appointment {
        guard let id = AppointmentID(raw), let appointment = try await stores.appointments.find(id), appointment.person == person else {
            throw Problem(.notFound, slug: "not-found", title: "Not found", detail: "You have no appointment with this id.")
        }
        return appointment
    }

    /// The eight symbols the person types at the kiosk: the start of the appointment's id, grouped for reading.
    static func confirmation(_ id: AppointmentID) -> String {
        let start = id.description.prefix(8).uppercased()
        return start.prefix(4) + "-" + start.suffix(4)
    }

    func calendarFile(_ appointment: Appointment, office: Office, language: LanguageCode) async throws -> String {
        let t = Translator(catalog: stores.pages.catalog, language: language)
        let service = try await stores.title(appointment.service, language).text
        return ICalendarEvent(uid: "\(appointment.id)@anydoor", start: appointment.start, end: appointment.end, stamp: stores.now,
                              summary: t.format("appointment.calendarSummary", ["service": service]), location: office.name(t),
                              description: t.format("appointment.calendarDescription", ["code": Self.confirmation(appointment.id)]),
                              cancelled: appointment.status == .cancelled, sequence: appointment.sequence).text
    }

    func book(_ context: AppRequestContext, office: OfficeRecord, person: PersonID, byStaff: Bool, channel: Channel, form: FormBody) async throws -> Response {
        var errors: [FieldError] = []
        let start = Double(form["slot"]).map { Date(timeIntervalSince1970: $0) }
        if start == nil { errors.append(FieldError(field: "slot", code: "required", message: "Choose a time.")) }
        let interpreter = form["interpreter"].isEmpty ? nil : LanguageCode(rawValue: form["interpreter"])
        if !form["interpreter"].isEmpty, interpreter == nil { errors.append(FieldError(field: "interpreter", code: "notAChoice", message: "Choose a language from the list.")) }
        if let start, errors.isEmpty {
            let request = BookingRequest(person: person, service: form["service"], start: start, language: context.language, interpreter: interpreter,
                                         accommodation: form["accommodation"], byStaff: byStaff, channel: channel)
            let closures = try await stores.offices.closures(of: office.office.id)
            do {
                let appointment: Appointment
                if let old = AppointmentID(form["reschedule"]), !byStaff {
                    _ = try await own(old.description, person: person)
                    appointment = try await stores.appointments.reschedule(old, to: request, office: office, closures: closures, actor: context.actor.auditName, now: stores.now)
                } else {
                    appointment = try await stores.appointments.book(request, office: office, closures: closures, actor: context.actor.auditName, now: stores.now)
                }
                if byStaff {
                    let t = stores.pages.translator(for: context)
                    let formats = stores.formats(context, office.office)
                    return Response.redirect(to: "/staff/contact/people/\(person)?notice=\(t.format("booking.bookedFor", ["time": formats.dateTime(appointment.start)]).addingPercentEncoding(withAllowedCharacters: .urlQueryAllowed) ?? "")", type: .normal)
                }
                return Response.redirect(to: "/my/appointments/\(appointment.id)?done=booked", type: .normal)
            } catch let error as AppointmentError {
                errors.append(QueueController.appointmentError(error).withField("slot"))
            }
        }
        return try await renderBooking(context, office: office, person: person, byStaff: byStaff, service: form["service"], date: form["date"],
                                       reschedule: form["reschedule"].isEmpty ? nil : form["reschedule"], form: form, errors: errors, status: .unprocessableContent)
    }

    func renderBooking(_ context: AppRequestContext, office: OfficeRecord, person: PersonID, byStaff: Bool, service: String, date: String, reschedule: String?,
                       form: FormBody?, errors: [FieldError], status: HTTPResponse.Status = .ok) async throws -> Response {
        let t = stores.pages.translator(for: context)
        let formats = stores.formats(context, office.office)
        let now = stores.now
        let messages = FieldMessages(translate: t, errors: errors)
        let closures = try await stores.offices.closures(of: office.office.id)
        let services = try await stores.serviceChoices(office, context.language, selected: service)
        let offered = services.contains { $0.value == service }
        let days = SlotPlanner.bookableDays(office: office.office, closures: closures, rules: office.rules, now: now)
        let chosenDay = LocalDate(date) ?? days.first
        var slots: [SelectOption] = []
        if offered, let chosenDay {
            slots = try await stores.appointments.availability(office: office, closures: closures, service: service, day: chosenDay, byStaff: byStaff, now: now).map {
                SelectOption(value: String(Int($0.slot.start.timeIntervalSince1970)), label: formats.time(OpeningInterval.clock(office.office.minuteOfDay($0.slot.start))) ?? "",
                             selected: form?["slot"] == String(Int($0.slot.start.timeIntervalSince1970)), idPrefix: "slot")
            }
        }
        let preferred = try await stores.profiles.profile(of: person).interpreterLanguage?.rawValue ?? ""
        let chosenInterpreter = form?["interpreter"] ?? preferred
        var forName: String?
        if byStaff { forName = try await identity.people.find(person)?.person.name }
        let base = byStaff ? "/staff/people/\(person)/appointments" : "/offices/\(office.office.code)/appointments"
        let page = BookingPage(
            csrfToken: context.csrfToken, office: office.office.name(t), code: office.office.code, action: base, formPath: base + "/new",
            services: [SelectOption(value: "", label: t("checkIn.chooseService"), selected: !offered, idPrefix: "service")] + services,
            days: days.map { SelectOption(value: $0.description, label: formats.date($0.at(minutes: 720, in: office.office.timeZone)), selected: $0 == chosenDay, idPrefix: "day") },
            slots: slots, hasChoice: offered && chosenDay != nil, noSlots: offered && slots.isEmpty, service: service, date: chosenDay?.description ?? "",
            reschedule: reschedule, interpreters: stores.languageChoices(selected: chosenInterpreter, includeNone: t("profile.noInterpreter")),
            accommodation: FormField(name: "accommodation", label: t("booking.accommodation"), hint: t("booking.accommodationHint"), value: form?["accommodation"] ?? "",
                                     error: messages.message(for: "accommodation")),
            slotError: messages.message(for: "slot") ?? messages.message(for: "interpreter"), errors: messages.summary, forName: forName,
            officeChoices: byStaff ? try await stores.offices.list().map { SelectOption(value: $0.office.code, label: $0.office.name(t), selected: $0.office.id == office.office.id, idPrefix: "office") } : [])
        return stores.pages.render(page, context: context, path: base + "/new", status: status)
    }

    func renderMine(_ context: AppRequestContext, person: PersonID) async throws -> Response {
        let t = stores.pages.translator(for: context)
        let offices = Dictionary(uniqueKeysWithValues: try await stores.offices.list().map { ($0.office.id, $0.office) })
        let appointments = try await stores.appointments.appointments(of: person)
        let visits = try await stores.queue.tickets(of: person)
        let titles = try await stores.titles(appointments.map(\.service) + visits.map(\.service), context.language)
        func formats(_ office: OfficeID) -> LocaleFormats { LocaleFormats(language: context.language, timeZone: offices[office]?.timeZone ?? TimeZone(identifier: "America/Vancouver")!) }
        let page = MyAppointmentsPage(
            appointments: appointments.map { appointment in
                .init(href: "/my/appointments/\(appointment.id)", when: formats(appointment.office).dateTime(appointment.start),
                      service: titles[appointment.service] ?? ShownText(plain: appointment.service), office: offices[appointment.office]?.name(t) ?? "",
                      status: t("appointmentStatus.\(appointment.status.rawValue)"))
            },
            visits: visits.map { ticket in
                .init(href: ticket.status.isOpen ? "/queue/\(ticket.token)" : nil, when: formats(ticket.office).dateTime(ticket.checkedInAt),
                      service: titles[ticket.service] ?? ShownText(plain: ticket.service), office: offices[ticket.office]?.name(t) ?? "",
                      status: "\(ticket.label) · \(t("ticketStatus.\(ticket.status.rawValue)"))")
            },
            offices: offices.values.sorted { $0.town < $1.town }.map { SelectOption(value: $0.code, label: $0.name(t), idPrefix: "office") })
        return stores.pages.render(page, context: context, path: "/my/appointments")
    }

    func renderAppointment(_ context: AppRequestContext, appointment: Appointment, notice: String?, errors: [FieldError], status: HTTPResponse.Status = .ok) async throws -> Response {
        let t = stores.pages.translator(for: context)
        guard let office = try await stores.offices.find(appointment.office.description) else { throw HTTPError(.notFound) }
        let formats = stores.formats(context, office.office)
        let now = stores.now
        let page = AppointmentPage(
            csrfToken: context.csrfToken, id: appointment.id.description, confirmation: Self.confirmation(appointment.id), when: formats.dateTime(appointment.start),
            service: try await stores.title(appointment.service, context.language), office: office.office.name(t), officeCode: office.office.code,
            status: t("appointmentStatus.\(appointment.status.rawValue)"), interpreter: appointment.interpreter?.endonym, accommodation: appointment.accommodation,
            isBooked: appointment.status == .booked,
            canCheckIn: appointment.status == .booked && now >= appointment.start.addingTimeInterval(-3600) && now <= appointment.start.addingTimeInterval(900),
            notice: notice, errors: FieldMessages(translate: t, errors: errors).summary)
        return stores.pages.render(page, context: context, path: "/my/appointments/\(appointment.id)", status: status)
    }
}

extension FieldError {
    func withField(_ name: String) -> FieldError { FieldError(field: name, code: code, message: message) }
}

/// Writes each appointment's reminder a day ahead (claimed with `SKIP LOCKED`, so one node sends each).
struct AppointmentReminderService: Service {
    let appointments: SQLAppointments
    let logger: Logger
    var interval: Duration = .seconds(60)

    func run() async throws {
        try? await cancelWhenGracefulShutdown {
            // First wait: at start-up the database is busy migrating and loading demo data.
            while !Task.isCancelled {
                try await Task.sleep(for: interval)
                do { _ = try await appointments.sendReminders(now: Date()) } catch { logger.warning("appointment reminders failed", metadata: ["error": "\(type(of: error))"]) }
            }
        }
    }
}
