import Foundation

/// Identifies a member of staff.
public struct StaffID: TypedID {
    public let rawValue: UUID
    public init(rawValue: UUID) { self.rawValue = rawValue }
}

/// Identifies a Service BC office.
public struct OfficeID: TypedID {
    public let rawValue: UUID
    public init(rawValue: UUID) { self.rawValue = rawValue }
}

/// What a member of staff does. Each role is held within a scope.
public enum StaffRole: String, Codable, Sendable, CaseIterable {
    case counterAgent = "counter-agent"
    case contactCentreAgent = "contact-centre-agent"
    case officeManager = "office-manager"
    case ministryCaseworker = "ministry-caseworker"
    case serviceOwner = "service-owner"
    case catalogueSteward = "catalogue-steward"
    case sharedServicesAnalyst = "shared-services-analyst"
    case contractManager = "contract-manager"
    case privacyOfficer = "privacy-officer"
    case administrator = "administrator"
}

/// Where a role applies: the whole province, one ministry's work, or one office.
public enum RoleScope: Sendable, Hashable, Codable {
    case province
    case ministry(MinistryID)
    case office(OfficeID)
}

/// One role held by one member of staff within one scope.
public struct RoleAssignment: Sendable, Hashable, Codable {
    public var role: StaffRole
    public var scope: RoleScope

    public init(_ role: StaffRole, scope: RoleScope = .province) {
        self.role = role
        self.scope = scope
    }
}
