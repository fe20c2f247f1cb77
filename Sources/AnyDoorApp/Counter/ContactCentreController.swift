import AnyDoorCore
import AnyDoorStore
import Foundation
import Hummingbird

/// `/staff/contact`: the agent's console for a phone contact.
struct ContactConsolePage: PageModel {
    static let template = "contact-console"
    let titleKey = "contact.title"
    let csrfToken: String
    let email: FormField
    let callbacks: [CallbackRow]
    let notice: String?
    let errors: ErrorSummary

    struct CallbackRow: Sendable {
        let id: String
        let due: String
        let phone: String
        let person: String?
    }
}

/// `/staff/contact/people/{id}` and `/staff/contact/new`: one call, with or without a known caller.
struct ContactCallPage: PageModel {
    static let template = "contact-call"
    let titleKey = "contact.callTitle"
    let csrfToken: String
    let personID: String?
    let name: String?
    let questions: [Question]
    let hasQuestions: Bool
    let verification: String?
    let verified: Bool
    let reasons: [SelectOption]
    let services: [SelectOption]
    let outcomes: [SelectOption]
    let ministries: [SelectOption]
    let languages: [SelectOption]
    let note: FormField
    let duration: FormField
    let callbackPhone: FormField
    let callbackAt: FormField
    let action: String
    let history: [Line]
    let notice: String?
    let errors: ErrorSummary

    struct Question: Sendable {
        let name: String
        let id: String
        let label: String
        let value: String
        let type: String
    }

    struct Line: Sendable {
        let when: String
        let what: String
    }
}

/// `/staff/interpreters`: interpreter requests from every door, until fulfilled.
struct InterpretersPage: PageModel {
    static let template = "interpreters"
    let titleKey = "interpreters.title"
    let csrfToken: String
    let rows: [Row]
    let offices: String

    struct Row: Sendable {
        let id: String
        let when: String
        let language: String
        let source: String
        let office: String
        let status: String
        let next: [SelectOption]
    }
}

/// The contact centre (issue 7 item 8) and interpreter tracking (issue 4 item 6).
struct ContactCentreController: Sendable {
    let stores: CounterStores
    let identity: IdentityService
    let requests: SQLRequests

    static let reasons = ["information", "application-help", "request-status", "appointment", "complaint", "other"]

