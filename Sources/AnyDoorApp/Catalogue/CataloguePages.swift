import AnyDoorCore
import AnyDoorStore
import Foundation
import Hummingbird
import Mustache
import NIOCore

/// `/services/{code}`: how to get one service through each channel, in the reader's language.
struct ServicePage: PageModel, MustacheParent {
    static let template = "service"
    let titleKey = "service.title"
    let titleText: String?
    let jsonLD: String?

    let code: String
    let title: ShownText
    let description: ShownText
    /// Set when some of the service's text is shown in English on a page in another language.
    let notTranslated: String?
    let retired: Bool
    let replacement: ServiceCard?
    let ministryCode: String
    let ministryName: ShownText
    let audience: String
    let cost: String
    let processingTime: String?
    let identity: String
    let online: Bool
    let phoneNumber: String?
    let phoneHours: String?
    let inPerson: Bool
    let mail: String?
    let eligibility: [ShownText]
    let evidence: [ShownText]
    let fields: [ShownText]
    let legalBasis: [String]
    let lifeEvents: [LifeEventCard]
    let updated: String

    /// An RFC 3966 `tel:` URI: digits only, North American numbers with +1 (`1 800 663-7867` -> `tel:+18006637867`; `8-1-1` -> `tel:811`).
    static func telephoneURI(_ number: String) -> String {
        let digits = number.filter(\.isASCII).filter(\.isNumber)
        if digits.count == 11, digits.hasPrefix("1") { return "tel:+" + digits }
        if digits.count == 10 { return "tel:+1" + digits }
        return "tel:" + digits
    }

    func child(named name: String) -> Any? {
        switch name {
        case "code": code
        case "title": title
        case "description": description
        case "notTranslated": notTranslated
        case "retired": retired
        case "replacement": replacement
        case "ministryCode": ministryCode
        case "ministryName": ministryName
        case "audience": audience
        case "cost": cost
        case "processingTime": processingTime
        case "identity": identity
        case "online": online
        case "phoneNumber": phoneNumber
        case "phoneHref": phoneNumber.map(Self.telephoneURI)
        case "phoneHours": phoneHours
        case "inPerson": inPerson
        case "mail": mail
        case "eligibility": eligibility.isEmpty ? nil : eligibility
        case "evidence": evidence.isEmpty ? nil : evidence
        case "fields": fields.isEmpty ? nil : fields
        case "legalBasis": legalBasis.isEmpty ? nil : legalBasis
        case "lifeEvents": lifeEvents.isEmpty ? nil : lifeEvents
        case "updated": updated
        default: nil
        }
    }
}

/// `/services`: search with filters, or the whole catalogue.
struct SearchPage: PageModel, MustacheParent {
    static let template = "services"
    let titleKey = "search.title"
    let query: String
    let summary: String
    let results: [ServiceCard]
    let ministries: [FilterOption]
    let channels: [FilterOption]
    let lifeEvents: [FilterOption]
    let audiences: [FilterOption]
    let errors: ErrorSummary

    func child(named name: String) -> Any? {
        switch name {
        case "query": query
        case "summary": summary
        case "results": results.isEmpty ? nil : results
        case "ministries": ministries
        case "channels": channels
        case "lifeEvents": lifeEvents
        case "audiences": audiences
        case "errors": errors
        default: nil
        }
    }
}

/// `/life-events/{code}` and `/ministries/{code}`: a heading, a text and the services grouped there.
struct ServiceGroupPage: PageModel, MustacheParent {
    static let template = "service-group"
    let titleKey = "search.title"
    let titleText: String?
    let heading: ShownText
    let text: ShownText?
    let summary: String
    let services: [ServiceCard]
    let otherLinkHref: String
    let otherLinkText: String
    /// A life event whose services can be applied for online: the link to apply for several at once.
    var applyHref: String? = nil

    func child(named name: String) -> Any? {
        switch name {
        case "applyHref": applyHref
        case "heading": heading
        case "text": text
        case "summary": summary
        case "services": services.isEmpty ? nil : services
        case "otherLinkHref": otherLinkHref
        case "otherLinkText": otherLinkText
        default: nil
        }
    }
}

