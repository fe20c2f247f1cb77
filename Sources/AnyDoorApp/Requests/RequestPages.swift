import AnyDoorCore
import AnyDoorStore
import Foundation
import Hummingbird

/// One question of a service's form as a page shows it.
struct QuestionView: Sendable {
    struct Choice: Sendable {
        let value: String
        let label: ShownText
        let id: String
        let checked: Bool
    }

    let name: String
    let id: String
    let label: ShownText
    let hint: ShownText?
    let optional: Bool
    let value: String
    let error: String?
    let describedBy: String?
    let isText: Bool
    let isLong: Bool
    let isNumber: Bool
    let isDate: Bool
    let isChoice: Bool
    let isMultiple: Bool
    let choices: [Choice]
}

/// `/services/{code}/request` and the staff form that opens a request for a person.
struct RequestFormPage: PageModel {
    static let template = "request-form"
    let titleKey = "requestForm.title"
    let csrfToken: String
    let action: String
    let service: ShownText
    let serviceCode: String
    let questions: [QuestionView]
    let description: FormField
    let prefilled: Bool
    let channels: [Option]
    let upload: FileField
    let errors: ErrorSummary
    let isStaff: Bool
    /// The person a representative is applying for.
    let actingFor: String?
}

/// `/life-events/{code}/apply`: several services at once (a bundle): choose, then one form with each one's questions.
struct BundleFormPage: PageModel {
    static let template = "bundle-form"
    let titleKey = "bundle.title"
    let csrfToken: String
    let lifeEvent: String
    let heading: ShownText
    let choices: [Choice]
    let chooseError: String?
    let chosen: Bool
    let sections: [Section]
    let errors: ErrorSummary

    struct Choice: Sendable {
        let code: String
        let title: ShownText
    }

    struct Section: Sendable {
        let code: String
        let title: ShownText
        let questions: [QuestionView]
    }
}

/// `/my/requests`.
struct MyRequestsPage: PageModel {
    static let template = "my-requests"
    let titleKey = "myRequests.title"
    let rows: [Row]
    let hasRows: Bool
    let notice: String?

    struct Row: Sendable {
        let reference: String
        let service: ShownText
        let status: String
        let updated: String
    }
}

/// One line of a request's timeline.
struct TimelineRow: Sendable {
    let when: String
    let what: String
    let who: String
    let channel: String
    let note: String?
}

/// `/my/requests/{reference}`: status, what happens next and when, the timeline and the conversation.
struct RequestPage: PageModel {
    static let template = "request"
    let titleKey = "request.title"
    let csrfToken: String
    let base: String
    let actingFor: String?
    let reference: String
    let referenceText: String
    let service: ShownText
    let status: String
    let next: String
    let due: String?
    let overdue: Bool
    let note: String?
    let answers: [Answer]
    let timeline: [TimelineRow]
    let together: [Together]
    let hasTogether: Bool
    let canWrite: Bool
    let canWithdraw: Bool
    let message: FormField
    let attachments: [AttachmentRow]
    let hasAttachments: Bool
    let upload: UploadForm?
    let errors: ErrorSummary
    let notice: String?

    struct Answer: Sendable {
        let question: ShownText
        let value: String
    }

    struct Together: Sendable {
        let reference: String
        let service: ShownText
    }
}

/// `/staff/requests`: the worklist.
struct StaffRequestsPage: PageModel {
    static let template = "staff-requests"
    let titleKey = "staffRequests.title"
    let csrfToken: String
    let reference: FormField
    let services: [Filter]
    let statuses: [Filter]
    let overdueOnly: Bool
    let ages: [Filter]
    let bulkSteps: [Option]

    /// A filter's choice, marked when it is the one in force (so the form shows what the list is filtered by).
    struct Filter: Sendable {
        let value: String
        let label: String
        let selected: Bool
    }
    let rows: [Row]
    let notice: String?
    let hasRows: Bool

    struct Row: Sendable {
        let reference: String
        let selectLabel: String
        let service: ShownText
        let status: String
        let age: String
        let due: String
        let overdue: Bool
        let assigned: String
    }
}

/// `/staff/requests/{reference}`.
struct StaffRequestPage: PageModel {
    static let template = "staff-request"
    let titleKey = "staffRequest.title"
    let csrfToken: String
    let reference: String
    let service: ShownText
    let status: String
    let due: String?
    let overdue: Bool
    let person: String?
    let personLink: String?
    let answers: [RequestPage.Answer]
    let description: String?
    let timeline: [TimelineRow]
    let steps: [Option]
    let hasSteps: Bool
    let note: FormField
    let canServe: Bool
    let channels: [Option]
    let contactNote: FormField
    let attachments: [AttachmentRow]
    let hasAttachments: Bool
    let upload: UploadForm?
    let errors: ErrorSummary
    let notice: String?
}

/// `/staff/people/{id}/requests/new`: choose the service first.
struct ChooseServicePage: PageModel {
    static let template = "staff-open-request"
    let titleKey = "staffOpen.title"
    let action: String
    let services: [Option]
    let person: String
}

