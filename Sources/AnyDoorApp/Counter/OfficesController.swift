import AnyDoorCore
import AnyDoorStore
import Foundation
import Hummingbird

/// `/offices`: every office, open or closed now, and how many are waiting.
struct OfficesPage: PageModel {
    static let template = "offices"
    let titleKey = "offices.title"
    let rows: [Row]
    let contactCentreLanguages: String

    struct Row: Sendable {
        let code: String
        let name: String
        let status: String
        let waiting: String
    }
}

/// `/offices/{office}`: hours, closures, services, languages, the queue now, and the ways in.
struct OfficePage: PageModel {
    static let template = "office"
    let titleKey = "office.title"
    let titleText: String?
    let code: String
    let name: String
    let status: String
    let isOpen: Bool
    let hours: [Line]
    let closures: [Line]
    let hasClosures: Bool
    let services: [ShownText]
    let languages: String
    let waiting: String
    let estimate: String
    let coordinates: String
    let timeZone: String

    struct Line: Sendable {
        let label: String
        let text: String
    }
}

/// Offices: public pages and the JSON API (issue 7 item 1).
struct OfficesController: Sendable {
    let stores: CounterStores

    func addRoutes(to router: Router<AppRequestContext>) {
        router.get("/offices") { _, context in try await list(context) }
        router.get("/offices/{office}") { _, context in try await show(context) }
        router.get("/api/v1/offices") { _, _ in
            let now = stores.now
            var items: [OfficeJSON] = []
            let closures = try await stores.offices.allClosures()
            let counts = try await stores.queue.waitingCounts()
            for record in try await stores.offices.list() {
                items.append(try await json(record, now: now, detail: false, closures: closures[record.office.id] ?? [], waiting: counts[record.office.id] ?? 0))
            }
            return try APIResponse.json(OfficeList(items: items))
        }
        router.get("/api/v1/offices/{office}") { _, context in
            try APIResponse.json(try await json(try await stores.office(context), now: stores.now, detail: true))
        }
    }

    struct OfficeList: Encodable, Sendable { let items: [OfficeJSON] }

    struct OfficeJSON: Encodable, Sendable {
        struct Hours: Encodable, Sendable { let weekday: Int; let opens: String; let closes: String }
        struct Closure: Encodable, Sendable { let date: String; let reason: String }
        let id: String
        let code: String
        let town: String
        let place_id: Int?
        let latitude: Double
        let longitude: Double
        let time_zone: String
        let counters: Int
        let open_now: Bool
        let hours: [Hours]
        let interpreted_languages: [String]
        let waiting: Int
        let closures: [Closure]?
        let holidays: [Closure]?
        let services: [String]?
    }

    func json(_ record: OfficeRecord, now: Date, detail: Bool, closures known: [OfficeClosure]? = nil, waiting counted: Int? = nil) async throws -> OfficeJSON {
        let office = record.office
        var closures = known ?? []
        if known == nil { closures = try await stores.offices.closures(of: office.id) }
        var waiting = counted ?? 0
        if counted == nil { waiting = try await stores.queue.waitingCounts()[office.id] ?? 0 }
        var holidays: [OfficeJSON.Closure]?
        if detail, office.observesHolidays {
            let today = LocalDate(now, in: office.timeZone)
            holidays = (BCHolidays.holidays(in: today.year) + BCHolidays.holidays(in: today.year + 1)).filter { $0.observed >= today }.prefix(6)
                .map { .init(date: $0.observed.description, reason: $0.key) }
        }
        return OfficeJSON(
            id: office.id.description, code: office.code, town: office.town, place_id: office.placeID, latitude: office.latitude, longitude: office.longitude,
            time_zone: office.timeZone.identifier, counters: office.counters, open_now: office.isOpen(at: now, closures: closures),
            hours: office.hours.days.keys.sorted().map { day in
                let interval = office.hours.days[day]!
                return .init(weekday: day, opens: OpeningInterval.clock(interval.opens), closes: OpeningInterval.clock(interval.closes))
            },
            interpreted_languages: office.interpretedLanguages.map(\.rawValue), waiting: waiting,
            closures: detail ? closures.map { .init(date: $0.date.description, reason: $0.reason) } : nil, holidays: holidays,
            services: detail ? try await stores.offices.services(of: office.id).map(\.code) : nil)
    }

