import AnyDoorCore
import AnyDoorStore
import Foundation
import SQLKit

/// People's records as staff use them: opening one (logged with organisation and purpose), in-person
/// identity proofing, and representations.
extension IdentityService {
    var records: SQLRecords { SQLRecords(database: database) }

    /// The organisation shown to the person for a member of staff's access.
    func organisation(of actor: Actor) -> String {
        if actor.holds(.counterAgent) || actor.holds(.contactCentreAgent) || actor.holds(.officeManager) { return "Service BC" }
        if actor.holds(.privacyOfficer) { return "Privacy office, Ministry of Citizens' Services" }
        return "Government of British Columbia"
    }

    /// Opens a person's record for staff: logs the access for the person to see, and audits it.
    func openRecord(_ person: PersonID, by actor: Actor, purpose: AccessPurpose) async throws -> PersonAccount? {
        guard let staff = actor.staffID, let account = try await people.find(person) else { return nil }
        let now = self.now
        let organisation = self.organisation(of: actor)
        let ministries: [MinistryID] = {
            guard case .staff(_, let roles) = actor else { return [] }
            return roles.compactMap { if case .ministry(let id) = $0.scope { id } else { nil } }
        }()
        let privacy = SQLPrivacy(database: database, keys: keys)
        try await database.transaction { sql in
            try await records.logAccess(person: person, staff: staff, organisation: organisation, purpose: purpose, at: now, id: environment.makeID(), on: sql)
            // Staff working for a ministry see the record on that ministry's behalf: a disclosure to it.
            for ministry in Set(ministries) {
                try await privacy.recordDisclosure(person: person, ministry: ministry, what: "record viewed (\(purpose.rawValue))", at: now, id: environment.makeID(), on: sql)
            }
            try await audit.append(AuditEntry(at: now, actor: actor.auditName, action: "record.viewed", target: "person:\(person)", channel: .inPerson, detail: "purpose: \(purpose.rawValue)"), on: sql)
        }
        return account
    }

    /// Records an in-person proofing and raises the person's assurance level when it supports a higher one.
    func recordVerification(_ verification: IdentityVerification, by actor: Actor) async throws -> AssuranceLevel? {
        try IdentityVerification.validate(evidence: verification.evidence, office: verification.office)
        guard let account = try await people.find(verification.person) else { throw AccountError.notFound }
        let raised = verification.resultingLevel.flatMap { $0 > account.person.assurance ? $0 : nil }
        try await database.transaction { sql in
            try await records.recordVerification(verification, id: environment.makeID(), on: sql)
            if let raised { try await people.setAssurance(verification.person, raised, on: sql) }
            try await audit.append(AuditEntry(
                at: verification.at, actor: actor.auditName, action: "identity.verified-in-person", target: "person:\(verification.person)", channel: .inPerson,
                outcome: verification.verified ? "success" : "failure",
                detail: "evidence: \(verification.evidence.map(\.rawValue).joined(separator: ",")); method: \(verification.method.rawValue); interpreter present: \(verification.interpreterPresent); level: \(raised?.rawValue ?? account.person.assurance.rawValue)"
            ), on: sql)
        }
        return raised
    }

    /// What a representation request looks like, from a form.
    struct RepresentationRequest: Sendable {
        var representativeEmail: String
        var relationship: String
        var services: String
        var scope: String
        var starts: String
        var ends: String
        var evidence: String?
    }

    /// Gives a representation: by the person themselves, or recorded by counter staff with evidence.
    func grantRepresentation(for person: PersonID, _ request: RepresentationRequest, by actor: Actor, channel: Channel) async throws -> Representation {
        var problems = ValidationCollector()
        let representative = try await people.find(email: request.representativeEmail)
        if representative == nil { problems.add("email", "noAccount", "There is no account with this email address. Ask the person to create one first.") }
        let relationship = Relationship(rawValue: request.relationship)
        if relationship == nil { problems.add("relationship", "required", "Choose how the representative is related to the person.") }
        let scope = RepresentationScope(rawValue: request.scope)
        if scope == nil { problems.add("scope", "required", "Choose whether they may view, or act.") }
        let codes = request.services.split(whereSeparator: { $0 == "," || $0.isWhitespace }).map { $0.lowercased() }
        if codes.contains(where: { !$0.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-") } || $0.count > 64 }) {
            problems.add("services", "invalidFormat", "Service codes are letters, digits and hyphens, separated by commas.")
        }
        let starts = Self.day(request.starts) ?? (request.starts.isEmpty ? now : nil)
        let ends = Self.day(request.ends)
        if starts == nil { problems.add("starts", "invalidFormat", "Enter the start date as YYYY-MM-DD.") }
        if ends == nil { problems.add("ends", "invalidFormat", "Enter the end date as YYYY-MM-DD.") }
        if actor.staffID != nil, (request.evidence ?? "").trimmingCharacters(in: .whitespaces).isEmpty {
            problems.add("proof", "required", "Describe the document that proves the authority (for example a power of attorney).")
        }
        try problems.check()
        let representation = Representation(
            id: RepresentationID(rawValue: environment.makeID()), person: person, representative: representative!.person.id, relationship: relationship!,
            services: Dictionary(uniqueKeysWithValues: codes.map { ($0, scope!) }), starts: starts!, ends: ends!,
            evidence: request.evidence, verifiedBy: actor.staffID, createdAt: now)
        try Representation.validate(person: person, representative: representation.representative, services: representation.services, starts: starts!, ends: ends!)
        try await database.transaction { sql in
            try await records.saveRepresentation(representation, on: sql)
            try await audit.append(AuditEntry(at: now, actor: actor.auditName, actingFor: actor.staffID == nil ? nil : "person:\(person)", action: "representation.granted",
                                              target: "representation:\(representation.id)", channel: channel,
                                              detail: "representative: person:\(representation.representative); services: \(codes.joined(separator: ",")); scope: \(scope!.rawValue)"), on: sql)
        }
        return representation
    }

    /// Revokes at once; only the person represented may.
    func revokeRepresentation(_ id: RepresentationID, by person: PersonID) async throws -> Bool {
        let now = self.now
        return try await database.transaction { sql in
            guard try await records.revokeRepresentation(id, person: person, at: now, on: sql) else { return false }
            try await audit.append(AuditEntry(at: now, actor: "person:\(person)", action: "representation.revoked", target: "representation:\(id)", channel: .online), on: sql)
            return true
        }
    }

    /// The scope the representative holds for `person` on `service` now, from every active representation.
    func scope(of representative: PersonID, for person: PersonID, on service: String) async throws -> RepresentationScope? {
        let now = self.now
        return try await records.representations(heldBy: representative).filter { $0.person == person }.compactMap { $0.scope(for: service, at: now) }.max()
    }

    static func day(_ text: String) -> Date? {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "America/Vancouver")
        formatter.dateFormat = "yyyy-MM-dd"
        return formatter.date(from: text.trimmingCharacters(in: .whitespaces))
    }
}