/// `/staff/webhooks`: receivers and dead letters, with replay.
struct WebhooksPage: PageModel {
    static let template = "webhooks"
    let titleKey = "webhooks.title"
    let csrfToken: String
    let endpoints: [Endpoint]
    let dead: [Event]
    let notice: String?
    let hasDead: Bool

    struct Endpoint: Sendable {
        let id: String
        let url: String
        let state: String
        let disabled: Bool
    }

    struct Event: Sendable {
        let id: String
        let type: String
        let reference: String
        let answer: String
        let attempts: String
    }
}

/// The people's and staff's pages of requests (issue 6): a person applies online and follows their requests;
/// contact-centre and counter staff open requests for a person and record every contact on the same record;
/// caseworkers work their ministry's list. Every step goes through `RequestWorkflow` and is audited.
struct RequestPagesController: Sendable {
    let requests: SQLRequests
    let catalogue: SQLCatalogue
    let ministries: MinistryService
    let identity: IdentityService
    let outbox: WebhookOutbox
    let profiles: SQLProfiles
    let pages: PageRenderer
    let environment: AnyDoorCore.Environment

    func addRoutes(to router: Router<AppRequestContext>) {
        addAttachmentRoutes(to: router)
        addRepresentativeRoutes(to: router)
        router.get("/services/{code}/request") { _, context in
            let service = try await applicable(context)
            let person = try await personFor(context, service: service)
            return try await renderForm(context, service: service, action: "/services/\(service.code)/request", answers: try await prefill(service, person: person), description: "", errors: [], staff: false)
        }
        router.post("/services/{code}/request") { request, context in
            let service = try await applicable(context)
            let person = try await personFor(context, service: service)
            let form = try await FormBody.read(request)
            var open = OpenRequest(service: service, personID: person.id, language: context.language, channel: .online, party: .requester,
                                   actor: context.actor.auditName, answers: Self.answers(form, service: service), description: form["description"])
            do {
                open.attachments = try Self.checkedFiles(form, open: open)
                let created = try await requests.open(open, at: environment.now())
                return Response.redirect(to: "/my/requests/\(created.reference)?done=sent", type: .normal)
            } catch RequestError.invalid(let errors) {
                return try await renderForm(context, service: service, action: "/services/\(service.code)/request", answers: open.answers, description: form["description"],
                                            errors: errors, staff: false, status: .unprocessableContent)
            }
        }
        router.get("/life-events/{code}/apply") { request, context in
            let (event, services) = try await bundleServices(context)
            let wanted = Self.values("service", in: request.uri.query ?? "")
            if request.uri.query?.contains("service=") == true, wanted.isEmpty || !wanted.allSatisfy({ code in services.contains { $0.code == code } }) {
                return try await renderBundle(context, event: event, services: services, chosen: [], answers: [:], errors: [FieldError(field: "bundle", code: "required", message: "")])
            }
            let person = try await identity.people.find(try context.ownPerson())?.person
            var answers: [String: RequestAnswers] = [:]
            for service in services where wanted.contains(service.code) { answers[service.code] = try await person.asyncFlatMap { try await prefill(service, person: $0) } ?? RequestAnswers() }
            return try await renderBundle(context, event: event, services: services, chosen: wanted, answers: answers, errors: [])
        }
        router.post("/life-events/{code}/apply") { request, context in
            let (event, services) = try await bundleServices(context)
            let person = try context.ownPerson()
            let form = try await FormBody.read(request)
            let wanted = form.values["service"] ?? []
            let chosen = services.filter { wanted.contains($0.code) }
            guard !chosen.isEmpty, chosen.count == Set(wanted).count else {
                return try await renderBundle(context, event: event, services: services, chosen: [], answers: [:], errors: [FieldError(field: "bundle", code: "required", message: "")],
                                              status: .unprocessableContent)
            }
            let opens = chosen.map { service in
                OpenRequest(service: service, personID: person, language: context.language, channel: .online, party: .requester, actor: context.actor.auditName,
                            answers: Self.answers(form, service: service, prefix: "\(service.code)/"))
            }
            do {
                let created = try await requests.openBundle(lifeEvent: event.code, person: person, opens, at: environment.now())
                return Response.redirect(to: "/my/requests?sent=\(created.count)", type: .normal)
            } catch RequestError.invalid(let errors) {
                return try await renderBundle(context, event: event, services: services, chosen: chosen.map(\.code),
                                              answers: Dictionary(uniqueKeysWithValues: opens.map { ($0.service.code, $0.answers) }), errors: errors, status: .unprocessableContent)
            }
        }
        router.get("/my/requests") { request, context in
            let person = try context.ownPerson()
            var rows: [MyRequestsPage.Row] = []
            let formats = LocaleFormats(language: context.language)
            let t = pages.translator(for: context)
            for request in try await requests.list(person: person) {
                rows.append(.init(reference: request.reference.description, service: try await serviceTitle(request.serviceCode, context.language),
                                  status: t("requestStatus.\(request.status.rawValue)"), updated: formats.dateTime(request.updatedAt)))
            }
            let sent = request.uri.queryParameters.get("sent").flatMap { Int($0) }.map { t.format("bundle.sent", ["count": String($0)]) }
            return pages.render(MyRequestsPage(rows: rows, hasRows: !rows.isEmpty, notice: sent), context: context, path: "/my/requests")
        }
        router.get("/my/requests/{reference}") { request, context in
            let found = try await ownRequest(context)
            return try await renderRequest(context, found, errors: [], notice: request.uri.queryParameters.get("done").map { "request.done.\($0)" })
        }
        router.post("/my/requests/{reference}/messages") { request, context in
            let found = try await ownRequest(context)
            let form = try await FormBody.read(request)
            do {
                try await requests.addMessage(found.id, body: form["body"], by: RequestActor(party: .requester, channel: .online, name: context.actor.auditName), at: environment.now())
            } catch RequestError.invalid(let errors) {
                return try await renderRequest(context, found, errors: errors, notice: nil, status: .unprocessableContent)
            }
            return Response.redirect(to: "/my/requests/\(found.reference)?done=message", type: .normal)
        }
        router.post("/my/requests/{reference}/withdraw") { _, context in
            let found = try await ownRequest(context)
            try await step(found, .withdraw, actor: RequestActor(party: .requester, channel: .online, name: context.actor.auditName), note: nil)
            return Response.redirect(to: "/my/requests/\(found.reference)?done=withdrawn", type: .normal)
        }

        router.get("/staff/requests") { request, context in
            try context.require(.readRequestWork)
            if let text = request.formParameter("reference"), !text.isEmpty {
                if let reference = ReferenceNumber(text), let found = try await requests.find(reference: reference), try await mayOpen(found, context) {
                    return Response.redirect(to: "/staff/requests/\(found.reference)", type: .normal)
                }
                return try await renderWorklist(context, request: request, notFound: text)
            }
            return try await renderWorklist(context, request: request, notFound: nil)
        }
        // Bulk actions on the selected requests of the worklist: assign to me, or one workflow step for all. Only
        // the ministry's caseworkers act; a request that cannot take the step is left as it is and counted.
        router.post("/staff/requests/bulk") { request, context in
            try context.require(.readRequestWork)
            guard let staff = context.actor.staffID else { throw AccessDenied(decision: .deny, action: .readRequestWork) }
            let form = try await FormBody.read(request)
            let action = form["action"].isEmpty ? "assign" : form["action"]
            let step = RequestTransition(rawValue: action)
            guard action == "assign" || (step.map { Self.bulkSteps.contains($0) } ?? false) else { throw HTTPError(.badRequest) }
            let actor = RequestActor(party: .ministry, channel: .online, name: context.actor.auditName)
            var done = 0, skipped = 0
            for text in Set(form.values["selected"] ?? []) {
                guard let reference = ReferenceNumber(text), let found = try await requests.find(reference: reference),
                      try await party(for: found, context) == .ministry else { skipped += 1; continue }
                if let step {
                    do { try await requests.transition(found.id, step, by: actor, note: nil, at: environment.now()) } catch is RequestError { skipped += 1; continue }
                } else {
                    try await requests.assign(found.id, to: staff, by: actor, at: environment.now())
                }
                done += 1
            }
            return Response.redirect(to: "/staff/requests?\(step == nil ? "assigned" : "stepped")=\(done)&skipped=\(skipped)", type: .normal)
        }
        router.get("/staff/requests/{reference}") { request, context in
            let found = try await staffRequest(context)
            return try await renderStaffRequest(context, found, errors: [], notice: request.uri.queryParameters.get("done").map { "staffRequest.done.\($0)" })
        }
        router.post("/staff/requests/{reference}/steps") { request, context in
            let found = try await staffRequest(context)
            let form = try await FormBody.read(request)
            guard let party = try await party(for: found, context), let step = RequestTransition(rawValue: form["step"]) else {
                return try await renderStaffRequest(context, found, errors: [FieldError(field: "step", code: "required", message: "Choose a step.")], notice: nil, status: .unprocessableContent)
            }
            let channel = party == .frontline ? Self.channel(form["channel"], context) : .online
            do {
                try await requests.transition(found.id, step, by: RequestActor(party: party, channel: channel, name: context.actor.auditName, actingFor: found.personID.map { "person:\($0)" }),
                                              note: form["note"], at: environment.now())
            } catch RequestError.refused(.noteRequired) {
                return try await renderStaffRequest(context, found, errors: [FieldError(field: "note", code: "required", message: "Give a reason.")], notice: nil, status: .unprocessableContent)
            } catch RequestError.refused {
                return try await renderStaffRequest(context, found, errors: [FieldError(field: "step", code: "required", message: "Choose a step.")], notice: nil, status: .conflict)
            } catch RequestError.invalid(let errors) {
                return try await renderStaffRequest(context, found, errors: errors, notice: nil, status: .unprocessableContent)
            }
            return Response.redirect(to: "/staff/requests/\(found.reference)?done=step", type: .normal)
        }
        router.post("/staff/requests/{reference}/contacts") { request, context in
            let found = try await staffRequest(context)
            try context.require(.serveRequest)
            let form = try await FormBody.read(request)
            try await requests.recordContact(found.id, note: String(form["note"].prefix(RequestAnswers.textLimit)),
                                             by: RequestActor(party: .frontline, channel: Self.channel(form["channel"], context), name: context.actor.auditName,
                                                              actingFor: found.personID.map { "person:\($0)" }), at: environment.now())
            return Response.redirect(to: "/staff/requests/\(found.reference)?done=contact", type: .normal)
        }
        router.get("/staff/people/{id}/requests/new") { request, context in
            try context.require(.serveRequest)
            let person = try await servedPerson(context)
            if let code = request.uri.queryParameters.get("service"), let service = try await catalogue.published(code), !service.retired {
                return try await renderForm(context, service: service.document, action: "/staff/people/\(person.id)/requests/new?service=\(service.code)",
                                            answers: try await prefill(service.document, person: person), description: "", errors: [], staff: true)
            }
            let services = try await catalogue.listPublished().map { Option(value: $0.code, label: ShownText($0.document.title, context.language, fallback: $0.code).text, id: "service-\($0.code)") }
            return pages.render(ChooseServicePage(action: "/staff/people/\(person.id)/requests/new", services: services, person: person.name),
                                context: context, path: "/staff/people/\(person.id)/requests/new")
        }
        router.post("/staff/people/{id}/requests/new") { request, context in
            try context.require(.serveRequest)
            let person = try await servedPerson(context)
            guard let code = request.uri.queryParameters.get("service"), let service = try await catalogue.published(code), !service.retired else { throw HTTPError(.notFound) }
            let form = try await FormBody.read(request)
            var open = OpenRequest(service: service.document, personID: person.id, language: person.preferredLanguage, channel: Self.channel(form["channel"], context),
                                   party: .frontline, actor: context.actor.auditName, actingFor: "person:\(person.id)",
                                   answers: Self.answers(form, service: service.document), description: form["description"])
            do {
                open.attachments = try Self.checkedFiles(form, open: open)
                let created = try await requests.open(open, at: environment.now())
                return Response.redirect(to: "/staff/requests/\(created.reference)?done=opened", type: .normal)
            } catch RequestError.invalid(let errors) {
                return try await renderForm(context, service: service.document, action: "/staff/people/\(person.id)/requests/new?service=\(service.code)",
                                            answers: open.answers, description: form["description"], errors: errors, staff: true, status: .unprocessableContent)
            }
        }
        router.get("/staff/webhooks") { request, context in
            try context.require(.manageAPIKeys)
            return try await renderWebhooks(context, notice: request.uri.queryParameters.get("done").map { "webhooks.done.\($0)" })
        }
        router.post("/staff/webhooks/events/{event}/replay") { _, context in
            try context.require(.manageAPIKeys)
            do {
                try await outbox.replay(try context.parameters.require("event"), actor: context.actor.auditName, at: environment.now())
            } catch is RequestError {
                throw HTTPError(.notFound)
            }
            return Response.redirect(to: "/staff/webhooks?done=replayed", type: .normal)
        }
        router.post("/staff/webhooks/endpoints/{endpoint}/enable") { _, context in
            try context.require(.manageAPIKeys)
            let id = try context.parameters.require("endpoint")
            guard try await outbox.endpoints().contains(where: { $0.id == id }) else { throw HTTPError(.notFound) }
            try await outbox.enable(id, actor: context.actor.auditName, at: environment.now())
            return Response.redirect(to: "/staff/webhooks?done=enabled", type: .normal)
        }
    }