/// Built service pages by service and language, for a few seconds: the page model depends only on the
/// published version (checked on every request) and on slowly changing reference data (ministry names,
/// life events), which a rebuild picks up within `lifetime`. The rendered document is kept too, but only
/// for visitors who are not signed in: a signed-in layout carries the person's navigation and form token.
final class ServicePageCache: Sendable {
    let models = VersionedCache<ServicePage>(capacity: 20_000)
    let documents = VersionedCache<ByteBuffer>(capacity: 5_000)
}

/// Values by key, each valid for one published version of a service and for `lifetime`.
final class VersionedCache<Value: Sendable>: @unchecked Sendable {
    private let lock = NSLock()
    private var entries: [String: (value: Value, version: Int, retired: Bool, at: ContinuousClock.Instant)] = [:]
    let lifetime: Duration = .seconds(5)
    let capacity: Int

    init(capacity: Int) { self.capacity = capacity }

    func get(_ key: String, version: Int, retired: Bool) -> Value? {
        lock.withLock {
            guard let entry = entries[key], entry.version == version, entry.retired == retired, ContinuousClock.now - entry.at < lifetime else { return nil }
            return entry.value
        }
    }

    func store(_ key: String, _ value: Value, version: Int, retired: Bool) {
        lock.withLock {
            if entries.count > capacity { entries.removeAll(keepingCapacity: true) }
            entries[key] = (value, version, retired, ContinuousClock.now)
        }
    }
}

struct CataloguePagesController: Sendable {
    let pageCache = ServicePageCache()
    let pages: PageRenderer
    let catalogue: SQLCatalogue
    let ministries: MinistryService
    let baseURL: String

    func addRoutes(to router: Router<AppRequestContext>) {
        router.get("/services") { request, context in
            try await search(request, context: context)
        }
        router.get("/services/{code}") { _, context in
            let code = try context.parameters.require("code")
            guard let service = try await catalogue.published(code) else {
                throw Problem(.notFound, slug: "not-found", title: "Not found", detail: "There is no service at this address.")
            }
            let key = "\(code)|\(context.language.rawValue)"
            let anonymous = context.actor == .anonymous
            if anonymous, let body = pageCache.documents.get(key, version: service.version, retired: service.retired) {
                return PageRenderer.htmlResponse(body)
            }
            let page: ServicePage
            if let cached = pageCache.models.get(key, version: service.version, retired: service.retired) {
                page = cached
            } else {
                page = try await servicePage(service, context: context)
                pageCache.models.store(key, page, version: service.version, retired: service.retired)
            }
            let body = pages.renderBody(page, context: context, path: "/services/\(code)")
            // Someone not signed in sees exactly this document: keep it (signed-in layouts differ per person).
            if anonymous { pageCache.documents.store(key, body, version: service.version, retired: service.retired) }
            return PageRenderer.htmlResponse(body)
        }
        router.get("/life-events/{code}") { _, context in
            let code = try context.parameters.require("code")
            guard let event = try await catalogue.lifeEvent(code) else {
                throw Problem(.notFound, slug: "not-found", title: "Not found", detail: "There is no life event at this address.")
            }
            let services = try await catalogue.listPublished(CatalogueFilter(lifeEvent: code))
            let translate = pages.translator(for: context)
            let names = try await ministryNames(context.language)
            let card = LifeEventCard(event, language: context.language)
            var page = ServiceGroupPage(titleText: card.title.text, heading: card.title, text: card.description,
                                        summary: translate.format("search.count", ["count": "\(services.count)"]),
                                        services: services.map { ServiceCard($0.document, language: context.language, ministryNames: names) },
                                        otherLinkHref: "/services?life_event=\(code)", otherLinkText: translate("lifeEvent.searchWithin"))
            if services.filter({ $0.document.channels.online != nil }).count >= 2 { page.applyHref = "/life-events/\(code)/apply" }
            return pages.render(page, context: context, path: "/life-events/\(code)")
        }
        router.get("/ministries/{code}") { _, context in
            let code = try context.parameters.require("code")
            guard let parsed = MinistryCode(code), let ministry = try await ministries.find(code: parsed) else {
                throw Problem(.notFound, slug: "not-found", title: "Not found", detail: "There is no ministry at this address.")
            }
            let services = try await catalogue.listPublished(CatalogueFilter(ministry: code))
            let translate = pages.translator(for: context)
            let names = try await ministryNames(context.language)
            let heading = ShownText(ministry.names, context.language, fallback: code)
            let page = ServiceGroupPage(titleText: heading.text, heading: heading, text: nil,
                                        summary: translate.format("search.count", ["count": "\(services.count)"]),
                                        services: services.map { ServiceCard($0.document, language: context.language, ministryNames: names) },
                                        otherLinkHref: "/ministries", otherLinkText: translate("ministry.allMinistries"))
            return pages.render(page, context: context, path: "/ministries/\(code)")
        }
    }

