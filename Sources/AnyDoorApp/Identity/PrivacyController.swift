import AnyDoorCore
import AnyDoorStore
import Foundation
import Hummingbird

/// A person's privacy rights (BC FOIPPA): consent for "tell us once", a copy of everything held,
/// correction requests; and the privacy officer's handling of corrections, which tells every ministry
/// the information was disclosed to in the past year.
struct PrivacyController: Sendable {
    let identity: IdentityService
    let ministries: MinistryService
    let pages: PageRenderer

    var privacy: SQLPrivacy { SQLPrivacy(database: identity.database, keys: identity.keys) }

    static let correctableFields = ["name", "email", "other"]
    /// A correction request's states: waiting, then corrected or annotated.
    static let correctionStatuses = ["open", "corrected", "annotated"]

    func addRoutes(to router: Router<AppRequestContext>) {
        router.get("/account/consents") { _, context in
            let person = try context.ownPerson()
            return try await renderConsents(context, person: person, notice: nil)
        }
        router.post("/account/consents") { request, context in
            let person = try context.ownPerson()
            let form = try await FormBody.read(request)
            let all = try await ministries.list()
            let chosen = Set((form.values["ministry"] ?? []).compactMap { code in all.first { $0.code.rawValue == code }?.id })
            let now = identity.now
            try await identity.database.transaction { sql in
                let (granted, withdrawn) = try await privacy.setConsents(person: person, purpose: .tellUsOnce, ministries: chosen, at: now, makeID: identity.environment.makeID, on: sql)
                if !granted.isEmpty || !withdrawn.isEmpty {
                    try await identity.audit.append(AuditEntry(at: now, actor: context.actor.auditName, action: "consent.changed", target: "person:\(person)", channel: .online,
                                                               detail: "tell-us-once; granted \(granted.count), withdrawn \(withdrawn.count)"), on: sql)
                }
            }
            return try await renderConsents(context, person: person, notice: pages.translator(for: context)("consents.saved"))
        }
        router.get("/account/export") { _, context in
            let person = try context.ownPerson()
            let export = try await everything(about: person)
            try await identity.audit.append(AuditEntry(at: identity.now, actor: context.actor.auditName, action: "privacy.exported", target: "person:\(person)", channel: .online))
            var response = try APIResponse.json(export)
            response.headers[.contentDisposition] = "attachment; filename=\"anydoor-my-information.json\""
            return response
        }
        router.get("/account/corrections") { _, context in
            let person = try context.ownPerson()
            return try await renderCorrections(context, person: person, errors: [], values: FormBody(parsing: ""), notice: nil)
        }
        router.post("/account/corrections") { request, context in
            let person = try context.ownPerson()
            let form = try await FormBody.read(request)
            var problems = ValidationCollector()
            if !Self.correctableFields.contains(form["field"]) { problems.add("field", "required", "Choose what is wrong.") }
            let requested = form["requested"].trimmingCharacters(in: .whitespacesAndNewlines)
            if requested.isEmpty { problems.add("requested", "required", "Say what it should be.") } else if requested.count > 1000 { problems.add("requested", "tooLong", "At most 1000 characters.") }
            let reason = form["reason"].trimmingCharacters(in: .whitespacesAndNewlines)
            if reason.count > 2000 { problems.add("reason", "tooLong", "At most 2000 characters.") }
            guard problems.errors.isEmpty else {
                return try await renderCorrections(context, person: person, errors: problems.errors, values: form, notice: nil, status: .unprocessableContent)
            }
            let now = identity.now
            let id = identity.environment.makeID()
            try await identity.database.transaction { sql in
                try await privacy.requestCorrection(id: id, person: person, field: form["field"], requested: requested, reason: reason, at: now, on: sql)
                try await identity.audit.append(AuditEntry(at: now, actor: context.actor.auditName, action: "correction.requested", target: "correction:\(id.uuidString.lowercased())", channel: .online), on: sql)
            }
            return try await renderCorrections(context, person: person, errors: [], values: FormBody(parsing: ""), notice: pages.translator(for: context)("corrections.sent"))
        }
        router.get("/staff/corrections") { _, context in
            try context.require(.reviewCorrections)
            return try await renderReview(context, notice: nil)
        }
        router.post("/staff/corrections/{id}") { request, context in
            try context.require(.reviewCorrections)
            guard let staff = context.actor.staffID, let id = context.parameters.get("id").flatMap(UUID.init(uuidString:)),
                  let correction = try await privacy.corrections(openOnly: true).first(where: { $0.id == id }) else { throw HTTPError(.notFound) }
            let form = try await FormBody.read(request)
            let action = form["action"] == "correct" ? "corrected" : "annotated"
            let annotation = form["annotation"].trimmingCharacters(in: .whitespacesAndNewlines)
            let told = try await resolve(correction, action: action, annotation: annotation.isEmpty ? nil : annotation, staff: staff, actor: context.actor)
            return try await renderReview(context, notice: pages.translator(for: context).format("corrections.resolved", ["count": String(told)]))
        }
    }

    /// The signed-in person, with two factors (these pages show personal information).