    // MARK: Who and what

    /// The life event of the path and its services the signed-in person can apply for online.
    func bundleServices(_ context: AppRequestContext) async throws -> (LifeEvent, [ServiceDescription]) {
        let code = try context.parameters.require("code")
        guard let event = try await catalogue.lifeEvent(code) else { throw HTTPError(.notFound) }
        _ = try context.ownPerson()
        let services = try await catalogue.listPublished(CatalogueFilter(lifeEvent: code)).map(\.document).filter {
            $0.channels.online != nil && AccessPolicy.decide(context.actor, .useService($0.code, requirement: $0.requirement)) == .allow
        }
        return (event, services)
    }

    /// Every value of a repeated query parameter (`service=a&service=b`), form-decoded.
    static func values(_ name: String, in query: String) -> [String] {
        FormBody(parsing: query).values[name] ?? []
    }

    func renderBundle(_ context: AppRequestContext, event: LifeEvent, services: [ServiceDescription], chosen: [String], answers: [String: RequestAnswers],
                      errors: [FieldError], status: HTTPResponse.Status = .ok) async throws -> Response {
        let t = pages.translator(for: context)
        let messages = FieldMessages(translate: t, errors: errors)
        let sections = services.filter { chosen.contains($0.code) }.map { service in
            BundleFormPage.Section(code: service.code, title: ShownText(service.title, context.language, fallback: service.code),
                                   questions: Self.questions(service, answers: answers[service.code] ?? RequestAnswers(), messages: messages, language: context.language,
                                                             prefix: "\(service.code)/"))
        }
        let page = BundleFormPage(
            csrfToken: context.csrfToken, lifeEvent: event.code, heading: ShownText(event.title, context.language, fallback: event.code),
            choices: services.map { .init(code: $0.code, title: ShownText($0.title, context.language, fallback: $0.code)) },
            chooseError: messages.message(for: "bundle"), chosen: !sections.isEmpty, sections: sections, errors: messages.summary)
        return pages.render(page, context: context, path: "/life-events/\(event.code)/apply", status: status)
    }

