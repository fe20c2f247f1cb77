import AnyDoorCore
import AnyDoorStore
import Foundation
import Hummingbird

/// `/staff/catalogue`: the owner's drafts and the stewards' review queue.
struct CatalogueWorkPage: PageModel {
    static let template = "staff-catalogue"
    let titleKey = "staffCatalogue.title"
    struct Row: Sendable {
        let code: String
        let title: String
        let ministry: String
        let state: String
        let version: String
    }
    let submitted: [Row]
    let drafts: [Row]
    let published: [Row]
    let canCreate: Bool
    let notice: String?
}

/// `/staff/catalogue/{code}`: one service's working copy, what stops it from being published, what it
/// changes, the governance buttons the viewer's roles allow, and the published history.
struct CatalogueReviewPage: PageModel {
    static let template = "staff-catalogue-review"
    let titleKey = "staffCatalogue.reviewTitle"
    let titleText: String?
    struct Change: Sendable {
        let path: String
        let before: String
        let after: String
    }
    struct Version: Sendable {
        let number: Int
        let when: String
        let isLatest: Bool
    }
    let code: String
    let title: String
    let state: String
    let comment: String?
    let problems: [String]
    let hasDraft: Bool
    let changes: [Change]
    let hasChanges: Bool
    let canEdit: Bool
    let canSubmit: Bool
    let canReview: Bool
    let canRetire: Bool
    let isPublished: Bool
    let isRetired: Bool
    let versions: [Version]
    let compareFrom: [CompareOption]
    let compareTo: [CompareOption]
    let services: [CompareOption]
    let csrfToken: String
    let errors: ErrorSummary
    let commentError: String?
    let notice: String?
    struct CompareOption: Sendable {
        let value: String
        let label: String
        let selected: Bool
    }
}

/// `/staff/catalogue/{code}/diff?from=&to=`: exactly what changed between two published versions.
struct CatalogueDiffPage: PageModel {
    static let template = "staff-catalogue-diff"
    let titleKey = "staffCatalogue.diffTitle"
    let code: String
    let summary: String
    let changes: [CatalogueReviewPage.Change]
    let hasChanges: Bool
}

/// The service description form (`/staff/catalogue/new`, `/staff/catalogue/{code}/edit`), re-rendered with
/// field-level errors.
struct CatalogueEditPage: PageModel {
    static let template = "staff-catalogue-edit"
    let titleKey = "staffCatalogue.editTitle"
    struct Choice: Sendable {
        let id: String
        let name: String
        let value: String
        let label: String
        let checked: Bool
    }
    let action: String
    let isNew: Bool
    let csrfToken: String
    let textLanguage: String
    let textLanguageName: String
    let languages: [CatalogueReviewPage.CompareOption]
    let errors: ErrorSummary
    let code: FormField
    let title: FormField
    let description: TextArea
    let keywords: FormField
    let ministries: [CatalogueReviewPage.CompareOption]
    let ministryError: String?
    let programArea: FormField
    let audiences: [Choice]
    let audienceError: String?
    let lifeEvents: [Choice]
    let online: Bool
    let phoneNumber: FormField
    let phoneHours: FormField
    let inPerson: Bool
    let channelsError: String?
    let mail: FormField
    let eligibility: TextArea
    let evidence: TextArea
    let cost: FormField
    let processingTime: FormField
    let legalBasis: TextArea
    let assurance: [CatalogueReviewPage.CompareOption]
    let authentication: [CatalogueReviewPage.CompareOption]
    let fields: TextArea
}

/// A multi-line input with its label, hint and error.
struct TextArea: Sendable {
    let name: String
    let id: String
    let label: String
    let hint: String?
    let value: String
    let error: String?
    let describedBy: String?

    init(name: String, label: String, hint: String? = nil, value: String, error: String?) {
        self.name = name
        self.id = "field-" + name
        self.label = label
        self.hint = hint
        self.value = value
        self.error = error
        let described = [hint == nil ? nil : id + "-hint", error == nil ? nil : id + "-error"].compactMap { $0 }
        self.describedBy = described.isEmpty ? nil : described.joined(separator: " ")
    }
}

