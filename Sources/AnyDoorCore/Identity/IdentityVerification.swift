import Foundation

/// Evidence a person shows at a counter (BC's accepted identity documents).
public enum EvidenceType: String, Codable, Sendable, CaseIterable {
    case bcServicesCard = "bc-services-card"
    case driversLicence = "drivers-licence"
    case passport
    case birthCertificate = "birth-certificate"
    case permanentResidentCard = "permanent-resident-card"
    case citizenshipCertificate = "citizenship-certificate"

    /// Primary documents establish identity on their own with a photo or an authoritative record.
    public var isPrimary: Bool {
        switch self {
        case .bcServicesCard, .driversLicence, .passport, .permanentResidentCard: true
        case .birthCertificate, .citizenshipCertificate: false
        }
    }
}

/// How the evidence was checked.
public enum CheckMethod: String, Codable, Sendable, CaseIterable {
    case visualInspection = "visual-inspection"
    case chipRead = "chip-read"
    case issuerRecordCheck = "issuer-record-check"
}

/// One in-person identity proofing at a counter (NIST SP 800-63A; REFERENCE.md section 6): who
/// checked what, how, with what outcome, where, and whether an interpreter was present. An interpreter
/// assists; they never gain any authority over the person's record.
public struct IdentityVerification: Sendable, Equatable {
    public var person: PersonID
    public var evidence: [EvidenceType]
    public var method: CheckMethod
    public var verified: Bool
    public var agent: StaffID
    public var office: String
    public var interpreterPresent: Bool
    public var at: Date

    public init(person: PersonID, evidence: [EvidenceType], method: CheckMethod, verified: Bool, agent: StaffID, office: String, interpreterPresent: Bool, at: Date) {
        self.person = person
        self.evidence = evidence
        self.method = method
        self.verified = verified
        self.agent = agent
        self.office = office
        self.interpreterPresent = interpreterPresent
        self.at = at
    }

    /// The level this proofing supports: in person (3) with one primary document, or two documents;
    /// otherwise nothing is raised.
    public var resultingLevel: AssuranceLevel? {
        guard verified else { return nil }
        let primary = evidence.filter(\.isPrimary).count
        return primary >= 1 || evidence.count >= 2 ? .inPerson : nil
    }

    /// Checks a proofing record, naming each invalid field.
    public static func validate(evidence: [EvidenceType], office: String) throws(ValidationError) {
        var problems = ValidationCollector()
        if evidence.isEmpty { problems.add("evidence", "required", "Select the documents the person showed.") }
        if office.trimmingCharacters(in: .whitespaces).isEmpty { problems.add("office", "required", "Enter the office where you checked the documents.") }
        try problems.check()
    }
}

/// Why a member of staff opened a person's record. Shown to the person ("who looked at my information").
public enum AccessPurpose: String, Codable, Sendable, CaseIterable {
    case servingInPerson = "serving-in-person"
    case phoneEnquiry = "phone-enquiry"
    case processingRequest = "processing-request"
    case identityVerification = "identity-verification"
    case privacyReview = "privacy-review"
}