    /// The published service of the path, if it can be applied for online.
    func applicable(_ context: AppRequestContext) async throws -> ServiceDescription {
        try await applicable(try context.parameters.require("code"))
    }

    /// The published service named `code`, if it can be applied for online.
    func applicable(_ code: String) async throws -> ServiceDescription {
        guard let service = try await catalogue.published(code), !service.retired, service.document.channels.online != nil else { throw HTTPError(.notFound) }
        return service.document
    }

    /// The signed-in person, if they meet the service's identity and sign-in requirement.
    func personFor(_ context: AppRequestContext, service: ServiceDescription) async throws -> Person {
        try context.require(.useService(service.code, requirement: service.requirement))
        guard let id = context.actor.personID, let account = try await identity.people.find(id) else { throw AccessDenied(decision: .authenticate, action: .readPublic) }
        return account.person
    }

    /// The person's own request named in the path; someone else's answers 404 like a missing one.
    func ownRequest(_ context: AppRequestContext) async throws -> ServiceRequest {
        let person = try context.ownPerson()
        guard let reference = ReferenceNumber(try context.parameters.require("reference")), let found = try await requests.find(reference: reference),
              found.personID == person else { throw HTTPError(.notFound) }
        return found
    }

    func servedPerson(_ context: AppRequestContext) async throws -> Person {
        let id = try PeopleController.personID(context)
        try context.require(.viewPerson(id, representation: nil))
        guard let account = try await identity.people.find(id) else { throw HTTPError(.notFound) }
        return account.person
    }

