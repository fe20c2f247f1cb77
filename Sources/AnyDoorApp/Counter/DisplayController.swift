import AnyDoorCore
import AnyDoorStore
import Foundation
import Hummingbird
import ServiceLifecycle

/// `/offices/{office}/display`: the waiting room's screen. Ticket labels and counters only, never a name.
struct DisplayPage: PageModel {
    static let template = "display"
    let titleKey = "display.title"
    let office: String
    let code: String
    let calls: [DisplayController.Call]
    let waiting: String
    let checkInLink: String
}

/// `/staff/offices/{office}/dashboard`: the office now and today, with charts.
struct DashboardPage: PageModel {
    static let template = "dashboard"
    let titleKey = "dashboard.title"
    let office: String
    let code: String
    let tiles: [Tile]
    let arrivalsChart: String
    let servicesChart: String
    let waitChart: String
    let arrivals: [Tile]
    let byService: [Tile]
    let canManage: Bool
    let csrfToken: String
    let closeDate: FormField
    let closeReason: FormField
    let notice: String?
    let errors: ErrorSummary

    struct Tile: Sendable {
        let label: String
        let value: String
    }
}

/// The call display (issue 7 item 5) and the office dashboard (item 6).
struct DisplayController: Sendable {
    let stores: CounterStores
    var streamSeconds = 600

    /// One ticket being called, with the sentence in each language of the people waiting.
    struct Call: Sendable, Encodable {
        let label: String
        let counter: Int
        let texts: [Text]

        struct Text: Sendable, Encodable {
            let lang: String
            let dir: String
            let text: String
        }
    }

    func addRoutes(to router: Router<AppRequestContext>) {
        router.get("/offices/{office}/display") { _, context in
            let office = try await stores.office(context)
            let t = stores.pages.translator(for: context)
            let (calls, waiting) = try await snapshot(office)
            return stores.pages.render(DisplayPage(office: office.office.name(t), code: office.office.code, calls: calls,
                                                   waiting: t.format("office.waitingCount", ["count": String(waiting)]),
                                                   checkInLink: "/offices/\(office.office.code)/check-in"),
                                       context: context, path: "/offices/\(office.office.code)/display")
        }
        router.get("/offices/{office}/display/events") { _, context in
            let office = try await stores.office(context)
            return Response(status: .ok, headers: [.contentType: "text/event-stream", .cacheControl: "no-cache"], body: ResponseBody { writer in
                try await writer.write(ByteBuffer(string: "retry: 3000\n\n"))
                var last = ""
                var quiet = 0
                // One stream lasts `streamSeconds` (the browser reconnects); it ends within a second of shutdown.
                for _ in 0..<streamSeconds {
                    if Task.isShuttingDownGracefully || Task.isCancelled { break }
                    let (calls, waiting) = try await snapshot(office)
                    let data = String(decoding: try APIResponse.encode(Snapshot(calls: calls, waiting: waiting)).readableBytesView, as: UTF8.self)
                    if data != last {
                        try await writer.write(ByteBuffer(string: "event: queue\ndata: \(data)\n\n"))
                        last = data
                        quiet = 0
                    } else {
                        quiet += 1
                        if quiet % 15 == 0 { try await writer.write(ByteBuffer(string: ": keep-alive\n\n")) }
                    }
                    try? await Task.sleep(for: .seconds(1))
                }
                try await writer.finish(nil)
            })
        }
        router.get("/staff/offices/{office}/dashboard") { _, context in
            let office = try await stores.office(context)
            try context.require(.workCounter(office.office.id))
            return try await dashboard(context, office: office)
        }
        router.post("/staff/offices/{office}/closures") { request, context in
            let office = try await stores.office(context)
            try context.require(.manageOffice(office.office.id))
            let form = try await FormBody.read(request)
            let t = stores.pages.translator(for: context)
            guard let day = LocalDate(form["date"]) else {
                return try await dashboard(context, office: office, form: form, errors: [FieldError(field: "date", code: "notADate", message: "Enter a date.")], status: .unprocessableContent)
            }
            if day < LocalDate(stores.now, in: office.office.timeZone) {
                return try await dashboard(context, office: office, form: form, errors: [FieldError(field: "date", code: "inPast", message: "Choose today or a later day.")], status: .unprocessableContent)
            }
            do {
                try await stores.offices.addClosure(OfficeClosure(date: day, reason: form["closeReason"]), office: office.office.id, actor: context.actor.auditName, at: stores.now)
            } catch let error as ValidationError {
                // The form's field is `closeReason` (its messages differ from other forms' `reason`).
                return try await dashboard(context, office: office, form: form, errors: error.errors.map { $0.field == "reason" ? $0.withField("closeReason") : $0 },
                                           status: .unprocessableContent)
            }
            let cancelled = try await stores.appointments.cancelAll(office: office, day: day, actor: context.actor.auditName, now: stores.now)
            let formats = stores.formats(context, office.office)
            return try await dashboard(context, office: office, notice: t.format("dashboard.closed", ["date": formats.date(day.at(minutes: 720, in: office.office.timeZone)), "count": String(cancelled)]))
        }
        router.get("/staff/offices") { _, context in
            guard context.actor.holds(.counterAgent) || context.actor.holds(.officeManager) else { try context.require(.workCounter(OfficeID(rawValue: UUID()))); throw HTTPError(.forbidden) }
            let t = stores.pages.translator(for: context)
            var rows: [OfficesPage.Row] = []
            let counts = try await stores.queue.waitingCounts()
            for record in try await stores.offices.list() where AccessPolicy.decide(context.actor, .workCounter(record.office.id)) == .allow {
                let waiting = counts[record.office.id] ?? 0
                rows.append(.init(code: record.office.code, name: record.office.name(t), status: "", waiting: t.format("office.waitingCount", ["count": String(waiting)])))
            }
            return stores.pages.render(StaffOfficesPage(rows: rows), context: context, path: "/staff/offices")
        }
    }