struct CatalogueStaffController: Sendable {
    let pages: PageRenderer
    let catalogue: SQLCatalogue
    let ministries: MinistryService
    let environment: AnyDoorCore.Environment

    func addRoutes(to router: Router<AppRequestContext>) {
        router.get("/staff/catalogue") { request, context in
            try context.require(.readCatalogueWork)
            return try await workPage(context, notice: request.uri.queryParameters["done"].map { pages.translator(for: context)("staffCatalogue.done.\($0)") })
        }
        router.get("/staff/catalogue/new") { _, context in
            guard try await ownedMinistries(context.actor).isEmpty == false else { throw AccessDenied(decision: .deny, action: .readCatalogueWork) }
            return try await editPage(ServiceDescription(code: ""), isNew: true, language: .base, errors: [], context: context)
        }
        router.post("/staff/catalogue/new") { request, context in
            let form = try await FormBody.read(request)
            var document = ServiceDescription(code: form["serviceCode"].trimmingCharacters(in: .whitespaces))
            let problems = CatalogueForm.apply(form, to: &document, language: .base)
            try context.require(.draftService(ministry: try await ministryID(document.ministry), code: document.code))
            let draftProblems = problems + CatalogueRules.draftProblems(document)
            guard draftProblems.isEmpty else {
                return try await editPage(document, isNew: true, language: .base, errors: draftProblems, context: context, status: .unprocessableContent)
            }
            do {
                try await catalogue.createDraft(document, actor: context.actor.auditName, at: environment.now())
            } catch CatalogueError.duplicateCode {
                return try await editPage(document, isNew: true, language: .base, errors: [FieldError(field: "serviceCode", code: "duplicate", message: "Another service already uses this code.")],
                                          context: context, status: .conflict)
            }
            return Response.redirect(to: "/staff/catalogue/\(document.code)", type: .normal)
        }
        router.get("/staff/catalogue/{code}") { request, context in
            try context.require(.readCatalogueWork)
            let entry = try await requireEntry(context)
            return try await reviewPage(entry, context: context, notice: request.uri.queryParameters["done"].map { pages.translator(for: context)("staffCatalogue.done.\($0)") })
        }
        router.get("/staff/catalogue/{code}/edit") { request, context in
            let entry = try await requireEntry(context)
            try context.require(.draftService(ministry: try await ministryID(entry.ministry), code: entry.code))
            let language = request.uri.queryParameters["text"].flatMap { LanguageCode(rawValue: String($0)) } ?? .base
            guard entry.draftState != .submitted else { throw CatalogueError.transitionNotAllowed(.submit) }
            guard let document = entry.draft ?? entry.published else { throw CatalogueError.notFound(entry.code) }
            return try await editPage(document, isNew: false, language: language, errors: [], context: context)
        }
        router.post("/staff/catalogue/{code}/edit") { request, context in
            let entry = try await requireEntry(context)
            try context.require(.draftService(ministry: try await ministryID(entry.ministry), code: entry.code))
            let form = try await FormBody.read(request)
            let language = LanguageCode(rawValue: form["text_language"]) ?? .base
            guard var document = entry.draft ?? entry.published else { throw CatalogueError.notFound(entry.code) }
            let formProblems = CatalogueForm.apply(form, to: &document, language: language)
            try context.require(.draftService(ministry: try await ministryID(document.ministry), code: entry.code))
            let submitting = form["intent"] == "submit"
            var problems = formProblems
            if submitting { problems += CatalogueRules.publishProblems(document, context: try await catalogue.context()) }
            guard problems.isEmpty else {
                return try await editPage(document, isNew: false, language: language, errors: problems, context: context, status: .unprocessableContent)
            }
            try await catalogue.saveDraft(document, actor: context.actor.auditName, at: environment.now())
            if submitting { try await catalogue.submit(entry.code, actor: context.actor.auditName, at: environment.now()) }
            return Response.redirect(to: "/staff/catalogue/\(entry.code)?done=\(submitting ? "submitted" : "saved")", type: .normal)
        }
        router.post("/staff/catalogue/{code}/submit") { _, context in
            let entry = try await requireEntry(context)
            try context.require(.draftService(ministry: try await ministryID(entry.ministry), code: entry.code))
            do {
                try await catalogue.submit(entry.code, actor: context.actor.auditName, at: environment.now())
            } catch CatalogueError.invalid(let problems) {
                return try await reviewPage(entry, context: context, errors: problems, status: .unprocessableContent)
            }
            return Response.redirect(to: "/staff/catalogue/\(entry.code)?done=submitted", type: .normal)
        }
        router.post("/staff/catalogue/{code}/send-back") { request, context in
            try context.require(.reviewCatalogue)
            let entry = try await requireEntry(context)
            let form = try await FormBody.read(request)
            do {
                try await catalogue.sendBack(entry.code, comment: form["comment"], actor: context.actor.auditName, at: environment.now())
            } catch CatalogueError.invalid(let problems) {
                return try await reviewPage(entry, context: context, errors: problems, status: .unprocessableContent)
            }
            return Response.redirect(to: "/staff/catalogue?done=sent-back", type: .normal)
        }
        router.post("/staff/catalogue/{code}/publish") { _, context in
            try context.require(.reviewCatalogue)
            let entry = try await requireEntry(context)
            do {
                try await catalogue.publish(entry.code, actor: context.actor.auditName, at: environment.now())
            } catch CatalogueError.invalid(let problems) {
                return try await reviewPage(entry, context: context, errors: problems, status: .unprocessableContent)
            }
            return Response.redirect(to: "/staff/catalogue/\(entry.code)?done=published", type: .normal)
        }
        router.post("/staff/catalogue/{code}/retire") { request, context in
            try context.require(.reviewCatalogue)
            let entry = try await requireEntry(context)
            let form = try await FormBody.read(request)
            do {
                try await catalogue.retire(entry.code, replacedBy: form["replaced_by"].isEmpty ? nil : form["replaced_by"], actor: context.actor.auditName, at: environment.now())
            } catch CatalogueError.invalid(let problems) {
                return try await reviewPage(entry, context: context, errors: problems, status: .unprocessableContent)
            }
            return Response.redirect(to: "/staff/catalogue/\(entry.code)?done=retired", type: .normal)
        }
        router.get("/staff/catalogue/{code}/diff") { request, context in
            try context.require(.readCatalogueWork)
            let entry = try await requireEntry(context)
            let (from, to) = try CatalogueAPIController.versionPair(request)
            let changes = try await CatalogueAPIController.diff(catalogue, entry.code, from, to)
            let translate = pages.translator(for: context)
            let page = CatalogueDiffPage(code: entry.code, summary: translate.format("staffCatalogue.diffSummary", ["from": "\(from)", "to": "\(to)", "count": "\(changes.count)"]),
                                         changes: changes.map(Self.change), hasChanges: !changes.isEmpty)
            return pages.render(page, context: context, path: "/staff/catalogue/\(entry.code)/diff?from=\(from)&to=\(to)")
        }
    }