    /// How a member of staff takes part in a request: as its ministry (a caseworker of that ministry) or
    /// as front-line staff serving the person; `nil` when neither.
    func party(for request: ServiceRequest, _ context: AppRequestContext) async throws -> RequestParty? {
        if let ministry = try await MinistryCode(request.ministryCode).asyncFlatMap({ try await ministries.find(code: $0) }),
           AccessPolicy.decide(context.actor, .decideRequest(ministry: ministry.id)) == .allow {
            return .ministry
        }
        return AccessPolicy.decide(context.actor, .serveRequest) == .allow ? .frontline : nil
    }

    func mayOpen(_ request: ServiceRequest, _ context: AppRequestContext) async throws -> Bool {
        try await party(for: request, context) != nil
    }

    func staffRequest(_ context: AppRequestContext) async throws -> ServiceRequest {
        try context.require(.readRequestWork)
        guard let reference = ReferenceNumber(try context.parameters.require("reference")), let found = try await requests.find(reference: reference),
              try await mayOpen(found, context) else { throw HTTPError(.notFound) }
        return found
    }

    /// "Open for more than" choices on the worklist, in days.
    static let ageFilters = [7, 14, 30, 90]

    /// The steps the worklist can take for several requests at once (those that need no reason).
    static let bulkSteps: [RequestTransition] = [.receive, .start]

    /// Front-line staff say how the person reached them; by default the door their role serves.
    static func channel(_ value: String, _ context: AppRequestContext) -> Channel {
        if value == Channel.phone.rawValue { return .phone }
        if value == Channel.inPerson.rawValue { return .inPerson }
        return context.actor.holds(.contactCentreAgent) ? .phone : .inPerson
    }

    func step(_ request: ServiceRequest, _ step: RequestTransition, actor: RequestActor, note: String?) async throws {
        do {
            try await requests.transition(request.id, step, by: actor, note: note, at: environment.now())
        } catch RequestError.refused(let refusal) {
            throw Problem(.conflict, slug: "transition-not-allowed", title: "Step not allowed", detail: refusal.description)
        }
    }

    // MARK: Forms

    /// The form's documents, checked; throws every problem of the answers and the documents together.
    static func checkedFiles(_ form: FormBody, open: OpenRequest) throws(RequestError) -> [CheckedAttachment] {
        switch AttachmentRules.check(form.files["attachments"] ?? []) {
        case .success(let files):
            return files
        case .failure(let error):
            throw RequestError.invalid(open.problems() + error.errors)
        }
    }

    /// Answers from a form: one value per field, several for a multi-value list.
    static func answers(_ form: FormBody, service: ServiceDescription, prefix: String = "") -> RequestAnswers {
        var values: [String: [String]] = [:]
        for field in service.fields { values[field.code] = form.values[prefix + "answers.\(field.code)"] ?? [] }
        return RequestAnswers(values)
    }

