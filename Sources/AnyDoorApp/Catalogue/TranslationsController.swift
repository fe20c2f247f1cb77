import AnyDoorCore
import AnyDoorStore
import Foundation
import Hummingbird
import Mustache

/// `/translations`: how much of the catalogue is in each language (issue 4 item 5), with a chart and the
/// same numbers as tables, per language and per ministry.
struct TranslationCoveragePage: PageModel {
    static let template = "translations"
    let titleKey = "translations.title"
    struct Row: Sendable {
        let tag: String
        let name: String
        let dir: String
        let reviewed: String
        let draft: String
        let missing: String
        let percent: String
    }
    struct MinistryRow: Sendable {
        let code: String
        let name: String
        let cells: [Cell]
    }
    struct Cell: Sendable {
        let percent: String
    }
    struct Header: Sendable {
        let tag: String
        let name: String
        let dir: String
    }
    let chart: String
    let summary: String
    let rows: [Row]
    let headers: [Header]
    let ministries: [MinistryRow]
}

/// `/staff/translations`: export what is missing for translators, import their files back.
struct TranslationWorkPage: PageModel {
    static let template = "staff-translations"
    let titleKey = "translations.staffTitle"
    struct Language: Sendable {
        let tag: String
        let name: String
        let dir: String
        let missing: String
        let draft: String
    }
    let languages: [Language]
    let canImport: Bool
    let csrfToken: String
    let fileError: String?
    let problems: [String]
    let notice: String?
    let errors: ErrorSummary
}

struct TranslationsController: Sendable {
    let pages: PageRenderer
    let catalogue: SQLCatalogue
    let ministries: MinistryService
    let environment: AnyDoorCore.Environment

    struct CoverageResource: Encodable, Sendable {
        let language: String
        let reviewed: Int
        let draft: Int
        let missing: Int
        let translatedPercent: Int
    }

    func addRoutes(to router: Router<AppRequestContext>) {
        router.get("/translations") { _, context in
            try await coveragePage(context)
        }
        router.get("/api/v1/translations") { request, _ in
            let ministry = request.uri.queryParameters["ministry"].map(String.init).flatMap { $0.isEmpty ? nil : $0 }
            return try APIResponse.json(try await catalogue.translationCoverage(ministry: ministry).map {
                CoverageResource(language: $0.language.rawValue, reviewed: $0.reviewed, draft: $0.draft, missing: $0.missing, translatedPercent: $0.translatedPercent)
            })
        }
        router.get("/api/v1/translations/{lang}") { request, context in
            let language = try Self.language(context)
            let status: TranslationStatus?
            switch request.uri.queryParameters["status"].map(String.init) ?? "" {
            case "": status = nil
            case let text:
                guard let parsed = TranslationStatus(rawValue: text) else {
                    throw ValidationError(field: "status", code: "invalid", message: "Give missing, draft or reviewed.")
                }
                status = parsed
            }
            let ministry = request.uri.queryParameters["ministry"].map(String.init).flatMap { $0.isEmpty ? nil : $0 }
            let file = try await catalogue.exportTranslation(language, only: status, ministry: ministry)
            var response = try APIResponse.json(file)
            response.headers[.contentDisposition] = "attachment; filename=\"catalogue-\(language.rawValue)\(status.map { "-\($0.rawValue)" } ?? "").json\""
            return response
        }
        router.put("/api/v1/translations/{lang}") { request, context in
            try context.require(.reviewCatalogue)
            let language = try Self.language(context)
            let file = try await JSONBody.decode(CatalogueTranslation.self, from: request)
            guard file.language == language else {
                throw ValidationError(field: "language", code: "mismatch", message: "The file is for '\(file.language.rawValue)', not '\(language.rawValue)'.")
            }
            let count = try await importing { try await catalogue.importTranslation(file, actor: context.actor.auditName, at: environment.now()) }
            return try APIResponse.json(["updated": count])
        }
        router.get("/staff/translations") { request, context in
            try context.require(.readCatalogueWork)
            return try await workPage(context, notice: request.uri.queryParameters["updated"].map { pages.translator(for: context).format("translations.imported", ["count": String($0)]) })
        }
        router.post("/staff/translations/import") { request, context in
            try context.require(.reviewCatalogue)
            let form = try await FormBody.read(request)
            let text = form["file"]
            guard !text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
                return try await workPage(context, fileError: pages.translator(for: context)("translations.fileRequired"), status: .unprocessableContent)
            }
            let file: CatalogueTranslation
            do {
                file = try JSONDecoder().decode(CatalogueTranslation.self, from: Data(text.utf8))
            } catch {
                return try await workPage(context, fileError: pages.translator(for: context)("translations.fileInvalid"), status: .unprocessableContent)
            }
            do {
                let count = try await catalogue.importTranslation(file, actor: context.actor.auditName, at: environment.now())
                return Response.redirect(to: "/staff/translations?updated=\(count)", type: .normal)
            } catch let error as TranslationImportError {
                return try await workPage(context, fileError: pages.translator(for: context)("translations.fileRejected"), problems: error.problems, status: .unprocessableContent)
            }
        }
    }

    func importing(_ body: () async throws -> Int) async throws -> Int {
        do {
            return try await body()
        } catch let error as TranslationImportError {
            throw Problem(.unprocessableContent, slug: "translation-rejected", title: "Translation not applied",
                          detail: "Nothing changed. \(error.problems.count) problem\(error.problems.count == 1 ? "" : "s"): \(error.problems.joined(separator: "; "))")
        }
    }

    static func language(_ context: AppRequestContext) throws -> LanguageCode {
        let tag = try context.parameters.require("lang")
        guard let language = LanguageCode(rawValue: tag) else {
            throw Problem(.notFound, slug: "not-found", title: "Not found", detail: "'\(tag)' is not a language AnyDoor serves.")
        }
        return language
    }

    func coveragePage(_ context: AppRequestContext) async throws -> Response {
        let translate = pages.translator(for: context)
        let formats = LocaleFormats(language: context.language)
        let coverage = try await catalogue.translationCoverage()
        let total = coverage.first?.total ?? 0
        let list = try await ministries.list()
        var ministryRows: [TranslationCoveragePage.MinistryRow] = []
        for ministry in list {
            let perLanguage = try await catalogue.translationCoverage(ministry: ministry.code.rawValue)
            guard (perLanguage.first?.total ?? 0) > 0 else { continue }
            ministryRows.append(.init(code: ministry.code.rawValue, name: ministry.names.resolved(for: context.language) ?? ministry.code.rawValue,
                                      cells: perLanguage.map { .init(percent: translate.format("translations.percent", ["value": formats.number($0.translatedPercent)])) }))
        }
        let page = TranslationCoveragePage(
            chart: CoverageChart.svg(coverage, translate: translate, formats: formats),
            summary: translate.format("translations.summary", ["count": "\(total)"]),
            rows: coverage.map { .init(tag: $0.language.rawValue, name: $0.language.endonym, dir: $0.language.isRightToLeft ? "rtl" : "ltr",
                                       reviewed: formats.number($0.reviewed), draft: formats.number($0.draft), missing: formats.number($0.missing),
                                       percent: translate.format("translations.percent", ["value": formats.number($0.translatedPercent)])) },
            headers: LanguageCode.allCases.map { .init(tag: $0.rawValue, name: $0.endonym, dir: $0.isRightToLeft ? "rtl" : "ltr") },
            ministries: ministryRows)
        return pages.render(page, context: context, path: "/translations")
    }

    func workPage(_ context: AppRequestContext, notice: String? = nil, fileError: String? = nil, problems: [String] = [], status: HTTPResponse.Status = .ok) async throws -> Response {
        let formats = LocaleFormats(language: context.language)
        let coverage = try await catalogue.translationCoverage()
        let page = TranslationWorkPage(
            languages: coverage.filter { $0.language != .base }.map {
                .init(tag: $0.language.rawValue, name: $0.language.endonym, dir: $0.language.isRightToLeft ? "rtl" : "ltr",
                      missing: formats.number($0.missing), draft: formats.number($0.draft))
            },
            canImport: AccessPolicy.decide(context.actor, .reviewCatalogue) == .allow,
            csrfToken: context.csrfToken, fileError: fileError, problems: problems, notice: notice,
            errors: ErrorSummary(items: fileError.map { [.init(href: "#field-file", text: $0)] } ?? []))
        return pages.render(page, context: context, path: "/staff/translations", status: status)
    }
}