    static func change(_ change: DocumentChange) -> CatalogueReviewPage.Change {
        CatalogueReviewPage.Change(path: change.path, before: change.before ?? "—", after: change.after ?? "—")
    }

    func requireEntry(_ context: AppRequestContext) async throws -> CatalogueEntry {
        let code = try context.parameters.require("code")
        guard let entry = try await catalogue.entry(code) else { throw CatalogueError.notFound(code) }
        return entry
    }

    func ministryID(_ code: String) async throws -> MinistryID? {
        guard let code = MinistryCode(code) else { return nil }
        return try await ministries.find(code: code)?.id
    }

    /// The ministries whose services the actor may draft (all of them for a province-wide owner or the administrator).
    func ownedMinistries(_ actor: Actor) async throws -> [Ministry] {
        try await ministries.list().filter { AccessPolicy.decide(actor, .draftService(ministry: $0.id, code: "")) == .allow || actor == .configuredAdministrator }
    }

    func workPage(_ context: AppRequestContext, notice: String?) async throws -> Response {
        let translate = pages.translator(for: context)
        let isSteward = AccessPolicy.decide(context.actor, .reviewCatalogue) == .allow
        let owned = try await ownedMinistries(context.actor)
        let entries = try await catalogue.entries(ministries: isSteward ? nil : Set(owned.map(\.code.rawValue)))
        func row(_ entry: CatalogueEntry) -> CatalogueWorkPage.Row {
            let document = entry.draft ?? entry.published
            return CatalogueWorkPage.Row(code: entry.code, title: document?.title.resolved(for: context.language) ?? entry.code, ministry: entry.ministry,
                                         state: translate(entry.isRetired ? "staffCatalogue.state.retired" : "staffCatalogue.state.\(entry.draftState?.rawValue ?? "published")"),
                                         version: entry.publishedVersion.map(String.init) ?? "—")
        }
        let page = CatalogueWorkPage(
            submitted: entries.filter { $0.draftState == .submitted }.map(row),
            drafts: entries.filter { $0.draftState == .draft || $0.draftState == .returned }.map(row),
            published: entries.filter { $0.publishedVersion != nil && $0.draftState == nil }.map(row),
            canCreate: !owned.isEmpty, notice: notice)
        return pages.render(page, context: context, path: "/staff/catalogue")
    }

