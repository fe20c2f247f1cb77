import AnyDoorCore
import AnyDoorStore
import Foundation
import Hummingbird

/// One option of a `<select>` or radio group.
struct SelectOption: Sendable {
    let value: String
    let label: String
    let selected: Bool
    let id: String

    init(value: String, label: String, selected: Bool = false, idPrefix: String = "option") {
        self.value = value
        self.label = label
        self.selected = selected
        self.id = idPrefix + "-" + value.replacingOccurrences(of: ":", with: "-").replacingOccurrences(of: ".", with: "-")
    }
}

/// Everything the counter's pages reach.
struct CounterStores: Sendable {
    let offices: SQLOffices
    let queue: SQLQueue
    let appointments: SQLAppointments
    let contactCentre: SQLContactCentre
    let profiles: SQLProfiles
    let catalogue: SQLCatalogue
    let ministries: MinistryService
    let pages: PageRenderer
    let environment: AnyDoorCore.Environment

    init(database: Database, keys: KeyRing, catalogue: SQLCatalogue, ministries: MinistryService, pages: PageRenderer, environment: AnyDoorCore.Environment) {
        offices = SQLOffices(database: database, keys: keys)
        queue = SQLQueue(database: database, keys: keys)
        appointments = SQLAppointments(database: database, keys: keys)
        contactCentre = SQLContactCentre(database: database, keys: keys)
        profiles = SQLProfiles(database: database, keys: keys)
        self.catalogue = catalogue
        self.ministries = ministries
        self.pages = pages
        self.environment = environment
    }

    var now: Date { environment.now() }

    /// The office named in the path (`{office}`: its code or id); 404 otherwise.
    func office(_ context: AppRequestContext) async throws -> OfficeRecord {
        guard let key = context.parameters.get("office"), key.count <= 40, let office = try await offices.find(key) else {
            throw Problem(.notFound, slug: "not-found", title: "Not found", detail: "There is no office with this code.")
        }
        return office
    }

    /// A service's title in the reader's language (English, marked, when missing).
    func title(_ code: String, _ language: LanguageCode) async throws -> ShownText {
        guard let service = try await catalogue.published(code) else { return ShownText(plain: code) }
        return ShownText(service.document.title, language, fallback: code)
    }

    func titles(_ codes: [String], _ language: LanguageCode) async throws -> [String: ShownText] {
        var result: [String: ShownText] = [:]
        for code in Set(codes) { result[code] = try await title(code, language) }
        return result
    }

    /// The services an office offers, titled and sorted by title, as choices.
    func serviceChoices(_ office: OfficeRecord, _ language: LanguageCode, selected: String) async throws -> [SelectOption] {
        let codes = try await offices.services(of: office.office.id).map(\.code)
        let titles = try await titles(codes, language)
        return codes.map { SelectOption(value: $0, label: titles[$0]?.text ?? $0, selected: $0 == selected, idPrefix: "service") }
            .sorted { $0.label.localizedStandardCompare($1.label) == .orderedAscending }
    }

    func languageChoices(selected: String, includeNone: String? = nil) -> [SelectOption] {
        (includeNone.map { [SelectOption(value: "", label: $0, selected: selected.isEmpty, idPrefix: "language")] } ?? [])
            + LanguageCode.allCases.map { SelectOption(value: $0.rawValue, label: $0.endonym, selected: $0.rawValue == selected, idPrefix: "language") }
    }

    /// "12 minutes", "about an hour", or the translation of "unknown" when no counter can serve.
    static func minutes(_ value: Double?, _ t: Translator) -> String {
        guard let value else { return t("queue.noEstimate") }
        return t.format("queue.minutes", ["count": String(Int(value.rounded()))])
    }

    func formats(_ context: AppRequestContext, _ office: Office) -> LocaleFormats {
        LocaleFormats(language: context.language, timeZone: office.timeZone)
    }
}

