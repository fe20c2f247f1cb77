import AnyDoorCore
import AnyDoorStore
import Foundation
import Hummingbird

/// `/staff/offices/{office}/skills`: what each person at the office's counters delivers and which languages
/// they speak, which call-next uses to give them only people they can serve.
struct StaffSkillsPage: PageModel {
    static let template = "staff-skills"
    let titleKey = "skills.title"
    let csrfToken: String
    let office: String
    let code: String
    let people: [Member]
    let hasPeople: Bool
    let errors: ErrorSummary
    let notice: String?

    struct Member: Sendable {
        let id: String
        let name: String
        let action: String
        let services: [Choice]
        let languages: [Choice]
        let servicesError: String?
        let languagesError: String?
    }

    struct Choice: Sendable {
        let value: String
        let label: ShownText
        let id: String
        let checked: Bool
    }
}

/// Office managers set the skills of the staff at their office's counters; every change is audited.
struct SkillsController: Sendable {
    let stores: CounterStores

    func addRoutes(to router: Router<AppRequestContext>) {
        router.get("/staff/offices/{office}/skills") { request, context in
            let office = try await stores.office(context)
            try context.require(.manageOffice(office.office.id))
            return try await render(context, office: office, notice: request.uri.queryParameters.get("done") == "saved" ? "skills.saved" : nil)
        }
        router.post("/staff/offices/{office}/skills/{staff}") { request, context in
            let office = try await stores.office(context)
            try context.require(.manageOffice(office.office.id))
            guard let staff = context.parameters.get("staff").flatMap(StaffID.init),
                  try await stores.offices.counterStaff(at: office.office.id).contains(where: { $0.id == staff }) else { throw HTTPError(.notFound) }
            let form = try await FormBody.read(request)
            let offered = Set(try await stores.offices.services(of: office.office.id).map(\.code))
            let services = Set(form.values["service"] ?? [])
            let languageCodes = form.values["language"] ?? []
            let languages = Set(languageCodes.compactMap(LanguageCode.init(rawValue:)))
            var errors: [FieldError] = []
            if !services.isSubset(of: offered) {
                errors.append(FieldError(field: "services-\(staff)", code: "notOffered", message: "Choose services this office offers."))
            }
            if languages.isEmpty || languages.count != Set(languageCodes).count {
                errors.append(FieldError(field: "languages-\(staff)", code: "chooseLanguage", message: "Choose at least one language."))
            }
            guard errors.isEmpty else {
                return try await render(context, office: office, edited: (staff, services, languages), errors: errors, status: .unprocessableContent)
            }
            try await stores.offices.setSkills(StaffSkills(staff: staff, services: services, languages: languages), at: office.office.id,
                                               actor: context.actor.auditName, at: stores.now)
            return Response.redirect(to: "/staff/offices/\(office.office.code)/skills?done=saved#staff-\(staff)", type: .normal)
        }
    }

    func render(_ context: AppRequestContext, office: OfficeRecord, edited: (StaffID, Set<String>, Set<LanguageCode>)? = nil, errors: [FieldError] = [],
                notice: String? = nil, status: HTTPResponse.Status = .ok) async throws -> Response {
        let t = stores.pages.translator(for: context)
        let messages = FieldMessages(translate: t, errors: errors)
        var titles: [(String, ShownText)] = []
        for service in try await stores.offices.services(of: office.office.id) {
            titles.append((service.code, try await stores.title(service.code, context.language)))
        }
        var people: [StaffSkillsPage.Member] = []
        for member in try await stores.offices.counterStaff(at: office.office.id) {
            let saved = try await stores.offices.skills(of: member.id, at: office.office.id)
            let isEdited = edited?.0 == member.id
            let services = isEdited ? edited!.1 : saved.services
            let languages = isEdited ? edited!.2 : saved.languages
            let id = member.id.description
            people.append(.init(
                id: id, name: member.name, action: "/staff/offices/\(office.office.code)/skills/\(id)",
                services: titles.map { .init(value: $0.0, label: $0.1, id: "service-\(id)-\($0.0)", checked: services.contains($0.0)) },
                languages: LanguageCode.allCases.map {
                    .init(value: $0.rawValue, label: ShownText($0.endonym, in: $0, page: context.language), id: "language-\(id)-\($0.rawValue)", checked: languages.contains($0))
                },
                servicesError: messages.message(for: "services-\(id)"), languagesError: messages.message(for: "languages-\(id)")))
        }
        let page = StaffSkillsPage(csrfToken: context.csrfToken, office: office.office.name(t), code: office.office.code, people: people, hasPeople: !people.isEmpty,
                                   errors: messages.summary, notice: notice.map { t($0) })
        return stores.pages.render(page, context: context, path: "/staff/offices/\(office.office.code)/skills", status: status)
    }
}