    func reviewPage(_ entry: CatalogueEntry, context: AppRequestContext, errors: [FieldError] = [], status: HTTPResponse.Status = .ok, notice: String? = nil) async throws -> Response {
        let translate = pages.translator(for: context)
        let messages = FieldMessages(translate: translate, errors: errors)
        let document = entry.draft ?? entry.published
        let problems = entry.draft == nil ? [] : CatalogueRules.publishProblems(entry.draft!, context: try await catalogue.context())
        let changes = entry.draft.map { draft in entry.published.map { DocumentDiff.changes(from: $0, to: draft) } ?? DocumentDiff.changes(from: ServiceDescription(code: draft.code), to: draft) } ?? []
        let ministry = try await ministryID(entry.ministry)
        let canDraft = AccessPolicy.decide(context.actor, .draftService(ministry: ministry, code: entry.code)) == .allow
        let canReview = AccessPolicy.decide(context.actor, .reviewCatalogue) == .allow
        let versions = try await catalogue.versions(entry.code)
        let formats = LocaleFormats(language: context.language)
        let latest = versions.last?.version ?? 0
        let others = try await catalogue.listPublished().filter { $0.code != entry.code }
        let page = CatalogueReviewPage(
            titleText: document?.title.resolved(for: context.language) ?? entry.code,
            code: entry.code, title: document?.title.resolved(for: context.language) ?? entry.code,
            state: translate(entry.isRetired ? "staffCatalogue.state.retired" : "staffCatalogue.state.\(entry.draftState?.rawValue ?? "published")"),
            comment: entry.reviewComment,
            problems: problems.map { "\($0.field): \(messages.text($0))" },
            hasDraft: entry.draft != nil,
            changes: changes.map(Self.change), hasChanges: !changes.isEmpty,
            canEdit: canDraft && entry.draftState != .submitted && !entry.isRetired,
            canSubmit: canDraft && CatalogueTransition.submit.allowed(from: entry.draftState, isPublished: entry.publishedVersion != nil, isRetired: entry.isRetired),
            canReview: canReview && entry.draftState == .submitted,
            canRetire: canReview && CatalogueTransition.retire.allowed(from: entry.draftState, isPublished: entry.publishedVersion != nil, isRetired: entry.isRetired),
            isPublished: entry.publishedVersion != nil, isRetired: entry.isRetired,
            versions: versions.reversed().map { .init(number: $0.version, when: formats.dateTime($0.publishedAt), isLatest: $0.version == latest) },
            compareFrom: versions.map { .init(value: "\($0.version)", label: "\($0.version)", selected: $0.version == max(1, latest - 1)) },
            compareTo: versions.map { .init(value: "\($0.version)", label: "\($0.version)", selected: $0.version == latest) },
            services: [.init(value: "", label: translate("staffCatalogue.noReplacement"), selected: true)]
                + others.map { .init(value: $0.code, label: $0.document.title.resolved(for: context.language) ?? $0.code, selected: false) },
            csrfToken: context.csrfToken,
            errors: ErrorSummary(items: errors.map { .init(href: $0.field == "comment" ? "#field-comment" : "#problems", text: "\($0.field): \(messages.text($0))") }),
            commentError: messages.message(for: "comment"),
            notice: notice)
        return pages.render(page, context: context, path: "/staff/catalogue/\(entry.code)", status: status)
    }