    /// "Tell us once": what the person's record and profile already say fill the questions that ask for it.
    func prefill(_ service: ServiceDescription, person: Person) async throws -> RequestAnswers {
        let profile = try await profiles.profile(of: person.id)
        var values: [String: [String]] = [:]
        for field in service.fields {
            var known: String?
            switch (field.datatype, field.code) {
            case (.string, "name"), (.string, "full-name"), (.string, "applicant-name"), (.string, "name-on-record"): known = person.name
            case (.string, "email"), (.string, "contact-email"): known = person.email
            case (.string, "phone"), (.string, "contact-phone"): known = profile.phone
            case (.string, "address"), (.string, "street-address"), (.string, "home-address"), (.string, "property-address"), (.text, "address"):
                known = profile.address.map { "\($0.street), \($0.city) \($0.postalCode)" }
            case (.string, "postal-code"): known = profile.address?.postalCode
            case (.string, "community"), (.string, "city"): known = profile.address?.city
            case (.datetime, "date-of-birth"), (.datetime, "birth-date"): known = profile.dateOfBirth
            default: break
            }
            if let known { values[field.code] = [known] }
        }
        return RequestAnswers(values)
    }

    /// The service's questions as a page shows them; `prefix` tells apart the services of a bundle form.
    static func questions(_ service: ServiceDescription, answers: RequestAnswers, messages: FieldMessages, language: LanguageCode, prefix: String = "") -> [QuestionView] {
        service.fields.map { field -> QuestionView in
            let name = prefix + "answers.\(field.code)", id = "field-" + name.replacingOccurrences(of: ".", with: "-")
            let error = messages.message(for: name)
            let hint = field.help.values.isEmpty ? nil : ShownText(field.help, language)
            let described = [hint == nil ? nil : id + "-hint", error == nil ? nil : id + "-error"].compactMap { $0 }
            let given = answers[field.code]
            return QuestionView(
                name: name, id: id, label: ShownText(field.label, language, fallback: field.code), hint: hint, optional: !field.required,
                value: given.first ?? "", error: error, describedBy: described.isEmpty ? nil : described.joined(separator: " "),
                isText: field.datatype == .string, isLong: field.datatype == .text, isNumber: field.datatype == .number, isDate: field.datatype == .datetime,
                isChoice: field.datatype.isList, isMultiple: field.datatype == .multivaluelist,
                choices: field.values.map { .init(value: $0.key, label: ShownText($0.name, language, fallback: $0.key), id: "\(id)-\($0.key)", checked: given.contains($0.key)) })
        }
    }

    func renderForm(_ context: AppRequestContext, service: ServiceDescription, action: String, answers: RequestAnswers, description: String,
                    errors: [FieldError], staff: Bool, actingFor: String? = nil, status: HTTPResponse.Status = .ok) async throws -> Response {
        let t = pages.translator(for: context)
        let messages = FieldMessages(translate: t, errors: errors)
        let questions = Self.questions(service, answers: answers, messages: messages, language: context.language)
        let channels = staff ? [Channel.phone, .inPerson].map { Option(value: $0.rawValue, label: t("channel.\($0.rawValue)"), id: "channel-\($0.rawValue)") } : []
        let page = RequestFormPage(
            csrfToken: context.csrfToken, action: action, service: ShownText(service.title, context.language, fallback: service.code), serviceCode: service.code,
            questions: questions,
            description: FormField(name: "description", label: t("requestForm.description"), value: description, error: messages.message(for: "description")),
            prefilled: errors.isEmpty && !answers.values.isEmpty, channels: channels, upload: fileField(t, messages), errors: messages.summary, isStaff: staff,
            actingFor: actingFor)
        return pages.render(page, context: context, path: action, status: status)
    }

    // MARK: Showing

    func serviceTitle(_ code: String, _ language: LanguageCode) async throws -> ShownText {
        guard let service = try await catalogue.published(code) else { return ShownText(plain: code) }
        return ShownText(service.document.title, language, fallback: code)
    }

    /// `staff`: staff see their own contact notes; the person sees what was said to them and by them.
    func timeline(_ request: ServiceRequest, t: Translator, formats: LocaleFormats, staff: Bool = false, viewer: String? = nil) async throws -> [TimelineRow] {
        try await requests.timeline(request.id).map { event in
            let what: String
            switch event.kind {
            case .transition: what = t("requestStatus.\((event.to ?? request.status).rawValue)")
            default: what = t("request.event.\(event.kind.rawValue)")
            }
            let who: String
            switch event.party {
            // The viewer's own steps are "you"; a representative's, and the applicant's when someone else looks, are named so.
            case .requester: who = t(event.actor == viewer ? "request.byYou" : event.actingFor != nil ? "request.byRepresentative" : "request.byApplicant")
            case .ministry: who = t("request.byMinistry")
            case .frontline: who = t("request.byServiceBC")
            }
            let internalNote = event.kind == .contact || event.kind == .assigned
            return TimelineRow(when: formats.dateTime(event.at), what: what, who: who, channel: t("channel.\(event.channel.rawValue)"),
                               note: internalNote && !(staff && event.kind == .contact) ? nil : event.note)
        }
    }

    func answerRows(_ request: ServiceRequest, language: LanguageCode) async throws -> [RequestPage.Answer] {
        let fields = try await catalogue.published(request.serviceCode)?.document.fields ?? []
        return fields.compactMap { field in
            let given = request.answers[field.code]
            guard !given.isEmpty else { return nil }
            let shown = given.map { value in field.values.first { $0.key == value }.map { ShownText($0.name, language, fallback: value).text } ?? value }
            return .init(question: ShownText(field.label, language, fallback: field.code), value: shown.joined(separator: ", "))
        }
    }