    func ministryNames(_ language: LanguageCode) async throws -> [String: ShownText] {
        Dictionary(uniqueKeysWithValues: try await ministries.list().map { ($0.code.rawValue, ShownText($0.names, language, fallback: $0.code.rawValue)) })
    }

    func search(_ request: Request, context: AppRequestContext) async throws -> Response {
        let translate = pages.translator(for: context)
        let query = request.formParameter("q") ?? ""
        var problems: [FieldError] = []
        let filter: CatalogueFilter
        do {
            filter = try CatalogueAPIController.filter(request)
        } catch let error as ValidationError {
            problems = error.errors
            filter = CatalogueFilter()
        }
        let names = try await ministryNames(context.language)
        var cards: [ServiceCard] = []
        if SearchQuery(query).isEmpty {
            cards = try await catalogue.listPublished(filter).map { ServiceCard($0.document, language: context.language, ministryNames: names) }
        } else {
            for hit in try await catalogue.search(query, language: context.language, filter: filter, limit: 50) {
                if let service = try await catalogue.published(hit.code) {
                    cards.append(ServiceCard(service.document, language: context.language, ministryNames: names))
                }
            }
        }
        let events = try await catalogue.lifeEvents()
        let summary = query.isEmpty ? translate.format("search.count", ["count": "\(cards.count)"])
            : translate.format("search.resultsFor", ["count": "\(cards.count)", "query": query])
        let page = SearchPage(
            query: query, summary: summary, results: cards,
            ministries: [FilterOption(value: "", label: translate("search.anyMinistry"), selected: filter.ministry == nil)]
                + names.sorted { $0.value.text < $1.value.text }.map { FilterOption(value: $0.key, label: $0.value.text, selected: filter.ministry == $0.key) },
            channels: [FilterOption(value: "", label: translate("search.anyChannel"), selected: filter.channel == nil)]
                + ChannelKind.allCases.map { FilterOption(value: $0.rawValue, label: translate("channel.\($0.rawValue)"), selected: filter.channel == $0) },
            lifeEvents: [FilterOption(value: "", label: translate("search.anyLifeEvent"), selected: filter.lifeEvent == nil)]
                + events.map { FilterOption(value: $0.code, label: $0.title.resolved(for: context.language) ?? $0.code, selected: filter.lifeEvent == $0.code) },
            audiences: [FilterOption(value: "", label: translate("search.anyAudience"), selected: filter.audience == nil)]
                + Audience.allCases.map { FilterOption(value: $0.rawValue, label: translate("audience.\($0.rawValue)"), selected: filter.audience == $0) },
            errors: ErrorSummary(items: problems.map { ErrorSummary.Item(href: "#filter-\($0.field)", text: translate("search.invalidFilter")) })
        )
        var path = "/services"
        if let raw = request.uri.query, !raw.isEmpty {
            let kept = raw.split(separator: "&").filter { !$0.hasPrefix("lang=") }.joined(separator: "&")
            if !kept.isEmpty { path += "?" + kept }
        }
        return pages.render(page, context: context, path: path, status: problems.isEmpty ? .ok : .badRequest)
    }

