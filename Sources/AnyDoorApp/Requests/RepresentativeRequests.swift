import AnyDoorCore
import AnyDoorStore
import Foundation
import Hummingbird

/// `/act-for/{person}/services/{service}`: what a representative may do for the person on one service.
struct ActingForPage: PageModel {
    static let template = "acting-for"
    let titleKey = "actingFor.title"
    let person: String
    let service: ShownText
    let serviceCode: String
    let scope: String
    let canAct: Bool
    let applyHref: String?
    let requests: [Row]
    let hasRequests: Bool

    struct Row: Sendable {
        let reference: String
        let href: String
        let status: String
        let updated: String
    }
}

/// Who is looking at a request page, and where its forms post: the person (`/my/requests/…`) or their
/// representative (`/act-for/{person}/requests/…`, with a banner naming the person).
struct RequestViewer: Sendable {
    /// The page's own address; its forms post below it.
    let base: String
    /// The name of the person represented, when a representative is looking.
    let actingFor: String?
    /// Whether the viewer may write, add documents and withdraw (a representative needs `act`).
    let canAct: Bool
    /// The viewer's audit name, so the timeline says "you" for what they did.
    let auditName: String
}

/// A representative (REFERENCE.md section 6, delegation) applies online for the person they represent and
/// follows that person's requests on the services their representation names: the request is the
/// person's, on the person's record; every step records the representative as the actor and the person as
/// the one acted for. `view` shows; `act` also applies, writes, adds documents and withdraws. Revoked or
/// expired representations stop working on the next request.
extension RequestPagesController {
    func addRepresentativeRoutes(to router: Router<AppRequestContext>) {
        router.get("/act-for/{person}/services/{service}") { _, context in
            let (person, service, granted) = try await representation(context, needs: .view)
            let t = pages.translator(for: context)
            let formats = LocaleFormats(language: context.language)
            let published = try await catalogue.published(service)
            try await identity.audit.append(AuditEntry(at: environment.now(), actor: context.actor.auditName, actingFor: "person:\(person.id)", action: "representation.used",
                                                       target: "service:\(service)", channel: .online, detail: "scope: \(granted.rawValue)"))
            let rows = try await requests.list(person: person.id).filter { $0.serviceCode == service }.map {
                ActingForPage.Row(reference: $0.reference.description, href: "/act-for/\(person.id)/requests/\($0.reference)",
                                  status: t("requestStatus.\($0.status.rawValue)"), updated: formats.dateTime($0.updatedAt))
            }
            let canApply = granted == .act && published.map { !$0.retired && $0.document.channels.online != nil } == true
            let page = ActingForPage(
                person: person.name, service: published.map { ShownText($0.document.title, context.language, fallback: service) } ?? ShownText(plain: service),
                serviceCode: service, scope: t("scope.\(granted.rawValue)"), canAct: granted == .act,
                applyHref: canApply ? "/act-for/\(person.id)/services/\(service)/request" : nil, requests: rows, hasRequests: !rows.isEmpty)
            return pages.render(page, context: context, path: "/act-for/\(person.id)/services/\(service)")
        }
        router.get("/act-for/{person}/services/{service}/request") { _, context in
            let (person, code, _) = try await representation(context, needs: .act)
            let service = try await applicable(code)
            return try await renderForm(context, service: service, action: "/act-for/\(person.id)/services/\(code)/request", answers: try await prefill(service, person: person),
                                        description: "", errors: [], staff: false, actingFor: person.name)
        }
        router.post("/act-for/{person}/services/{service}/request") { request, context in
            let (person, code, _) = try await representation(context, needs: .act)
            let service = try await applicable(code)
            let form = try await FormBody.read(request)
            var open = OpenRequest(service: service, personID: person.id, language: context.language, channel: .online, party: .requester,
                                   actor: context.actor.auditName, actingFor: "person:\(person.id)", answers: Self.answers(form, service: service),
                                   description: form["description"])
            do {
                open.attachments = try Self.checkedFiles(form, open: open)
                let created = try await requests.open(open, at: environment.now())
                return Response.redirect(to: "/act-for/\(person.id)/requests/\(created.reference)?done=sent", type: .normal)
            } catch RequestError.invalid(let errors) {
                return try await renderForm(context, service: service, action: "/act-for/\(person.id)/services/\(code)/request", answers: open.answers,
                                            description: form["description"], errors: errors, staff: false, actingFor: person.name, status: .unprocessableContent)
            }
        }
        router.get("/act-for/{person}/requests/{reference}") { request, context in
            let (found, viewer) = try await representedRequest(context, needs: .view)
            return try await renderRequest(context, found, viewer: viewer, errors: [], notice: request.uri.queryParameters.get("done").map { "request.done.\($0)" })
        }
        router.post("/act-for/{person}/requests/{reference}/messages") { request, context in
            let (found, viewer) = try await representedRequest(context, needs: .act)
            let form = try await FormBody.read(request)
            do {
                try await requests.addMessage(found.id, body: form["body"], by: representativeActor(context, found), at: environment.now())
            } catch RequestError.invalid(let errors) {
                return try await renderRequest(context, found, viewer: viewer, errors: errors, notice: nil, status: .unprocessableContent)
            }
            return Response.redirect(to: "\(viewer.base)?done=message", type: .normal)
        }
        router.post("/act-for/{person}/requests/{reference}/attachments") { request, context in
            let (found, viewer) = try await representedRequest(context, needs: .act)
            let form = try await FormBody.read(request)
            if let errors = try await attach(form, to: found, by: representativeActor(context, found)) {
                return try await renderRequest(context, found, viewer: viewer, errors: errors, notice: nil, status: .unprocessableContent)
            }
            return Response.redirect(to: "\(viewer.base)?done=attached#documents", type: .normal)
        }
        router.get("/act-for/{person}/requests/{reference}/attachments/{attachment}") { _, context in
            let (found, _) = try await representedRequest(context, needs: .view)
            return try await download(found, context, audited: true)
        }
        router.post("/act-for/{person}/requests/{reference}/withdraw") { _, context in
            let (found, viewer) = try await representedRequest(context, needs: .act)
            try await step(found, .withdraw, actor: representativeActor(context, found), note: nil)
            return Response.redirect(to: "\(viewer.base)?done=withdrawn", type: .normal)
        }
    }