    func editPage(_ document: ServiceDescription, isNew: Bool, language: LanguageCode, errors: [FieldError], context: AppRequestContext,
                  status: HTTPResponse.Status = .ok) async throws -> Response {
        let translate = pages.translator(for: context)
        let messages = FieldMessages(translate: translate, errors: errors.map { CatalogueForm.formError($0) })
        let owned = try await ownedMinistries(context.actor)
        let events = try await catalogue.lifeEvents()
        func error(_ name: String) -> String? { messages.message(for: name) }
        func lines(_ texts: [LocalizedText]) -> String { texts.map { $0[language] ?? "" }.joined(separator: "\n") }
        let page = CatalogueEditPage(
            action: isNew ? "/staff/catalogue/new" : "/staff/catalogue/\(document.code)/edit",
            isNew: isNew, csrfToken: context.csrfToken,
            textLanguage: language.rawValue, textLanguageName: language.endonym,
            languages: LanguageCode.allCases.map { .init(value: $0.rawValue, label: $0.endonym, selected: $0 == language) },
            errors: messages.summary,
            code: FormField(name: "serviceCode", label: translate("staffCatalogue.field.code"), hint: translate("staffCatalogue.hint.code"), value: document.code, error: error("serviceCode")),
            title: FormField(name: "title", label: translate("staffCatalogue.field.title"), value: document.title[language] ?? "", error: error("title")),
            description: TextArea(name: "description", label: translate("staffCatalogue.field.description"), value: document.description[language] ?? "", error: error("description")),
            keywords: FormField(name: "keywords", label: translate("staffCatalogue.field.keywords"), hint: translate("staffCatalogue.hint.keywords"), value: document.keywords[language] ?? "", error: error("keywords")),
            ministries: [.init(value: "", label: translate("staffCatalogue.chooseMinistry"), selected: document.ministry.isEmpty)]
                + owned.map { .init(value: $0.code.rawValue, label: $0.names.resolved(for: context.language) ?? $0.code.rawValue, selected: $0.code.rawValue == document.ministry) },
            ministryError: error("ministry"),
            programArea: FormField(name: "programArea", label: translate("staffCatalogue.field.programArea"), value: document.programArea, error: error("programArea")),
            audiences: Audience.allCases.map { .init(id: "field-audience-\($0.rawValue)", name: "audience", value: $0.rawValue, label: translate("audience.\($0.rawValue)"), checked: document.audience.contains($0)) },
            audienceError: error("audience"),
            lifeEvents: events.map { .init(id: "field-lifeEvents-\($0.code)", name: "lifeEvents", value: $0.code, label: $0.title.resolved(for: context.language) ?? $0.code, checked: document.lifeEvents.contains($0.code)) },
            online: document.channels.online,
            phoneNumber: FormField(name: "phoneNumber", label: translate("staffCatalogue.field.phoneNumber"), value: document.channels.phone?.number ?? "", error: error("phoneNumber"), inputmode: "tel"),
            phoneHours: FormField(name: "phoneHours", label: translate("staffCatalogue.field.phoneHours"), hint: translate("staffCatalogue.hint.phoneHours"), value: document.channels.phone?.hours ?? "", error: error("phoneHours")),
            inPerson: document.channels.inPerson, channelsError: error("channels"),
            mail: FormField(name: "mail", label: translate("staffCatalogue.field.mail"), value: document.channels.mail ?? "", error: error("mail")),
            eligibility: TextArea(name: "eligibilityLines", label: translate("staffCatalogue.field.eligibility"), hint: translate("staffCatalogue.hint.lines"), value: lines(document.eligibility), error: error("eligibilityLines")),
            evidence: TextArea(name: "evidenceLines", label: translate("staffCatalogue.field.evidence"), hint: translate("staffCatalogue.hint.lines"), value: lines(document.evidence), error: error("evidenceLines")),
            cost: FormField(name: "cost", label: translate("staffCatalogue.field.cost"), hint: translate("staffCatalogue.hint.cost"), value: document.cost?.amount ?? "", error: error("cost"), inputmode: "decimal"),
            processingTime: FormField(name: "processingTime", label: translate("staffCatalogue.field.processingTime"), hint: translate("staffCatalogue.hint.processingTime"), value: document.processingTime ?? "", error: error("processingTime")),
            legalBasis: TextArea(name: "legalBasis", label: translate("staffCatalogue.field.legalBasis"), hint: translate("staffCatalogue.hint.lines"), value: document.legalBasis.joined(separator: "\n"), error: error("legalBasis")),
            assurance: AssuranceLevel.allCases.map { .init(value: "\($0.rawValue)", label: translate("assurance.level\($0.rawValue)"), selected: $0 == document.requirement.assurance) },
            authentication: [AuthenticationLevel.singleFactor, .multiFactor].map { .init(value: "\($0.rawValue)", label: translate("staffCatalogue.authentication.\($0.rawValue)"), selected: $0 == document.requirement.authentication) },
            fields: TextArea(name: "formFields", label: translate("staffCatalogue.field.fields"), hint: translate("staffCatalogue.hint.fields"), value: CatalogueForm.fieldLines(document.fields, language: language), error: error("formFields")))
        return pages.render(page, context: context, path: isNew ? "/staff/catalogue/new" : "/staff/catalogue/\(document.code)/edit", status: status)
    }
}