extension Office {
    /// "Service BC Kamloops" in the reader's language.
    func name(_ t: Translator) -> String { t.format("office.name", ["town": town]) }
}

/// Server-rendered SVG bar charts for the dashboards: accessible (role="img", a title and a description),
/// readable without colour (values written on the bars), and mirrored for right-to-left pages by the page's CSS.
enum BarChart {
    struct Bar: Sendable {
        let label: String
        let value: Double
    }

    static func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;").replacingOccurrences(of: ">", with: "&gt;")
            .replacingOccurrences(of: "\"", with: "&quot;")
    }

    /// Vertical bars (one per label), for a series over time such as arrivals per hour.
    static func columns(_ bars: [Bar], title: String, description: String, id: String, format: (Double) -> String = { String(Int($0)) }) -> String {
        let width = max(320, bars.count * 44 + 40), height = 220, plot = 160.0
        let top = max(bars.map(\.value).max() ?? 0, 1)
        var svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart\" role=\"img\" aria-labelledby=\"\(id)-title \(id)-desc\" viewBox=\"0 0 \(width) \(height)\" width=\"100%\" preserveAspectRatio=\"xMinYMin meet\">"
        svg += "<title id=\"\(id)-title\">\(escape(title))</title><desc id=\"\(id)-desc\">\(escape(description))</desc>"
        svg += "<line x1=\"30\" y1=\"\(Int(plot) + 20)\" x2=\"\(width - 10)\" y2=\"\(Int(plot) + 20)\" class=\"chart-axis\"/>"
        for (index, bar) in bars.enumerated() {
            let h = plot * bar.value / top, x = 36 + index * 44
            svg += "<rect class=\"chart-bar\" x=\"\(x)\" y=\"\(String(format: "%.1f", plot + 20 - h))\" width=\"32\" height=\"\(String(format: "%.1f", h))\"/>"
            svg += "<text class=\"chart-value\" x=\"\(x + 16)\" y=\"\(String(format: "%.1f", plot + 14 - h))\" text-anchor=\"middle\">\(escape(format(bar.value)))</text>"
            svg += "<text class=\"chart-label\" x=\"\(x + 16)\" y=\"\(Int(plot) + 36)\" text-anchor=\"middle\">\(escape(bar.label))</text>"
        }
        return svg + "</svg>"
    }

    /// Horizontal bars with their labels, for categories such as people waiting per service.
    static func rows(_ bars: [Bar], title: String, description: String, id: String, format: (Double) -> String = { String(Int($0)) }) -> String {
        let rowHeight = 28, width = 640, labelWidth = 260
        let height = max(1, bars.count) * rowHeight + 16
        let top = max(bars.map(\.value).max() ?? 0, 1)
        var svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart\" role=\"img\" aria-labelledby=\"\(id)-title \(id)-desc\" viewBox=\"0 0 \(width) \(height)\" width=\"100%\" preserveAspectRatio=\"xMinYMin meet\">"
        svg += "<title id=\"\(id)-title\">\(escape(title))</title><desc id=\"\(id)-desc\">\(escape(description))</desc>"
        for (index, bar) in bars.enumerated() {
            let y = 8 + index * rowHeight, w = Double(width - labelWidth - 60) * bar.value / top
            let label = bar.label.count > 34 ? String(bar.label.prefix(33)) + "…" : bar.label
            svg += "<text class=\"chart-label\" x=\"\(labelWidth - 8)\" y=\"\(y + 18)\" text-anchor=\"end\">\(escape(label))</text>"
            svg += "<rect class=\"chart-bar\" x=\"\(labelWidth)\" y=\"\(y + 4)\" width=\"\(String(format: "%.1f", w))\" height=\"20\"/>"
            svg += "<text class=\"chart-value\" x=\"\(String(format: "%.1f", Double(labelWidth) + w + 6))\" y=\"\(y + 18)\">\(escape(format(bar.value)))</text>"
        }
        return svg + "</svg>"
    }
}