    func renderRequest(_ context: AppRequestContext, _ request: ServiceRequest, viewer: RequestViewer? = nil, errors: [FieldError], notice: String?,
                       status: HTTPResponse.Status = .ok) async throws -> Response {
        let viewer = viewer ?? RequestViewer(base: "/my/requests/\(request.reference)", actingFor: nil, canAct: true, auditName: context.actor.auditName)
        let t = pages.translator(for: context)
        let formats = LocaleFormats(language: context.language)
        let messages = FieldMessages(translate: t, errors: errors)
        let now = environment.now()
        let attachments = try await attachmentRows(request, base: viewer.base, t: t, formats: formats)
        let page = RequestPage(
            csrfToken: context.csrfToken, base: viewer.base, actingFor: viewer.actingFor, reference: request.reference.description,
            referenceText: t.format("request.referenceText", ["reference": request.reference.description]),
            service: try await serviceTitle(request.serviceCode, context.language), status: t("requestStatus.\(request.status.rawValue)"),
            next: t("request.next.\(request.status.rawValue)"),
            due: request.status.isPending ? request.dueAt.map { t.format("request.dueText", ["date": formats.date($0)]) } : nil,
            overdue: request.isOverdue(at: now), note: request.statusNote,
            answers: try await answerRows(request, language: context.language), timeline: try await timeline(request, t: t, formats: formats, viewer: viewer.auditName),
            together: try await together(request, language: context.language),
            hasTogether: request.bundleID != nil,
            canWrite: viewer.canAct && !request.status.isFinal && request.status != .draft,
            canWithdraw: viewer.canAct && RequestWorkflow.available(from: request.status, to: .requester).contains(.withdraw),
            message: FormField(name: "body", label: t("request.messageLabel"), error: messages.message(for: "body")),
            attachments: attachments, hasAttachments: !attachments.isEmpty,
            upload: !viewer.canAct || request.status.isFinal ? nil : UploadForm(action: "\(viewer.base)/attachments", field: fileField(t, messages)),
            errors: messages.summary, notice: notice.map { t($0) })
        return pages.render(page, context: context, path: viewer.base, status: status)
    }

    func together(_ request: ServiceRequest, language: LanguageCode) async throws -> [RequestPage.Together] {
        var rows: [RequestPage.Together] = []
        for other in try await requests.bundled(with: request) {
            rows.append(.init(reference: other.reference.description, service: try await serviceTitle(other.serviceCode, language)))
        }
        return rows
    }

    func renderStaffRequest(_ context: AppRequestContext, _ request: ServiceRequest, errors: [FieldError], notice: String?, status: HTTPResponse.Status = .ok) async throws -> Response {
        let t = pages.translator(for: context)
        let formats = LocaleFormats(language: context.language)
        let messages = FieldMessages(translate: t, errors: errors)
        let party = try await party(for: request, context) ?? .frontline
        var person: Person?
        if let id = request.personID { person = try await identity.people.find(id)?.person }
        let attachments = try await attachmentRows(request, base: "/staff/requests/\(request.reference)", t: t, formats: formats)
        let steps = RequestWorkflow.available(from: request.status, to: party).map { Option(value: $0.rawValue, label: t("step.\($0.rawValue)"), id: "step-\($0.rawValue)") }
        let page = StaffRequestPage(
            csrfToken: context.csrfToken, reference: request.reference.description, service: try await serviceTitle(request.serviceCode, context.language),
            status: t("requestStatus.\(request.status.rawValue)"), due: request.dueAt.map { formats.date($0) }, overdue: request.isOverdue(at: environment.now()),
            person: person?.name, personLink: person.map { "/staff/people/\($0.id)" },
            answers: try await answerRows(request, language: context.language), description: request.description,
            timeline: try await timeline(request, t: t, formats: formats, staff: true),
            steps: steps, hasSteps: !steps.isEmpty,
            note: FormField(name: "note", label: t("staffRequest.note"), error: messages.message(for: "note")),
            canServe: party == .frontline,
            channels: [Channel.phone, .inPerson].map { Option(value: $0.rawValue, label: t("channel.\($0.rawValue)"), id: "contact-channel-\($0.rawValue)") },
            contactNote: FormField(name: "note", label: t("staffRequest.contactNote")),
            attachments: attachments, hasAttachments: !attachments.isEmpty,
            upload: request.status.isFinal ? nil : UploadForm(action: "/staff/requests/\(request.reference)/attachments", field: fileField(t, messages)),
            errors: messages.summary, notice: notice.map { t($0) })
        return pages.render(page, context: context, path: "/staff/requests/\(request.reference)", status: status)
    }