    func list(_ context: AppRequestContext) async throws -> Response {
        let t = stores.pages.translator(for: context)
        let now = stores.now
        var rows: [OfficesPage.Row] = []
        let allClosures = try await stores.offices.allClosures()
        let counts = try await stores.queue.waitingCounts()
        for record in try await stores.offices.list() {
            let closures = allClosures[record.office.id] ?? []
            let waiting = counts[record.office.id] ?? 0
            rows.append(.init(code: record.office.code, name: record.office.name(t),
                              status: record.office.isOpen(at: now, closures: closures) ? t("office.openNow") : t("office.closedNow"),
                              waiting: t.format("office.waitingCount", ["count": String(waiting)])))
        }
        let languages = LanguageCode.allCases.map(\.endonym).joined(separator: ", ")
        return stores.pages.render(OfficesPage(rows: rows, contactCentreLanguages: languages), context: context, path: "/offices")
    }

    func show(_ context: AppRequestContext) async throws -> Response {
        let record = try await stores.office(context)
        let office = record.office
        let t = stores.pages.translator(for: context)
        let formats = stores.formats(context, office)
        let now = stores.now
        let closures = try await stores.offices.closures(of: office.id)
        let today = LocalDate(now, in: office.timeZone)
        let status: String
        switch office.closedReason(on: today, closures: closures) {
        case .holiday(let key): status = t.format("office.closedHoliday", ["holiday": t("holiday.\(key)")])
        case .closure(let reason): status = t.format("office.closedReason", ["reason": reason])
        case .weekly, nil: status = office.isOpen(at: now, closures: closures) ? t("office.openNow") : t("office.closedNow")
        }
        let weekdays = [2, 3, 4, 5, 6, 7, 1]
        let hours = weekdays.map { day -> OfficePage.Line in
            let name = t("weekday.\(day)")
            guard let interval = office.hours.days[day] else { return .init(label: name, text: t("office.closed")) }
            if interval.opens == 0 && interval.closes == 1440 { return .init(label: name, text: t("office.allDay")) }
            return .init(label: name, text: "\(formats.time(OpeningInterval.clock(interval.opens)) ?? "") – \(formats.time(OpeningInterval.clock(interval.closes)) ?? "")")
        }
        var upcoming = closures.filter { $0.date >= today }.map { OfficePage.Line(label: formats.date($0.date.at(minutes: 720, in: office.timeZone)), text: $0.reason) }
        if office.observesHolidays {
            upcoming += (BCHolidays.holidays(in: today.year) + BCHolidays.holidays(in: today.year + 1)).filter { $0.observed >= today }.prefix(4)
                .map { .init(label: formats.date($0.observed.at(minutes: 720, in: office.timeZone)), text: t("holiday.\($0.key)")) }
        }
        let services = try await stores.offices.services(of: office.id).map(\.code)
        let titles = try await stores.titles(services, context.language)
        let open = try await stores.queue.open(at: office.id)
        let waiting = open.filter { $0.status == .waiting }
        // A new arrival's estimate: the queue as it stands, with one more person at its end.
        let newcomer = QueueEntry(id: TicketID(rawValue: UUID()), service: "", checkedInAt: now)
        let model = try await stores.queue.serviceTimes()
        let seats = try await stores.queue.seats(at: office.id)
        let counters = seats.map { seat in
            WaitEstimator.Counter(skills: AgentSkills(counter: seat.counter), servingForMinutes: open.first { $0.counter == seat.counter && $0.status == .serving }
                .map { now.timeIntervalSince($0.servingSince ?? now) / 60 }, servingExpectedMinutes: model.expectedMinutes(service: "", office: office.code, hour: office.localHour(now)))
        }
        let estimate = WaitEstimator(model: model, office: office.code).estimate(waiting: waiting.map(\.entry) + [newcomer], counters: counters, now: now, hour: office.localHour(now))[newcomer.id] ?? nil
        let page = OfficePage(
            titleText: office.name(t), code: office.code, name: office.name(t), status: status, isOpen: office.isOpen(at: now, closures: closures),
            hours: hours, closures: upcoming, hasClosures: !upcoming.isEmpty,
            services: services.compactMap { titles[$0] }.sorted { $0.text.localizedStandardCompare($1.text) == .orderedAscending },
            languages: ([LanguageCode.base] + office.interpretedLanguages).map(\.endonym).joined(separator: ", "),
            waiting: t.format("office.waitingCount", ["count": String(waiting.count)]),
            estimate: seats.isEmpty ? t("queue.noCountersOpen") : CounterStores.minutes(estimate, t),
            coordinates: String(format: "%.4f, %.4f", office.latitude, office.longitude), timeZone: office.timeZone.identifier)
        return stores.pages.render(page, context: context, path: "/offices/\(office.code)")
    }
}