/// Reads the service form into a description. English (or the chosen text language) texts come from the
/// form; everything else is language-neutral and always edited.
enum CatalogueForm {
    /// Puts the form's values into `document`; returns problems the form itself has (a field line that cannot be read).
    static func apply(_ form: FormBody, to document: inout ServiceDescription, language: LanguageCode) -> [FieldError] {
        var problems: [FieldError] = []
        func set(_ text: inout LocalizedText, _ value: String) {
            let value = value.trimmingCharacters(in: .whitespacesAndNewlines)
            text[language] = value.isEmpty ? nil : value
        }
        func lines(_ name: String) -> [String] {
            form[name].split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        }
        set(&document.title, form["title"])
        set(&document.description, form["description"])
        set(&document.keywords, form["keywords"])
        let eligibility = lines("eligibilityLines"), evidence = lines("evidenceLines")
        if language == .base {
            document.eligibility = eligibility.enumerated().map { index, text in
                var item = index < document.eligibility.count ? document.eligibility[index] : LocalizedText(); item[.base] = text; return item
            }
            document.evidence = evidence.enumerated().map { index, text in
                var item = index < document.evidence.count ? document.evidence[index] : LocalizedText(); item[.base] = text; return item
            }
        } else {
            for (index, text) in eligibility.enumerated() where index < document.eligibility.count { document.eligibility[index][language] = text }
            for (index, text) in evidence.enumerated() where index < document.evidence.count { document.evidence[index][language] = text }
        }
        guard language == .base else {
            // Another language: only the texts above; the field lines carry labels in that language.
            let (fields, fieldProblems) = parseFields(form["formFields"], existing: document.fields, language: language)
            document.fields = fields
            if !document.reviewedLanguages.isEmpty { document.reviewedLanguages.removeAll { $0 == language } }
            return fieldProblems
        }
        document.ministry = form["ministry"]
        document.programArea = form["programArea"].trimmingCharacters(in: .whitespaces)
        document.audience = (form.values["audience"] ?? []).compactMap(Audience.init(rawValue:))
        document.lifeEvents = form.values["lifeEvents"] ?? []
        let phoneNumber = form["phoneNumber"].trimmingCharacters(in: .whitespaces), phoneHours = form["phoneHours"].trimmingCharacters(in: .whitespaces)
        let mail = form["mail"].trimmingCharacters(in: .whitespaces)
        document.channels = ServiceChannels(online: form["online"] == "yes",
                                            phone: phoneNumber.isEmpty && phoneHours.isEmpty ? nil : PhoneChannel(number: phoneNumber, hours: phoneHours),
                                            inPerson: form["inPerson"] == "yes", mail: mail.isEmpty ? nil : mail)
        let cost = form["cost"].trimmingCharacters(in: .whitespaces)
        document.cost = cost.isEmpty || cost == "0" || cost == "0.00" ? nil : ServiceCost(amount: cost, currency: "CAD")
        let time = form["processingTime"].trimmingCharacters(in: .whitespaces).uppercased()
        document.processingTime = time.isEmpty ? nil : time
        document.legalBasis = lines("legalBasis")
        if let assurance = Int(form["assurance"]).flatMap(AssuranceLevel.init(rawValue:)) { document.requirement.assurance = assurance }
        if let authentication = Int(form["authentication"]).flatMap(AuthenticationLevel.init(rawValue:)) { document.requirement.authentication = authentication }
        let (fields, fieldProblems) = parseFields(form["formFields"], existing: document.fields, language: .base)
        document.fields = fields
        problems += fieldProblems
        return problems
    }