    func renderWorklist(_ context: AppRequestContext, request: Request, notFound: String?) async throws -> Response {
        let t = pages.translator(for: context)
        let formats = LocaleFormats(language: context.language)
        let now = environment.now()
        var filter = SQLRequests.Filter()
        filter.limit = 200
        filter.oldestFirst = true
        // A caseworker sees their ministry's requests; province-wide caseworkers and front-line staff see all.
        if case .staff(_, let roles) = context.actor, !roles.contains(where: { $0.scope == .province }) {
            var codes: [String] = []
            for assignment in roles where assignment.role == .ministryCaseworker {
                if case .ministry(let id) = assignment.scope, let ministry = try? await ministries.get(id) { codes.append(ministry.code.rawValue) }
            }
            if !AccessPolicy.frontline(context.actor) { filter.ministries = codes }
        }
        let service = request.uri.queryParameters.get("service") ?? ""
        if !service.isEmpty { filter.services = [service] }
        let statusText = request.uri.queryParameters.get("status") ?? ""
        if let status = RequestStatus(rawValue: statusText) { filter.statuses = [status] } else { filter.statuses = RequestStatus.allCases.filter(\.isPending) }
        let overdueOnly = request.uri.queryParameters.get("overdue") == "1"
        let olderText = request.uri.queryParameters.get("older") ?? ""
        if let days = Int(olderText), Self.ageFilters.contains(days) { filter.createdBefore = now.addingTimeInterval(-Double(days) * 86400) }
        var rows: [StaffRequestsPage.Row] = []
        for found in try await requests.list(filter) where !overdueOnly || found.isOverdue(at: now) {
            let days = max(0, Int(now.timeIntervalSince(found.createdAt) / 86400))
            let assigned = found.assignedTo.map { $0 == context.actor.staffID ? t("staffRequests.you") : t("staffRequests.someone") } ?? t("staffRequests.nobody")
            rows.append(.init(reference: found.reference.description, selectLabel: t.format("staffRequests.select", ["reference": found.reference.description]),
                              service: try await serviceTitle(found.serviceCode, context.language), status: t("requestStatus.\(found.status.rawValue)"),
                              age: t.format("staffRequests.days", ["count": String(days)]), due: found.dueAt.map { formats.date($0) } ?? "",
                              overdue: found.isOverdue(at: now), assigned: assigned))
        }
        let services = try await catalogue.listPublished().map { Option(value: $0.code, label: ShownText($0.document.title, context.language, fallback: $0.code).text, id: "filter-\($0.code)") }
        let statuses = RequestStatus.allCases.map { Option(value: $0.rawValue, label: t("requestStatus.\($0.rawValue)"), id: "status-\($0.rawValue)") }
        var notice: String?
        if let assigned = request.uri.queryParameters.get("assigned").flatMap({ Int($0) }) { notice = t.format("staffRequests.done.assigned", ["count": String(assigned)]) }
        if let stepped = request.uri.queryParameters.get("stepped").flatMap({ Int($0) }) { notice = t.format("staffRequests.done.stepped", ["count": String(stepped)]) }
        if let skipped = request.uri.queryParameters.get("skipped").flatMap({ Int($0) }), skipped > 0, let shown = notice {
            notice = shown + " " + t.format("staffRequests.done.skipped", ["count": String(skipped)])
        }
        let page = StaffRequestsPage(
            csrfToken: context.csrfToken,
            reference: FormField(name: "reference", label: t("staffRequests.findLabel"), value: notFound ?? "", error: notFound == nil ? nil : t("staffRequests.notFound")),
            services: services.map { .init(value: $0.value, label: $0.label, selected: $0.value == service) },
            statuses: statuses.map { .init(value: $0.value, label: $0.label, selected: $0.value == statusText) }, overdueOnly: overdueOnly,
            ages: Self.ageFilters.map { .init(value: String($0), label: t.format("staffRequests.days", ["count": String($0)]), selected: String($0) == olderText) },
            bulkSteps: Self.bulkSteps.map { Option(value: $0.rawValue, label: t("step.\($0.rawValue)"), id: "bulk-\($0.rawValue)") },
            rows: rows, notice: notice, hasRows: !rows.isEmpty)
        return pages.render(page, context: context, path: "/staff/requests", status: notFound == nil ? .ok : .notFound)
    }

    func renderWebhooks(_ context: AppRequestContext, notice: String?) async throws -> Response {
        let t = pages.translator(for: context)
        let endpoints = try await outbox.endpoints().map {
            WebhooksPage.Endpoint(id: $0.id, url: WebhookDeliveryService.loggedTarget($0.url),
                                  state: $0.enabled ? t("webhooks.enabled") : t.format("webhooks.disabled", ["reason": $0.disabledReason ?? "?"]), disabled: !$0.enabled)
        }
        var dead: [WebhooksPage.Event] = []
        for event in try await outbox.events(state: "dead") {
            let reference = try await RequestID(event.requestID).asyncFlatMap { try await requests.find($0) }?.reference.description ?? ""
            dead.append(.init(id: event.id, type: event.type, reference: reference, answer: event.lastStatus.map(String.init) ?? t("webhooks.noAnswer"),
                              attempts: t.format("webhooks.attempts", ["count": String(event.attempts)])))
        }
        return pages.render(WebhooksPage(csrfToken: context.csrfToken, endpoints: endpoints, dead: dead, notice: notice.map { t($0) }, hasDead: !dead.isEmpty), context: context, path: "/staff/webhooks")
    }
}