    /// The person of the path and the service, when the signed-in person's representation grants at least
    /// `needs` on it now (and they meet the service's sign-in requirement, with two factors at least).
    func representation(_ context: AppRequestContext, needs: RepresentationScope) async throws -> (Person, String, RepresentationScope) {
        guard let representative = context.actor.personID else {
            throw AccessDenied(decision: context.actor == .anonymous ? .authenticate : .deny, action: .useOwnAccount)
        }
        guard let id = context.parameters.get("person").flatMap(PersonID.init), let service = context.parameters.get("service") else { throw HTTPError(.notFound) }
        let granted = try await identity.scope(of: representative, for: id, on: service)
        let requirement = try await SQLServiceRequirements(database: identity.database).requirement(for: service)
        try context.require(.actFor(id, service: service, needs: needs, granted: granted, requirement: requirement))
        guard let granted, let person = try await identity.people.find(id)?.person else { throw HTTPError(.notFound) }
        return (person, service, granted)
    }

    /// A request of the person of the path, when the representative's scope on its service is at least `needs`.
    /// Any other request answers 404 like a missing one, whoever it belongs to.
    func representedRequest(_ context: AppRequestContext, needs: RepresentationScope) async throws -> (ServiceRequest, RequestViewer) {
        guard let representative = context.actor.personID else {
            throw AccessDenied(decision: context.actor == .anonymous ? .authenticate : .deny, action: .useOwnAccount)
        }
        guard let id = context.parameters.get("person").flatMap(PersonID.init), let reference = ReferenceNumber(try context.parameters.require("reference")),
              let found = try await requests.find(reference: reference), found.personID == id else { throw HTTPError(.notFound) }
        guard let granted = try await identity.scope(of: representative, for: id, on: found.serviceCode) else { throw HTTPError(.notFound) }
        let requirement = try await SQLServiceRequirements(database: identity.database).requirement(for: found.serviceCode)
        try context.require(.actFor(id, service: found.serviceCode, needs: needs, granted: granted, requirement: requirement))
        let name = try await identity.people.find(id)?.person.name ?? ""
        return (found, RequestViewer(base: "/act-for/\(id)/requests/\(found.reference)", actingFor: name, canAct: granted == .act, auditName: context.actor.auditName))
    }

    func representativeActor(_ context: AppRequestContext, _ request: ServiceRequest) -> RequestActor {
        RequestActor(party: .requester, channel: .online, name: context.actor.auditName, actingFor: request.personID.map { "person:\($0)" })
    }
}
