import AnyDoorCore
import AnyDoorStore
import Foundation
import Hummingbird

/// A person's own privacy pages: who looked at their record, who may act for them (give, revoke), and
/// acting for someone else.
struct RepresentationController: Sendable {
    let identity: IdentityService
    let pages: PageRenderer

    func addRoutes(to router: Router<AppRequestContext>) {
        router.get("/account/who-looked") { _, context in
            guard let person = context.actor.personID else { throw AccessDenied(decision: context.actor == .anonymous ? .authenticate : .deny, action: .useOwnAccount) }
            try context.require(.viewPerson(person, representation: nil))
            let t = pages.translator(for: context)
            let formats = LocaleFormats(language: context.language)
            let rows = try await identity.records.accesses(to: person).map {
                WhoLookedPage.Row(when: formats.dateTime($0.at), organisation: $0.organisation, purpose: t("purpose.\($0.purpose.rawValue)"))
            }
            return pages.render(WhoLookedPage(rows: rows), context: context, path: "/account/who-looked")
        }
        router.get("/account/representatives") { _, context in
            try context.require(.manageOwnRepresentatives)
            return try await render(context, errors: [], values: FormBody(parsing: ""), notice: nil)
        }
        router.post("/account/representatives") { request, context in
            try context.require(.manageOwnRepresentatives)
            guard let person = context.actor.personID else { throw AccessDenied(decision: .deny, action: .manageOwnRepresentatives) }
            let form = try await FormBody.read(request)
            do {
                _ = try await identity.grantRepresentation(for: person, .init(representativeEmail: form["email"], relationship: form["relationship"], services: form["services"],
                                                                              scope: form["scope"], starts: form["starts"], ends: form["ends"], evidence: nil),
                                                           by: context.actor, channel: .online)
                return try await render(context, errors: [], values: FormBody(parsing: ""), notice: pages.translator(for: context)("representatives.granted"))
            } catch let error as ValidationError {
                return try await render(context, errors: error.errors, values: form, notice: nil, status: .unprocessableContent)
            }
        }
        router.post("/account/representatives/{id}/revoke") { _, context in
            try context.require(.manageOwnRepresentatives)
            guard let person = context.actor.personID, let id = context.parameters.get("id").flatMap(RepresentationID.init) else { throw HTTPError(.notFound) }
            // Only the person represented can revoke: anyone else's id is simply not found.
            guard try await identity.revokeRepresentation(id, by: person) else { throw HTTPError(.notFound) }
            return try await render(context, errors: [], values: FormBody(parsing: ""), notice: pages.translator(for: context)("representatives.revokedNotice"))
        }
        // Acting for someone: RepresentativeRequests.swift (it needs the catalogue and the requests).
    }

    func render(_ context: AppRequestContext, errors: [FieldError], values: FormBody, notice: String?, status: HTTPResponse.Status = .ok) async throws -> Response {
        guard let person = context.actor.personID else { throw AccessDenied(decision: .deny, action: .manageOwnRepresentatives) }
        let t = pages.translator(for: context)
        let formats = LocaleFormats(language: context.language)
        let now = identity.now
        var given: [RepresentativesPage.Given] = []
        for representation in try await identity.records.representations(of: person) {
            let name = try await identity.people.find(representation.representative)?.person.name ?? "?"
            given.append(.init(id: representation.id.description, representative: name, relationship: t("relationship.\(representation.relationship.rawValue)"),
                               services: representation.services.map { "\($0.key) (\(t("scope.\($0.value.rawValue)")))" }.sorted().joined(separator: ", "),
                               period: "\(formats.dateTime(representation.starts)) – \(formats.dateTime(representation.ends))",
                               active: representation.revokedAt == nil && representation.ends > now))
        }
        var held: [RepresentativesPage.Held] = []
        for representation in try await identity.records.representations(heldBy: person) where representation.revokedAt == nil && representation.ends > now {
            let name = try await identity.people.find(representation.person)?.person.name ?? "?"
            held.append(.init(personID: representation.person.description, person: name,
                              services: representation.services.keys.sorted().map { .init(code: $0, href: "/act-for/\(representation.person)/services/\($0)") },
                              period: "\(formats.dateTime(representation.starts)) – \(formats.dateTime(representation.ends))"))
        }
        let messages = FieldMessages(translate: t, errors: errors)
        let page = RepresentativesPage(
            csrfToken: context.csrfToken, given: given, held: held,
            relationships: Relationship.allCases.map { Option(value: $0.rawValue, label: t("relationship.\($0.rawValue)"), id: "relationship-\($0.rawValue)") },
            errors: messages.summary,
            email: FormField(name: "email", label: t("representatives.email"), type: "email", value: values["email"], error: messages.message(for: "email")),
            services: FormField(name: "services", label: t("representatives.services"), hint: t("representatives.servicesHint"), value: values["services"], error: messages.message(for: "services")),
            notice: notice)
        return pages.render(page, context: context, path: "/account/representatives", status: status)
    }
}
