import AnyDoorCore
import AnyDoorStore
import Foundation
import Hummingbird

/// `/account/consents`: which ministries may receive the person's changes ("tell us once").
struct ConsentsPage: PageModel {
    static let template = "consents"
    let titleKey = "consents.title"
    let csrfToken: String
    let ministries: [Choice]
    let history: [String]
    let notice: String?

    struct Choice: Sendable {
        let code: String
        let name: String
        let id: String
        let checked: Bool
    }
}

/// `/account/corrections`: ask for a correction; see earlier requests.
struct CorrectionsPage: PageModel {
    static let template = "corrections"
    let titleKey = "corrections.title"
    let csrfToken: String
    let errors: ErrorSummary
    let fields: [Option]
    let requested: FormField
    let reason: FormField
    let requests: [Row]
    let notice: String?

    struct Row: Sendable {
        let when: String
        let field: String
        let status: String
        let annotation: String?
    }
}

/// `/staff/corrections`: the privacy officer's queue.
struct CorrectionReviewPage: PageModel {
    static let template = "correction-review"
    let titleKey = "corrections.reviewTitle"
    let csrfToken: String
    let requests: [Request]
    let notice: String?

    struct Request: Sendable {
        let id: String
        let when: String
        let field: String
        let requested: String
        let reason: String
    }
}

extension PrivacyController {
    func renderConsents(_ context: AppRequestContext, person: PersonID, notice: String?) async throws -> Response {
        let consents = try await privacy.consents(of: person)
        let active = Set(consents.filter { $0.withdrawnAt == nil && $0.purpose == .tellUsOnce }.map(\.ministry))
        let all = try await ministries.list()
        let formats = LocaleFormats(language: context.language)
        let t = pages.translator(for: context)
        let names = Dictionary(uniqueKeysWithValues: all.map { ($0.id, $0.names.resolved(for: context.language) ?? $0.code.rawValue) })
        let history = consents.map { consent in
            t.format(consent.withdrawnAt == nil ? "consents.grantedOn" : "consents.withdrawnOn",
                     ["ministry": names[consent.ministry] ?? "", "date": formats.dateTime(consent.withdrawnAt ?? consent.grantedAt)])
        }
        return pages.render(ConsentsPage(csrfToken: context.csrfToken, ministries: all.map {
            .init(code: $0.code.rawValue, name: names[$0.id] ?? $0.code.rawValue, id: "ministry-\($0.code.rawValue)", checked: active.contains($0.id))
        }, history: history, notice: notice), context: context, path: "/account/consents")
    }

    func renderCorrections(_ context: AppRequestContext, person: PersonID, errors: [FieldError], values: FormBody, notice: String?, status: HTTPResponse.Status = .ok) async throws -> Response {
        let t = pages.translator(for: context)
        let messages = FieldMessages(translate: t, errors: errors)
        let formats = LocaleFormats(language: context.language)
        let rows = try await privacy.corrections(of: person).map {
            CorrectionsPage.Row(when: formats.dateTime($0.createdAt), field: t("corrections.field.\($0.field)"), status: t("corrections.status.\($0.status)"), annotation: $0.annotation)
        }
        return pages.render(CorrectionsPage(
            csrfToken: context.csrfToken, errors: messages.summary,
            fields: Self.correctableFields.map { Option(value: $0, label: t("corrections.field.\($0)"), id: "field-\($0)") },
            requested: FormField(name: "requested", label: t("corrections.requested"), value: values["requested"], error: messages.message(for: "requested")),
            reason: FormField(name: "reason", label: t("corrections.reason"), value: values["reason"], error: messages.message(for: "reason")),
            requests: rows, notice: notice), context: context, path: "/account/corrections", status: status)
    }

    func renderReview(_ context: AppRequestContext, notice: String?) async throws -> Response {
        let t = pages.translator(for: context)
        let formats = LocaleFormats(language: context.language)
        let open = try await privacy.corrections(openOnly: true).map {
            CorrectionReviewPage.Request(id: $0.id.uuidString.lowercased(), when: formats.dateTime($0.createdAt), field: t("corrections.field.\($0.field)"), requested: $0.requested, reason: $0.reason)
        }
        return pages.render(CorrectionReviewPage(csrfToken: context.csrfToken, requests: open, notice: notice), context: context, path: "/staff/corrections")
    }
}