/// A horizontal stacked bar per language (reviewed, draft, missing), drawn on the server as SVG. The chart
/// is an image with a text alternative; the table under it carries the same numbers.
enum CoverageChart {
    static let reviewedColour = "##2E8540", draftColour = "##1A5A96", missingColour = "##8A8A8A"

    static func svg(_ coverage: [TranslationCoverage], translate: Translator, formats: LocaleFormats) -> String {
        let labelWidth = 130.0, barWidth = 440.0, rowHeight = 26.0, top = 34.0
        let height = top + rowHeight * Double(coverage.count) + 10
        func escape(_ text: String) -> String {
            text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;").replacingOccurrences(of: "\"", with: "&quot;")
        }
        let title = escape(translate("translations.chartTitle"))
        let description = escape(coverage.map { "\($0.language.endonym): \(translate.format("translations.percent", ["value": formats.number($0.translatedPercent)]))" }.joined(separator: "; "))
        var svg = ##"<svg class="chart" role="img" aria-labelledby="coverage-title coverage-desc" viewBox="0 0 \##(Int(labelWidth + barWidth + 60)) \##(Int(height))" xmlns="http://www.w3.org/2000/svg">"##
        svg += ##"<title id="coverage-title">\##(title)</title><desc id="coverage-desc">\##(description)</desc>"##
        let legend = [(reviewedColour, translate("translations.reviewed")), (draftColour, translate("translations.draft")), (missingColour, translate("translations.missing"))]
        var x = labelWidth
        for (colour, label) in legend {
            svg += ##"<rect x="\##(x)" y="6" width="14" height="14" fill="\##(colour)"/><text x="\##(x + 20)" y="18" font-size="13" fill="#313132">\##(escape(label))</text>"##
            x += 150
        }
        for (index, row) in coverage.enumerated() {
            let y = top + Double(index) * rowHeight
            svg += ##"<text x="\##(labelWidth - 8)" y="\##(y + 16)" font-size="13" text-anchor="end" fill="#313132" lang="\##(row.language.rawValue)">\##(escape(row.language.endonym))</text>"##
            var offset = labelWidth
            for (count, colour) in [(row.reviewed, reviewedColour), (row.draft, draftColour), (row.missing, missingColour)] where count > 0 && row.total > 0 {
                let width = barWidth * Double(count) / Double(row.total)
                svg += ##"<rect x="\##(offset)" y="\##(y + 3)" width="\##(String(format: "%.1f", width))" height="18" fill="\##(colour)"/>"##
                offset += width
            }
            svg += ##"<text x="\##(labelWidth + barWidth + 6)" y="\##(y + 16)" font-size="13" fill="#313132">\##(escape(translate.format("translations.percent", ["value": formats.number(row.translatedPercent)])))</text>"##
        }
        return svg + "</svg>"
    }
}