    func addRoutes(to router: Router<AppRequestContext>) {
        router.get("/staff/contact") { request, context in
            try context.require(.serveByPhone)
            return try await renderConsole(context, notice: request.uri.queryParameters["notice"].map(String.init), errors: [])
        }
        router.post("/staff/contact/find") { request, context in
            try context.require(.serveByPhone)
            let form = try await FormBody.read(request)
            guard let account = try await identity.people.find(email: form["email"]) else {
                return try await renderConsole(context, notice: nil, errors: [FieldError(field: "email", code: "noAccount", message: "No account has this email address.")],
                                               email: form["email"], status: .notFound)
            }
            return Response.redirect(to: "/staff/contact/people/\(account.person.id)", type: .normal)
        }
        router.get("/staff/contact/new") { _, context in
            try context.require(.serveByPhone)
            return try await renderCall(context, person: nil, form: nil, verification: nil, notice: nil, errors: [])
        }
        router.get("/staff/contact/people/{id}") { request, context in
            try context.require(.serveByPhone)
            let person = try PeopleController.personID(context)
            return try await renderCall(context, person: person, form: nil, verification: nil, notice: request.uri.queryParameters["notice"].map(String.init), errors: [])
        }
        router.post("/staff/contact/people/{id}/verify") { request, context in
            try context.require(.serveByPhone)
            let person = try PeopleController.personID(context)
            let form = try await FormBody.read(request)
            let outcome = try await verify(person, form: form)
            try await identity.audit.append(AuditEntry(at: stores.now, actor: context.actor.auditName, action: outcome.verified ? "contact.caller-verified" : "contact.caller-not-verified",
                                                       target: "person:\(person)", channel: .phone, detail: "matched:\(outcome.matched.count)/\(outcome.asked.count)"))
            return try await renderCall(context, person: person, form: form, verification: outcome, notice: nil, errors: [])
        }
        router.post("/staff/contact/people/{id}/log") { request, context in
            try context.require(.serveByPhone)
            let person = try PeopleController.personID(context)
            return try await log(context, person: person, form: try await FormBody.read(request))
        }
        router.post("/staff/contact/log") { request, context in
            try context.require(.serveByPhone)
            return try await log(context, person: nil, form: try await FormBody.read(request))
        }
        router.post("/staff/contact/callbacks/{id}/done") { _, context in
            try context.require(.serveByPhone)
            let done = try await stores.contactCentre.completeCallback(try context.parameters.require("id"), actor: context.actor.auditName, at: stores.now)
            let t = stores.pages.translator(for: context)
            return try await renderConsole(context, notice: done ? t("contact.callbackDone") : nil,
                                           errors: done ? [] : [FieldError(field: "callback", code: "notFound", message: "No such callback is waiting.")], status: done ? .ok : .notFound)
        }
        router.get("/staff/interpreters") { _, context in
            try context.require(.bookForPerson)
            return try await renderInterpreters(context)
        }
        router.post("/staff/interpreters/{id}/{status}") { _, context in
            try context.require(.bookForPerson)
            guard let status = InterpreterStatus(rawValue: try context.parameters.require("status")) else { throw HTTPError(.notFound) }
            do {
                guard try await stores.contactCentre.setInterpreterStatus(try context.parameters.require("id"), to: status, actor: context.actor.auditName, at: stores.now) else {
                    throw HTTPError(.notFound)
                }
            } catch let error as ValidationError {
                throw Problem(.conflict, slug: "not-allowed", title: "Not possible", detail: error.errors.first?.message ?? "")
            }
            return Response.redirect(to: "/staff/interpreters", type: .normal)
        }
    }

    func verify(_ person: PersonID, form: FormBody) async throws -> CallerVerification.Outcome {
        let profile = try await stores.profiles.profile(of: person)
        let references = try await requests.list(person: person).map(\.reference.description)
        var answers: [CallerVerification.Question: String] = [:]
        for question in CallerVerification.Question.allCases { answers[question] = form["answer-\(question.rawValue)"] }
        return CallerVerification.check(answers: answers, profile: profile, references: references)
    }

    func log(_ context: AppRequestContext, person: PersonID?, form: FormBody) async throws -> Response {
        guard let staff = context.actor.staffID else { throw AccessDenied(decision: .deny, action: .serveByPhone) }
        let t = stores.pages.translator(for: context)
        var errors: [FieldError] = []
        let outcome = CallOutcome(rawValue: form["outcome"])
        if outcome == nil { errors.append(FieldError(field: "outcome", code: "required", message: "Choose what came of the call.")) }
        let minutes = Int(form["duration"].trimmingCharacters(in: .whitespaces))
        if minutes == nil { errors.append(FieldError(field: "duration", code: "notANumber", message: "Enter the call's length in whole minutes.")) }
        if !form["reason"].isEmpty, !Self.reasons.contains(form["reason"]) { errors.append(FieldError(field: "reason", code: "notAChoice", message: "Choose a reason from the list.")) }
        let ministry = form["ministry"].isEmpty ? nil : MinistryID(form["ministry"])
        var callback: (String, Date)?
        if !form["callbackAt"].isEmpty || !form["callbackPhone"].isEmpty {
            let zone = TimeZone(identifier: "America/Vancouver")!
            let parts = form["callbackAt"].split(separator: "T")
            if parts.count == 2, let day = LocalDate(String(parts[0])), let clock = LocaleFormats.minutes(String(parts[1])) {
                callback = (form["callbackPhone"], day.at(minutes: clock, in: zone))
            } else {
                errors.append(FieldError(field: "callbackAt", code: "notADateTime", message: "Enter the date and time to call back."))
            }
        }
        let interpreter = form["interpreter"].isEmpty ? nil : LanguageCode(rawValue: form["interpreter"])
        var verified = false
        if let person { verified = try await verify(person, form: form).verified }
        if errors.isEmpty, let outcome, let minutes {
            let contact = ContactLog(person: person, staff: staff, startedAt: stores.now, durationSeconds: minutes * 60, reason: form["reason"], service: form["service"].isEmpty ? nil : form["service"],
                                     outcome: outcome, verified: verified, transferMinistry: ministry, note: form["note"].isEmpty ? nil : form["note"])
            do {
                try await stores.contactCentre.log(contact, callback: callback.map { (phone: $0.0, due: $0.1) }, actor: context.actor.auditName)
                if let interpreter {
                    try await stores.contactCentre.requestInterpreter(person: person, language: interpreter, source: "contact", sourceID: contact.id, office: nil, neededAt: stores.now,
                                                                      actor: context.actor.auditName, at: stores.now)
                    if form["interpreterPresent"] == "1", let request = try await stores.contactCentre.interpreterRequests(person: person).first(where: { $0.sourceID == contact.id }) {
                        _ = try await stores.contactCentre.setInterpreterStatus(request.id, to: .present, actor: context.actor.auditName, at: stores.now)
                    }
                }
                let notice = callback == nil ? t("contact.logged") : t("contact.loggedWithCallback")
                return Response.redirect(to: "/staff/contact?notice=\(notice.addingPercentEncoding(withAllowedCharacters: .urlQueryAllowed) ?? "")", type: .normal)
            } catch let error as ValidationError {
                errors = error.errors
            }
        }
        return try await renderCall(context, person: person, form: form, verification: nil, notice: nil, errors: errors, status: .unprocessableContent)
    }