    /// Form fields, one per line: `code | datatype | required or optional | label | help | key=name; key=name`.
    static func fieldLines(_ fields: [AnyDoorCore.FormField], language: LanguageCode) -> String {
        fields.map { field in
            [field.code, field.datatype.rawValue, field.required ? "required" : "optional", field.label[language] ?? "", field.help[language] ?? "",
             field.values.map { "\($0.key)=\($0.name[language] ?? "")" }.joined(separator: "; ")].joined(separator: " | ")
        }.joined(separator: "\n")
    }

    static func parseFields(_ text: String, existing: [AnyDoorCore.FormField], language: LanguageCode) -> ([AnyDoorCore.FormField], [FieldError]) {
        var fields: [AnyDoorCore.FormField] = []
        var problems: [FieldError] = []
        for (number, line) in text.split(whereSeparator: \.isNewline).map(String.init).enumerated() where !line.trimmingCharacters(in: .whitespaces).isEmpty {
            let parts = line.split(separator: "|", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
            guard parts.count >= 4, let datatype = FieldDatatype(rawValue: parts[1]), ["required", "optional"].contains(parts[2]) else {
                problems.append(FieldError(field: "formFields", code: "invalidLine", message: "Line \(number + 1) must read: code | datatype | required or optional | label | help | key=name; key=name."))
                continue
            }
            var field = existing.first { $0.code == parts[0] } ?? AnyDoorCore.FormField(code: parts[0], datatype: datatype, label: LocalizedText())
            if language == .base {
                field.datatype = datatype
                field.required = parts[2] == "required"
            }
            field.label[language] = parts[3].isEmpty ? nil : parts[3]
            field.help[language] = parts.count > 4 && !parts[4].isEmpty ? parts[4] : nil
            let pairs = parts.count > 5 ? parts[5].split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty } : []
            var values: [FieldValue] = language == .base ? [] : field.values
            for pair in pairs {
                let halves = pair.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
                guard halves.count == 2, !halves[0].isEmpty, !halves[1].isEmpty else {
                    problems.append(FieldError(field: "formFields", code: "invalidLine", message: "Line \(number + 1): each choice is key=name."))
                    continue
                }
                if let index = values.firstIndex(where: { $0.key == halves[0] }) {
                    values[index].name[language] = halves[1]
                } else if language == .base {
                    var name = field.values.first { $0.key == halves[0] }?.name ?? LocalizedText()
                    name[.base] = halves[1]
                    values.append(FieldValue(key: halves[0], name: name))
                }
            }
            field.values = values
            fields.append(field)
        }
        return (fields, problems)
    }

    /// Maps a field error of the document to the form input that holds it, keeping its code and message.
    static func formError(_ error: FieldError) -> FieldError {
        let field: String
        switch error.field {
        case let path where path.hasPrefix("title"): field = "title"
        case let path where path.hasPrefix("description"): field = "description"
        case let path where path.hasPrefix("keywords"): field = "keywords"
        case "code": field = "serviceCode"
        case let path where path.hasPrefix("eligibility"): field = "eligibilityLines"
        case let path where path.hasPrefix("evidence"): field = "evidenceLines"
        case let path where path.hasPrefix("fields"): field = "formFields"
        case let path where path.hasPrefix("legalBasis"): field = "legalBasis"
        case let path where path.hasPrefix("cost"): field = "cost"
        case "channels.phone.number": field = "phoneNumber"
        case "channels.phone.hours": field = "phoneHours"
        case "channels.mail": field = "mail"
        default: field = error.field
        }
        return FieldError(field: field, code: error.code, message: error.field == field ? error.message : "\(error.field): \(error.message)")
    }
}
