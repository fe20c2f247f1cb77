import AnyDoorCore
import AnyDoorStore
import Foundation
import Hummingbird

/// Staff work on people's records: find a person, open their record with a stated purpose (logged for
/// the person to see), verify identity in person, record a representation with its evidence.
struct PeopleController: Sendable {
    let identity: IdentityService
    let pages: PageRenderer
    var requests: SQLRequests? = nil
    var counter: CounterStores? = nil

    func addRoutes(to router: Router<AppRequestContext>) {
        router.get("/staff/people") { _, context in
            try context.require(.findPeople)
            return renderFind(context, errors: [])
        }
        router.post("/staff/people/find") { request, context in
            try context.require(.findPeople)
            let form = try await FormBody.read(request)
            guard let account = try await identity.people.find(email: form["email"]) else {
                return renderFind(context, errors: [FieldError(field: "email", code: "noAccount", message: "No account has this email address.")], value: form["email"], status: .notFound)
            }
            return Response.redirect(to: "/staff/people/\(account.person.id)", type: .normal)
        }
        router.get("/staff/people/{id}") { request, context in
            let id = try Self.personID(context)
            // Staff pages: a person, even looking at their own record, uses their account pages instead.
            try context.require(.findPeople)
            try context.require(.viewPerson(id, representation: nil))
            guard let purpose = request.uri.queryParameters["purpose"].flatMap({ AccessPurpose(rawValue: String($0)) }) else {
                return renderPurpose(context, id: id)
            }
            return try await renderRecord(context, id: id, purpose: purpose)
        }
        router.post("/staff/people/{id}/verifications") { request, context in
            let id = try Self.personID(context)
            try context.require(.verifyIdentity)
            guard let staff = context.actor.staffID else { throw AccessDenied(decision: .deny, action: .verifyIdentity) }
            let form = try await FormBody.read(request)
            let verification = IdentityVerification(
                person: id, evidence: (form.values["evidence"] ?? []).compactMap(EvidenceType.init(rawValue:)),
                method: CheckMethod(rawValue: form["method"]) ?? .visualInspection, verified: form["outcome"] == "verified",
                agent: staff, office: form["office"], interpreterPresent: form["interpreter"] == "yes", at: identity.now)
            do {
                let raised = try await identity.recordVerification(verification, by: context.actor)
                let t = pages.translator(for: context)
                return try await renderRecord(context, id: id, purpose: .identityVerification, notice: raised == nil ? t("people.verificationRecorded") : t("people.assuranceRaised"))
            } catch let error as ValidationError {
                return try await renderRecord(context, id: id, purpose: .identityVerification, errors: error.errors, status: .unprocessableContent)
            }
        }
        router.post("/staff/people/{id}/representations") { request, context in
            let id = try Self.personID(context)
            try context.require(.recordRepresentation)
            let form = try await FormBody.read(request)
            do {
                _ = try await identity.grantRepresentation(for: id, .init(representativeEmail: form["email"], relationship: form["relationship"], services: form["services"],
                                                                          scope: form["scope"], starts: form["starts"], ends: form["ends"], evidence: form["proof"]),
                                                           by: context.actor, channel: .inPerson)
                return try await renderRecord(context, id: id, purpose: .servingInPerson, notice: pages.translator(for: context)("people.representationRecorded"))
            } catch let error as ValidationError {
                return try await renderRecord(context, id: id, purpose: .servingInPerson, errors: error.errors, status: .unprocessableContent)
            }
        }
    }

    static func personID(_ context: AppRequestContext) throws -> PersonID {
        guard let id = context.parameters.get("id").flatMap(PersonID.init) else { throw HTTPError(.notFound) }
        return id
    }

    func renderFind(_ context: AppRequestContext, errors: [FieldError], value: String = "", status: HTTPResponse.Status = .ok) -> Response {
        let t = pages.translator(for: context)
        let messages = FieldMessages(translate: t, errors: errors)
        return pages.render(FindPersonPage(csrfToken: context.csrfToken, errors: messages.summary,
                                           email: FormField(name: "email", label: t("signIn.email"), type: "email", value: value, error: messages.message(for: "email"))),
                            context: context, path: "/staff/people", status: status)
    }