    func renderConsole(_ context: AppRequestContext, notice: String?, errors: [FieldError], email: String = "", status: HTTPResponse.Status = .ok) async throws -> Response {
        let t = stores.pages.translator(for: context)
        let formats = LocaleFormats(language: context.language)
        let messages = FieldMessages(translate: t, errors: errors)
        let page = ContactConsolePage(
            csrfToken: context.csrfToken,
            email: FormField(name: "email", label: t("contact.callerEmail"), type: "email", value: email, error: messages.message(for: "email")),
            callbacks: try await stores.contactCentre.callbacks().map { .init(id: $0.id, due: formats.dateTime($0.dueAt), phone: $0.phone, person: $0.person?.description) },
            notice: notice.map { String($0.prefix(300)) }, errors: messages.summary)
        return stores.pages.render(page, context: context, path: "/staff/contact", status: status)
    }

    func renderCall(_ context: AppRequestContext, person: PersonID?, form: FormBody?, verification: CallerVerification.Outcome?, notice: String?,
                    errors: [FieldError], status: HTTPResponse.Status = .ok) async throws -> Response {
        let t = stores.pages.translator(for: context)
        let formats = LocaleFormats(language: context.language)
        let messages = FieldMessages(translate: t, errors: errors)
        var name: String?
        var questions: [ContactCallPage.Question] = []
        var history: [ContactCallPage.Line] = []
        if let person {
            // Opening the caller's record is logged for them to see ("who looked at my information").
            guard let account = try await identity.openRecord(person, by: context.actor, purpose: .phoneEnquiry) else { throw HTTPError(.notFound) }
            name = account.person.name
            let profile = try await stores.profiles.profile(of: person)
            let hasRequests = try await !requests.list(person: person).isEmpty
            questions = CallerVerification.questions(profile: profile, hasRequests: hasRequests).map { question in
                .init(name: "answer-\(question.rawValue)", id: "answer-\(question.rawValue)", label: t("contact.question.\(question.rawValue)"),
                      value: form?["answer-\(question.rawValue)"] ?? "", type: question == .dateOfBirth ? "date" : "text")
            }
            history = try await stores.contactCentre.contacts(of: person).map {
                .init(when: formats.dateTime($0.startedAt), what: "\(t("callOutcome.\($0.outcome.rawValue)")) · \(t("contact.reason.\($0.reason)"))")
            }
        }
        let ministries = try await stores.ministries.list()
        let services = try await stores.catalogue.listPublished().map { SelectOption(value: $0.code, label: ShownText($0.document.title, context.language, fallback: $0.code).text,
                                                                                      selected: form?["service"] == $0.code, idPrefix: "service") }
            .sorted { $0.label.localizedStandardCompare($1.label) == .orderedAscending }
        let page = ContactCallPage(
            csrfToken: context.csrfToken, personID: person?.description, name: name, questions: questions, hasQuestions: !questions.isEmpty,
            verification: verification.map { $0.verified ? t("contact.verified") : t.format("contact.notVerified", ["matched": String($0.matched.count), "asked": String($0.asked.count)]) },
            verified: verification?.verified ?? false,
            reasons: Self.reasons.map { SelectOption(value: $0, label: t("contact.reason.\($0)"), selected: form?["reason"] == $0, idPrefix: "reason") },
            services: [SelectOption(value: "", label: t("contact.noService"), selected: (form?["service"] ?? "").isEmpty, idPrefix: "service")] + services,
            outcomes: CallOutcome.allCases.map { SelectOption(value: $0.rawValue, label: t("callOutcome.\($0.rawValue)"), selected: form?["outcome"] == $0.rawValue, idPrefix: "outcome") },
            ministries: [SelectOption(value: "", label: t("contact.noTransfer"), selected: (form?["ministry"] ?? "").isEmpty, idPrefix: "ministry")]
                + ministries.map { SelectOption(value: $0.id.description, label: $0.names.resolved(for: context.language) ?? $0.code.rawValue, selected: form?["ministry"] == $0.id.description, idPrefix: "ministry") },
            languages: stores.languageChoices(selected: form?["interpreter"] ?? "", includeNone: t("profile.noInterpreter")),
            note: FormField(name: "note", label: t("contact.note"), hint: t("contact.noteHint"), value: form?["note"] ?? "", error: messages.message(for: "note")),
            duration: FormField(name: "duration", label: t("contact.duration"), value: form?["duration"] ?? "", error: messages.message(for: "duration"), inputmode: "numeric"),
            callbackPhone: FormField(name: "callbackPhone", label: t("contact.callbackPhone"), type: "tel", value: form?["callbackPhone"] ?? "", error: messages.message(for: "callbackPhone")),
            callbackAt: FormField(name: "callbackAt", label: t("contact.callbackAt"), hint: t("contact.callbackAtHint"), type: "datetime-local", value: form?["callbackAt"] ?? "",
                                  error: messages.message(for: "callbackAt")),
            action: person.map { "/staff/contact/people/\($0)/log" } ?? "/staff/contact/log", history: history, notice: notice.map { String($0.prefix(300)) },
            errors: messages.summary)
        return stores.pages.render(page, context: context, path: person.map { "/staff/contact/people/\($0)" } ?? "/staff/contact/new", status: status)
    }