    func servicePage(_ service: PublishedService, context: AppRequestContext) async throws -> ServicePage {
        let language = context.language
        let document = service.document
        let translate = pages.translator(for: context)
        let formats = LocaleFormats(language: language)
        let names = try await ministryNames(language)
        let ministryName = names[document.ministry] ?? ShownText(plain: document.ministry)
        var replacement: ServiceCard?
        if let code = service.replacedBy, let other = try await catalogue.published(code) {
            replacement = ServiceCard(other.document, language: language, ministryNames: names)
        }
        let events = try await catalogue.lifeEvents().filter { document.lifeEvents.contains($0.code) }
        let cost = document.cost.flatMap { cost in Decimal(string: cost.amount, locale: Locale(identifier: "en_US_POSIX")).map { formats.money($0, currency: cost.currency) } }
        let duration = document.processingTime.flatMap(ISODuration.init)
        return ServicePage(
            titleText: document.title.resolved(for: language),
            jsonLD: ServiceJSONLD.encode(document, language: language, ministryName: ministryName.text, baseURL: baseURL),
            code: document.code,
            title: ShownText(document.title, language, fallback: document.code),
            description: ShownText(document.description, language),
            notTranslated: document.isFullyTranslated(into: language) ? nil : translate.format("service.notTranslated", ["language": language.endonym]),
            retired: service.retired, replacement: replacement,
            ministryCode: document.ministry, ministryName: ministryName,
            audience: ListFormat.join(document.audience.map { translate("audience.\($0.rawValue)") }, language: language),
            cost: cost ?? translate("service.free"),
            processingTime: duration.map { translate.format("duration.\($0.displayUnit.unit)", ["count": "\($0.displayUnit.count)"]) },
            identity: translate("assurance.level\(document.requirement.assurance.rawValue)"),
            online: document.channels.online,
            phoneNumber: document.channels.phone?.number,
            phoneHours: document.channels.phone.map { OpeningHours.describe($0.hours, translate: translate, formats: formats) },
            inPerson: document.channels.inPerson, mail: document.channels.mail,
            eligibility: document.eligibility.map { ShownText($0, language) },
            evidence: document.evidence.map { ShownText($0, language) },
            fields: document.fields.map { ShownText($0.label, language, fallback: $0.code) },
            legalBasis: document.legalBasis,
            lifeEvents: events.map { LifeEventCard($0, language: language) },
            updated: translate.format("service.updated", ["date": formats.date(service.publishedAt), "version": "\(service.version)"])
        )
    }
}

/// Joins a short list with the language's list separator (`、` in Chinese and Japanese, `، ` in Farsi and Arabic).
enum ListFormat {
    static func join(_ items: [String], language: LanguageCode) -> String {
        items.joined(separator: language == .chineseSimplified || language == .chineseTraditional || language == .japanese ? "、" : language.isRightToLeft ? "، " : ", ")
    }
}

/// Opening hours in the schema.org short form (`Mo-Fr 08:00-17:00`), written out in the reader's language.
enum OpeningHours {
    static let days = ["Mo", "Tu", "We", "Th", "Fr", "Sa", "Su"]

    static func describe(_ text: String, translate: Translator, formats: LocaleFormats) -> String {
        let parts = text.split(separator: " ")
        guard parts.count == 2 else { return text }
        let dayRange = parts[0].split(separator: "-").map(String.init)
        let timeRange = parts[1].split(separator: "-").map(String.init)
        guard (1...2).contains(dayRange.count), dayRange.allSatisfy(days.contains), timeRange.count == 2,
              let open = formats.time(timeRange[0]), let close = formats.time(timeRange[1]) else { return text }
        let names = formats.weekdayNames
        let first = names[days.firstIndex(of: dayRange[0])!]
        let daysText = dayRange.count == 1 ? first : translate.format("hours.dayRange", ["from": first, "to": names[days.firstIndex(of: dayRange[1])!]])
        return translate.format("hours.range", ["days": daysText, "open": open, "close": close])
    }
}