    func renderPurpose(_ context: AppRequestContext, id: PersonID) -> Response {
        let t = pages.translator(for: context)
        return pages.render(PurposePage(action: "/staff/people/\(id)", purposes: AccessPurpose.allCases.map {
            Option(value: $0.rawValue, label: t("purpose.\($0.rawValue)"), id: "purpose-\($0.rawValue)")
        }), context: context, path: "/staff/people/\(id)")
    }

    func renderRecord(_ context: AppRequestContext, id: PersonID, purpose: AccessPurpose, notice: String? = nil, errors: [FieldError] = [], status: HTTPResponse.Status = .ok) async throws -> Response {
        guard let account = try await identity.openRecord(id, by: context.actor, purpose: purpose) else { throw HTTPError(.notFound) }
        let t = pages.translator(for: context)
        let formats = LocaleFormats(language: context.language)
        let verifications = try await identity.records.verifications(of: id).map { v in
            PersonRecordPage.Row(when: formats.dateTime(v.at), what: "\(v.verified ? t("people.verified") : t("people.notVerified")): \(v.evidence.map { t("evidence.\($0.rawValue)") }.joined(separator: ", ")) · \(v.office)\(v.interpreterPresent ? " · " + t("people.interpreterPresent") : "")")
        }
        var representatives: [PersonRecordPage.Row] = []
        for representation in try await identity.records.representations(of: id) {
            let name = try await identity.people.find(representation.representative)?.person.name ?? "?"
            representatives.append(.init(when: formats.dateTime(representation.createdAt),
                                         what: "\(name) · \(t("relationship.\(representation.relationship.rawValue)")) · \(representation.services.keys.sorted().joined(separator: ", "))\(representation.revokedAt == nil ? "" : " · " + t("representatives.revoked"))"))
        }
        var page = PersonRecordPage(
            csrfToken: context.csrfToken, id: id.description, name: account.person.name, email: account.person.email,
            assurance: t("assurance.level\(account.person.assurance.rawValue)"), verifications: verifications, representatives: representatives,
            canVerify: AccessPolicy.decide(context.actor, .verifyIdentity) == .allow,
            evidenceTypes: EvidenceType.allCases.map { Option(value: $0.rawValue, label: t("evidence.\($0.rawValue)"), id: "evidence-\($0.rawValue)") },
            methods: CheckMethod.allCases.map { Option(value: $0.rawValue, label: t("method.\($0.rawValue)"), id: "method-\($0.rawValue)") },
            relationships: Relationship.allCases.map { Option(value: $0.rawValue, label: t("relationship.\($0.rawValue)"), id: "relationship-\($0.rawValue)") },
            errors: FieldMessages(translate: t, errors: errors).summary, notice: notice)
        page.canOpenRequest = AccessPolicy.decide(context.actor, .serveRequest) == .allow
        page.requests = try await requests?.list(person: id).map {
            Option(value: $0.reference.description, label: t("requestStatus.\($0.status.rawValue)"), id: "request-\($0.reference)")
        } ?? []
        if let counter {
            var history: [(Date, String)] = []
            let offices = Dictionary(uniqueKeysWithValues: try await counter.offices.list().map { ($0.office.id, $0.office) })
            for ticket in try await counter.queue.tickets(of: id) {
                history.append((ticket.checkedInAt, "\(t("personRecord.visit")) · \(offices[ticket.office]?.name(t) ?? "") · \(ticket.label) · \(t("ticketStatus.\(ticket.status.rawValue)"))"))
            }
            for appointment in try await counter.appointments.appointments(of: id) {
                history.append((appointment.start, "\(t("personRecord.appointment")) · \(offices[appointment.office]?.name(t) ?? "") · \(try await counter.title(appointment.service, context.language).text) · \(t("appointmentStatus.\(appointment.status.rawValue)"))"))
            }
            for contact in try await counter.contactCentre.contacts(of: id) {
                history.append((contact.startedAt, "\(t("personRecord.call")) · \(t("contact.reason.\(contact.reason)")) · \(t("callOutcome.\(contact.outcome.rawValue)"))"))
            }
            page.counterHistory = history.sorted { $0.0 > $1.0 }.map { PersonRecordPage.Row(when: formats.dateTime($0.0), what: $0.1) }
        }
        return pages.render(page, context: context, path: "/staff/people/\(id)", status: status)
    }
}
