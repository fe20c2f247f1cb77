import AnyDoorCore
import AnyDoorStore
import Foundation
import Hummingbird

/// `/account/profile`: the person's details, told once.
struct ProfilePage: PageModel {
    static let template = "profile"
    let titleKey = "profile.title"
    let csrfToken: String
    let dateOfBirth: FormField
    let street: FormField
    let city: FormField
    let postalCode: FormField
    let phone: FormField
    let interpreters: [Choice]
    let accessibility: FormField
    let changes: [String]
    let errors: ErrorSummary
    let notice: String?

    struct Choice: Sendable {
        let value: String
        let label: String
        let selected: Bool
    }
}

/// "Tell us once" (issue 6 item 2): the person's profile, which fills in their forms; a new address goes to
/// the ministries they chose under `/account/consents`, and each ministry's system acknowledges it at
/// `POST /api/v1/address-changes/{id}/acknowledge`.
struct ProfileController: Sendable {
    let profiles: SQLProfiles
    let ministries: MinistryService
    let clients: SQLAPIClients
    let pages: PageRenderer
    let environment: AnyDoorCore.Environment

    func addRoutes(to router: Router<AppRequestContext>) {
        router.get("/account/profile") { _, context in
            let person = try context.ownPerson()
            return try await render(context, person: person, form: nil, errors: [], notice: nil)
        }
        router.post("/account/profile") { request, context in
            let person = try context.ownPerson()
            let form = try await FormBody.read(request)
            let profile: PersonProfile
            do {
                profile = try PersonProfile.parse(dateOfBirth: form["dateOfBirth"], street: form["street"], city: form["city"], postalCode: form["postalCode"],
                                                  phone: form["phone"], interpreter: form["interpreter"], accessibility: form["accessibility"], today: environment.now())
            } catch let error as ValidationError {
                return try await render(context, person: person, form: form, errors: error.errors, notice: nil, status: .unprocessableContent)
            }
            let sent = try await profiles.save(profile, of: person, actor: context.actor.auditName, channel: .online, at: environment.now())
            let t = pages.translator(for: context)
            return try await render(context, person: person, form: nil, errors: [],
                                    notice: t("profile.saved") + (sent > 0 ? " " + t.format("profile.sentTo", ["count": String(sent)]) : ""))
        }
        router.post("/api/v1/address-changes/{id}/acknowledge") { _, context in
            guard let clientID = context.actor.apiClientID else { try context.require(.readOwnClient); throw HTTPError(.forbidden) }
            guard let client = try await clients.find(clientID),
                  try await profiles.acknowledge(try context.parameters.require("id"), ministry: client.ministry, client: clientID.description, at: environment.now()) else {
                throw Problem(.notFound, slug: "not-found", title: "Not found", detail: "No change of address was sent to this system's ministry with this id.")
            }
            return Response(status: .noContent)
        }
    }

    func render(_ context: AppRequestContext, person: PersonID, form: FormBody?, errors: [FieldError], notice: String?, status: HTTPResponse.Status = .ok) async throws -> Response {
        let saved = try await profiles.profile(of: person)
        let t = pages.translator(for: context)
        let formats = LocaleFormats(language: context.language)
        let messages = FieldMessages(translate: t, errors: errors)
        func value(_ name: String, _ stored: String?) -> String { form.map { $0[name] } ?? stored ?? "" }
        let chosen = form.map { $0["interpreter"] } ?? saved.interpreterLanguage?.rawValue ?? ""
        var names: [MinistryID: String] = [:]
        for ministry in try await ministries.list() { names[ministry.id] = ministry.names.resolved(for: context.language) ?? ministry.code.rawValue }
        let changes = try await profiles.changes(of: person).map { change in
            change.acknowledged
                ? t.format("profile.acknowledged", ["ministry": names[change.ministry] ?? "?", "date": formats.date(change.acknowledgedAt ?? change.createdAt)])
                : t.format("profile.waiting", ["ministry": names[change.ministry] ?? "?", "date": formats.date(change.createdAt)])
        }
        let addressError = messages.message(for: "address")
        let page = ProfilePage(
            csrfToken: context.csrfToken,
            dateOfBirth: FormField(name: "dateOfBirth", label: t("profile.dateOfBirth"), type: "date", autocomplete: "bday", value: value("dateOfBirth", saved.dateOfBirth),
                                   error: messages.message(for: "dateOfBirth")),
            street: FormField(name: "street", label: t("profile.street"), autocomplete: "street-address", value: value("street", saved.address?.street),
                              error: messages.message(for: "street") ?? addressError),
            city: FormField(name: "city", label: t("profile.city"), autocomplete: "address-level2", value: value("city", saved.address?.city), error: messages.message(for: "city")),
            postalCode: FormField(name: "postalCode", label: t("profile.postalCode"), hint: t("profile.postalCodeHint"), autocomplete: "postal-code",
                                  value: value("postalCode", saved.address?.postalCode), error: messages.message(for: "postalCode")),
            phone: FormField(name: "phone", label: t("profile.phone"), type: "tel", autocomplete: "tel", value: value("phone", saved.phone), error: messages.message(for: "phone")),
            interpreters: [ProfilePage.Choice(value: "", label: t("profile.noInterpreter"), selected: chosen.isEmpty)]
                + LanguageCode.allCases.map { .init(value: $0.rawValue, label: $0.endonym, selected: $0.rawValue == chosen) },
            accessibility: FormField(name: "accessibility", label: t("profile.accessibility"), value: value("accessibility", saved.accessibility),
                                     error: messages.message(for: "accessibility")),
            changes: changes, errors: messages.summary, notice: notice)
        return pages.render(page, context: context, path: "/account/profile", status: status)
    }
}
