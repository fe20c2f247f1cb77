import Foundation

/// Who is asking: what every access decision starts from.
public enum Actor: Sendable, Equatable {
    case anonymous
    /// A person signed in, with how strongly they authenticated and how well their identity is known.
    case person(PersonID, authentication: AuthenticationLevel, assurance: AssuranceLevel)
    /// Staff always sign in with two factors (REFERENCE.md section 7: admin and staff require MFA).
    case staff(StaffID, roles: [RoleAssignment])
    /// The operator's configured administrator token (bootstrap, before any staff account exists).
    case configuredAdministrator
    /// A ministry system calling the API with its key, allowed only the services its key names
    /// (X-Road style access rights: default deny, per client per service).
    case apiClient(APIClientID, services: Set<String>)

    /// Whether the actor holds `role` in any scope.
    public func holds(_ role: StaffRole) -> Bool {
        if case .staff(_, let roles) = self { return roles.contains { $0.role == role } }
        return false
    }

    /// Whether the actor holds `role` for the ministry (a province-wide role covers every ministry).
    public func holds(_ role: StaffRole, forMinistry ministry: MinistryID) -> Bool {
        guard case .staff(_, let roles) = self else { return false }
        return roles.contains { $0.role == role && ($0.scope == .province || $0.scope == .ministry(ministry)) }
    }

    /// Whether the actor holds `role` at the office (a province-wide role covers every office).
    public func holds(_ role: StaffRole, forOffice office: OfficeID) -> Bool {
        guard case .staff(_, let roles) = self else { return false }
        return roles.contains { $0.role == role && ($0.scope == .province || $0.scope == .office(office)) }
    }

    public var isAdministrator: Bool {
        self == .configuredAdministrator || holds(.administrator)
    }

    public var personID: PersonID? {
        if case .person(let id, _, _) = self { return id }
        return nil
    }

    public var apiClientID: APIClientID? {
        if case .apiClient(let id, _) = self { return id }
        return nil
    }

    public var staffID: StaffID? {
        if case .staff(let id, _) = self { return id }
        return nil
    }
}

/// Identifies a ministry system registered as an API client.
public struct APIClientID: TypedID {
    public let rawValue: UUID
    public init(rawValue: UUID) { self.rawValue = rawValue }
}