    /// Applies (or annotates) a correction, and tells every ministry the information was disclosed to in
    /// the past year (FOIPPA s. 29). Returns how many ministries were told.
    func resolve(_ correction: SQLPrivacy.Correction, action: String, annotation: String?, staff: StaffID, actor: Actor) async throws -> Int {
        let now = identity.now
        let disclosedTo = Set(try await privacy.disclosures(of: correction.person, since: now.addingTimeInterval(-365 * 24 * 3600)).map(\.ministry))
        var notices: [OutboxMessage] = []
        for ministryID in disclosedTo.sorted(by: { $0.description < $1.description }) {
            let ministry = try await ministries.get(ministryID)
            notices.append(OutboxMessage(id: identity.environment.makeID(), channel: "email", recipient: ministry.contact.email ?? "privacy-notices+\(ministry.code)@gov.bc.ca",
                                         template: "correctionNotice", language: .english,
                                         subject: "Correction notice for a person's record (\(correction.field))",
                                         body: "A person's \(correction.field) disclosed to \(ministry.names[.english] ?? ministry.code.rawValue) in the past year was \(action) on \(ISO8601DateFormatter().string(from: now)). Reference: correction \(correction.id.uuidString.lowercased()). Update your records through AnyDoor.",
                                         createdAt: now))
        }
        let toSend = notices
        try await identity.database.transaction { sql in
            try await privacy.resolveCorrection(correction.id, status: action, annotation: annotation, by: staff, at: now, on: sql)
            if action == "corrected", correction.field == "name" {
                try await identity.people.setName(correction.person, correction.requested, on: sql)
            }
            for notice in toSend { try await identity.outbox.enqueue(notice, on: sql) }
            try await identity.audit.append(AuditEntry(at: now, actor: actor.auditName, action: "correction.\(action)", target: "correction:\(correction.id.uuidString.lowercased())",
                                                       channel: .system, detail: "ministries told: \(toSend.count)"), on: sql)
        }
        return notices.count
    }

    /// Everything AnyDoor holds about a person, machine-readable (FOIPPA access request, answered at once).
    struct Export: Encodable, Sendable {
        struct Profile: Encodable, Sendable { let id, name, email, preferredLanguage: String; let identityLevel: Int; let emailVerifiedAt: Date?; let createdAt: Date; let twoFactorEnabled: Bool }
        struct Activity: Encodable, Sendable { let at: Date; let action, channel, outcome: String; let actingFor: String? }
        struct Access: Encodable, Sendable { let at: Date; let organisation, purpose: String }
        struct Verification: Encodable, Sendable { let at: Date; let evidence: [String]; let method: String; let verified: Bool; let office: String; let interpreterPresent: Bool }
        struct Representation: Encodable, Sendable { let id, representative, relationship: String; let services: [String: String]; let starts, ends: Date; let revokedAt: Date? }
        struct Consent: Encodable, Sendable { let purpose, ministry: String; let grantedAt: Date; let withdrawnAt: Date? }
        struct Disclosure: Encodable, Sendable { let ministry, what: String; let at: Date }
        struct Correction: Encodable, Sendable { let field, requested, status: String; let annotation: String?; let createdAt: Date }
        let generatedAt: Date
        let profile: Profile
        let activity: [Activity]
        let recordAccesses: [Access]
        let identityVerifications: [Verification]
        let representationsGiven: [Representation]
        let representationsHeld: [Representation]
        let consents: [Consent]
        let disclosures: [Disclosure]
        let corrections: [Correction]
    }

    func everything(about person: PersonID) async throws -> Export {
        guard let account = try await identity.people.find(person) else { throw HTTPError(.notFound) }
        let codes = Dictionary(uniqueKeysWithValues: try await ministries.list().map { ($0.id, $0.code.rawValue) })
        func representation(_ r: AnyDoorCore.Representation) -> Export.Representation {
            .init(id: r.id.description, representative: r.representative.description, relationship: r.relationship.rawValue,
                  services: r.services.mapValues(\.rawValue), starts: r.starts, ends: r.ends, revokedAt: r.revokedAt)
        }
        return Export(
            generatedAt: identity.now,
            profile: .init(id: person.description, name: account.person.name, email: account.person.email, preferredLanguage: account.person.preferredLanguage.rawValue,
                           identityLevel: account.person.assurance.rawValue, emailVerifiedAt: account.person.emailVerifiedAt, createdAt: account.person.createdAt,
                           twoFactorEnabled: account.totpEnabledAt != nil),
            activity: try await identity.audit.recent(limit: 10_000, involving: "person:\(person)").map {
                .init(at: $0.entry.at, action: $0.entry.action, channel: $0.entry.channel.rawValue, outcome: $0.entry.outcome, actingFor: $0.entry.actingFor)
            },
            recordAccesses: try await identity.records.accesses(to: person).map { .init(at: $0.at, organisation: $0.organisation, purpose: $0.purpose.rawValue) },
            identityVerifications: try await identity.records.verifications(of: person).map {
                .init(at: $0.at, evidence: $0.evidence.map(\.rawValue), method: $0.method.rawValue, verified: $0.verified, office: $0.office, interpreterPresent: $0.interpreterPresent)
            },
            representationsGiven: try await identity.records.representations(of: person).map(representation),
            representationsHeld: try await identity.records.representations(heldBy: person).map(representation),
            consents: try await privacy.consents(of: person).map { .init(purpose: $0.purpose.rawValue, ministry: codes[$0.ministry] ?? $0.ministry.description, grantedAt: $0.grantedAt, withdrawnAt: $0.withdrawnAt) },
            disclosures: try await privacy.disclosures(of: person).map { .init(ministry: codes[$0.ministry] ?? $0.ministry.description, what: $0.what, at: $0.at) },
            corrections: try await privacy.corrections(of: person).map { .init(field: $0.field, requested: $0.requested, status: $0.status, annotation: $0.annotation, createdAt: $0.createdAt) }
        )
    }
}