    struct Snapshot: Encodable { let calls: [Call]; let waiting: Int }

    /// The tickets called now (newest first), each said in the languages of everyone waiting or called.
    func snapshot(_ office: OfficeRecord) async throws -> ([Call], Int) {
        let open = try await stores.queue.open(at: office.office.id)
        var languages: [LanguageCode] = [.base]
        for ticket in open where !languages.contains(ticket.language) { languages.append(ticket.language) }
        let called = open.filter { $0.status == .called }.sorted { ($0.calledAt ?? .distantPast) > ($1.calledAt ?? .distantPast) }.prefix(6)
        let calls = called.map { ticket in
            Call(label: ticket.label, counter: ticket.counter ?? 0, texts: languages.prefix(6).map { language in
                let t = Translator(catalog: stores.pages.catalog, language: language)
                return Call.Text(lang: language.rawValue, dir: language.isRightToLeft ? "rtl" : "ltr",
                                 text: t.format("display.callText", ["ticket": TicketLabel.spoken(ticket.label), "counter": String(ticket.counter ?? 0)]))
            })
        }
        return (Array(calls), open.filter { $0.status == .waiting }.count)
    }

    func dashboard(_ context: AppRequestContext, office: OfficeRecord, form: FormBody? = nil, notice: String? = nil, errors: [FieldError] = [],
                   status: HTTPResponse.Status = .ok) async throws -> Response {
        let t = stores.pages.translator(for: context)
        let messages = FieldMessages(translate: t, errors: errors)
        let formats = stores.formats(context, office.office)
        let now = stores.now
        let today = try await stores.queue.tickets(at: office.office.id, day: LocalDate(now, in: office.office.timeZone))
        let seats = try await stores.queue.seats(at: office.office.id)
        let waiting = today.filter { $0.status == .waiting }
        let longest = waiting.map { now.timeIntervalSince($0.checkedInAt) / 60 }.max()
        let waits = today.compactMap { ticket in ticket.calledAt.map { $0.timeIntervalSince(ticket.checkedInAt) / 60 } }
        let services = today.compactMap { ticket -> Double? in
            guard ticket.status == .finished, let start = ticket.servingSince, let end = ticket.closedAt else { return nil }
            return end.timeIntervalSince(start) / 60
        }
        func mean(_ values: [Double]) -> Double? { values.isEmpty ? nil : values.reduce(0, +) / Double(values.count) }
        let tiles: [DashboardPage.Tile] = [
            .init(label: t("dashboard.waiting"), value: formats.number(waiting.count)),
            .init(label: t("dashboard.beingServed"), value: formats.number(today.filter { $0.status == .serving || $0.status == .called }.count)),
            .init(label: t("dashboard.longestWait"), value: longest.map { CounterStores.minutes($0, t) } ?? "–"),
            .init(label: t("dashboard.staffAtCounters"), value: "\(formats.number(seats.count)) / \(formats.number(office.office.counters))"),
            .init(label: t("dashboard.checkedInToday"), value: formats.number(today.count)),
            .init(label: t("dashboard.servedToday"), value: formats.number(today.filter { $0.status == .finished }.count)),
            .init(label: t("dashboard.noShowsToday"), value: formats.number(today.filter { $0.status == .noShow || $0.status == .left }.count)),
            .init(label: t("dashboard.meanWait"), value: mean(waits).map { CounterStores.minutes($0, t) } ?? "–"),
            .init(label: t("dashboard.meanService"), value: mean(services).map { CounterStores.minutes($0, t) } ?? "–"),
        ]
        let hours = Array(Set(today.map { office.office.localHour($0.checkedInAt) }).union([office.office.localHour(now)])).sorted()
        let arrivals = hours.map { hour in BarChart.Bar(label: formats.time(String(format: "%02d:00", hour)) ?? "\(hour)", value: Double(today.filter { office.office.localHour($0.checkedInAt) == hour }.count)) }
        let waitByHour = hours.map { hour -> BarChart.Bar in
            let values = today.filter { office.office.localHour($0.checkedInAt) == hour }.compactMap { ticket in ticket.calledAt.map { $0.timeIntervalSince(ticket.checkedInAt) / 60 } }
            return BarChart.Bar(label: formats.time(String(format: "%02d:00", hour)) ?? "\(hour)", value: mean(values) ?? 0)
        }
        let titles = try await stores.titles(waiting.map(\.service), context.language)
        let byService = Dictionary(grouping: waiting, by: \.service).map { BarChart.Bar(label: titles[$0.key]?.text ?? $0.key, value: Double($0.value.count)) }
            .sorted { $0.value > $1.value }
        let page = DashboardPage(
            office: office.office.name(t), code: office.office.code, tiles: tiles,
            arrivalsChart: BarChart.columns(arrivals, title: t("dashboard.arrivalsChart"), description: t("dashboard.arrivalsChartDescription"), id: "chart-arrivals",
                                            format: { formats.number(Int($0)) }),
            servicesChart: BarChart.rows(byService, title: t("dashboard.servicesChart"), description: t("dashboard.servicesChartDescription"), id: "chart-services",
                                         format: { formats.number(Int($0)) }),
            waitChart: BarChart.columns(waitByHour, title: t("dashboard.waitChart"), description: t("dashboard.waitChartDescription"), id: "chart-wait",
                                        format: { formats.number(Int($0.rounded())) }),
            arrivals: arrivals.map { .init(label: $0.label, value: formats.number(Int($0.value))) },
            byService: byService.map { .init(label: $0.label, value: formats.number(Int($0.value))) },
            canManage: AccessPolicy.decide(context.actor, .manageOffice(office.office.id)) == .allow, csrfToken: context.csrfToken,
            closeDate: FormField(name: "date", label: t("dashboard.closeDate"), type: "date", value: form?["date"] ?? "", error: messages.message(for: "date")),
            closeReason: FormField(name: "closeReason", label: t("dashboard.closeReason"), value: form?["closeReason"] ?? "", error: messages.message(for: "closeReason")),
            notice: notice, errors: messages.summary)
        return stores.pages.render(page, context: context, path: "/staff/offices/\(office.office.code)/dashboard", status: status)
    }
}

/// `/staff/offices`: the offices this member of staff works at.
struct StaffOfficesPage: PageModel {
    static let template = "staff-offices"
    let titleKey = "staffOffices.title"
    let rows: [OfficesPage.Row]
}
