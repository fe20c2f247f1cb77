import Foundation

public struct RepresentationID: TypedID {
    public let rawValue: UUID
    public init(rawValue: UUID) { self.rawValue = rawValue }
}

/// What a representation lets the representative do for one service.
public enum RepresentationScope: String, Codable, Sendable, Comparable, CaseIterable {
    case view
    case act

    public static func < (lhs: Self, rhs: Self) -> Bool { lhs == .view && rhs == .act }
}

/// How the representative is related to the person represented.
public enum Relationship: String, Codable, Sendable, CaseIterable {
    case familyMember = "family-member"
    case lawyer
    case agent
    case guardian
    case trustee
}

/// A person's authority given to another (REFERENCE.md section 6, delegation): on named services,
/// between two dates, revocable at once by the person represented. Interpreters and helpers are never
/// representatives: they appear only as "interpreter present" on interactions.
public struct Representation: Sendable, Equatable {
    public var id: RepresentationID
    public var person: PersonID
    public var representative: PersonID
    public var relationship: Relationship
    /// Scope per service identifier.
    public var services: [String: RepresentationScope]
    public var starts: Date
    public var ends: Date
    /// What proved the authority when counter staff recorded it (for example "power of attorney, sighted").
    public var evidence: String?
    public var verifiedBy: StaffID?
    public var revokedAt: Date?
    public var createdAt: Date

    public init(id: RepresentationID, person: PersonID, representative: PersonID, relationship: Relationship, services: [String: RepresentationScope],
                starts: Date, ends: Date, evidence: String? = nil, verifiedBy: StaffID? = nil, revokedAt: Date? = nil, createdAt: Date) {
        self.id = id
        self.person = person
        self.representative = representative
        self.relationship = relationship
        self.services = services
        self.starts = starts
        self.ends = ends
        self.evidence = evidence
        self.verifiedBy = verifiedBy
        self.revokedAt = revokedAt
        self.createdAt = createdAt
    }

    /// The scope this representation grants for `service` at `time`: nil when revoked, outside its dates,
    /// or not covering the service.
    public func scope(for service: String, at time: Date) -> RepresentationScope? {
        guard revokedAt == nil || revokedAt! > time, starts <= time, time < ends else { return nil }
        return services[service]
    }

    /// Whether the representative may do something needing `needed` on `service` at `time`.
    public func permits(_ needed: RepresentationScope, on service: String, at time: Date) -> Bool {
        guard let granted = scope(for: service, at: time) else { return false }
        return granted >= needed
    }

    /// Checks a new representation, naming each invalid field.
    public static func validate(person: PersonID, representative: PersonID, services: [String: RepresentationScope], starts: Date, ends: Date) throws(ValidationError) {
        var problems = ValidationCollector()
        if person == representative { problems.add("representative", "self", "A person cannot represent themselves.") }
        if services.isEmpty { problems.add("services", "required", "Name at least one service.") }
        if ends <= starts { problems.add("ends", "beforeStart", "The end date must be after the start date.") }
        try problems.check()
    }
}