    func renderInterpreters(_ context: AppRequestContext) async throws -> Response {
        let t = stores.pages.translator(for: context)
        let formats = LocaleFormats(language: context.language)
        let offices = Dictionary(uniqueKeysWithValues: try await stores.offices.list().map { ($0.office.id, $0.office) })
        let rows = try await stores.contactCentre.interpreterRequests(openOnly: true).map { request in
            InterpretersPage.Row(id: request.id, when: formats.dateTime(request.neededAt), language: request.language.endonym, source: t("interpreters.source.\(request.source)"),
                                 office: request.office.flatMap { offices[$0]?.name(t) } ?? t("interpreters.contactCentre"), status: t("interpreterStatus.\(request.status.rawValue)"),
                                 next: request.status.next.map { SelectOption(value: $0.rawValue, label: t("interpreterStatus.\($0.rawValue)"), idPrefix: "next-\(request.id)") })
        }
        let interpreted = offices.values.filter { !$0.interpretedLanguages.isEmpty }.sorted { $0.town < $1.town }
            .map { "\($0.name(t)): \($0.interpretedLanguages.map(\.endonym).joined(separator: ", "))" }.joined(separator: " · ")
        return stores.pages.render(InterpretersPage(csrfToken: context.csrfToken, rows: rows, offices: interpreted), context: context, path: "/staff/interpreters")
    }
}
