/// Something an actor wants to do. Every route names one; the policy decides.
public enum Action: Sendable, Equatable {
    /// Public pages and public API reads.
    case readPublic
    /// Create or change ministries.
    case manageMinistries
    /// Create staff accounts and assign roles.
    case manageStaff
    /// See and change one's own account (sessions, TOTP, activity).
    case useOwnAccount
    /// Read a person's record. `representation` is the scope a representation grants the actor, if any.
    case viewPerson(PersonID, representation: RepresentationScope?)
    /// Record in-person identity verification for a person.
    case verifyIdentity
    /// Record a representation on a person's behalf (counter staff, with evidence).
    case recordRepresentation
    /// Issue, rotate or revoke API keys for ministry systems.
    case manageAPIKeys
    /// Read the audit log and verify its chain.
    case readAuditLog
    /// Read the development mailbox (only when the local outbox transport is in use).
    case readDevelopmentMailbox
    /// Look a person up (by email) to serve them.
    case findPeople
    /// See, give and revoke one's own representations.
    case manageOwnRepresentatives
    /// Handle people's correction requests.
    case reviewCorrections
    /// A ministry system's call about one service (its key must name the service).
    case callService(String)
    /// A ministry system reading its own registration.
    case readOwnClient
    /// Act for another person on a service. `granted` is what the actor's representation allows there;
    /// `requirement` is what the service asks of whoever uses it.
    case actFor(PersonID, service: String, needs: RepresentationScope, granted: RepresentationScope?, requirement: ServiceAccessRequirement)
    /// Use a service for oneself, which asks a minimum identity level and sign-in strength.
    case useService(String, requirement: ServiceAccessRequirement)
    /// See the catalogue's drafts and review queue.
    case readCatalogueWork
    /// Write or submit a draft of a service whose competent authority is `ministry` (`nil` while the
    /// draft names no registered ministry yet).
    case draftService(ministry: MinistryID?, code: String)
    /// Send back, publish or retire services, and edit life events: catalogue stewards.
    case reviewCatalogue
    /// See the requests worklist and find requests by reference: caseworkers and front-line staff.
    case readRequestWork
    /// Work a request as its ministry (receive, decide, ask for information): caseworkers of that ministry.
    case decideRequest(ministry: MinistryID)
    /// Serve a person on a request at the counter or by phone: open it for them, record contacts, act for them.
    case serveRequest
    /// Work an office's queue (check people in, call, serve) and see its dashboard: its counter agents and managers.
    case workCounter(OfficeID)
    /// Change an office's closures and rules: its managers (and administrators).
    case manageOffice(OfficeID)
    /// The contact centre's console: log calls, verify callers, schedule callbacks, transfer.
    case serveByPhone
    /// Book, move or cancel an appointment for a person, and track interpreter requests: front-line staff.
    case bookForPerson
}

/// The one place that decides every access. Default deny: an action not granted below is refused.
public enum AccessPolicy {
    public enum Decision: Sendable, Equatable {
        case allow
        /// Not signed in: sign in and try again.
        case authenticate
        /// Signed in, but not strongly enough: step up (add a second factor) and try again.
        case stepUp(AuthenticationLevel)
        /// Identity not yet known well enough for this: prove it (provincial sign-in, or at a counter).
        case proveIdentity(AssuranceLevel)
        case deny
    }

    /// Decides whether `actor` may perform `action`.
    public static func decide(_ actor: Actor, _ action: Action) -> Decision {
        switch action {
        case .readPublic:
            return .allow
        case .readDevelopmentMailbox:
            return .allow
        case .manageMinistries, .manageStaff, .manageAPIKeys:
            return staffOnly(actor) { $0.isAdministrator }
        case .reviewCorrections:
            return staffOnly(actor) { $0.holds(.privacyOfficer) }
        case .readAuditLog:
            return staffOnly(actor) { $0.isAdministrator || $0.holds(.privacyOfficer) }
        case .verifyIdentity, .recordRepresentation:
            return staffOnly(actor) { $0.holds(.counterAgent) || $0.holds(.officeManager) }
        case .callService(let service):
            guard case .apiClient(_, let services) = actor else { return actor == .anonymous ? .authenticate : .deny }
            return services.contains(service) ? .allow : .deny
        case .readOwnClient:
            if case .apiClient = actor { return .allow }
            return actor == .anonymous ? .authenticate : .deny
        case .findPeople:
            return staffOnly(actor, servesPeople)
        case .manageOwnRepresentatives:
            switch actor {
            case .person(_, let authentication, _): return authentication >= .multiFactor ? .allow : .stepUp(.multiFactor)
            case .anonymous: return .authenticate
            case .staff, .configuredAdministrator, .apiClient: return .deny
            }
        case .actFor(let person, _, let needs, let granted, let requirement):
            guard case .person(let id, _, _) = actor else { return actor == .anonymous ? .authenticate : .deny }
            // Interpreters and helpers hold no representation, so they never pass here.
            guard id != person, let granted, granted >= needs else { return .deny }
            // Acting for someone shows their personal information: at least two factors, and the service's own needs.
            return meets(actor, requirement.atLeast(authentication: .multiFactor))
        case .useService(_, let requirement):
            guard case .person = actor else { return actor == .anonymous ? .authenticate : .deny }
            return meets(actor, requirement)
        case .readCatalogueWork:
            if actor == .configuredAdministrator { return .allow }
            return staffOnly(actor) { $0.holds(.serviceOwner) || $0.holds(.catalogueSteward) }
        case .draftService(let ministry, let code):
            switch actor {
            case .configuredAdministrator: return .allow
            // A ministry system may maintain the description of a service its key names.
            case .apiClient(_, let services): return services.contains(code) ? .allow : .deny
            case .anonymous: return .authenticate
            case .person: return .deny
            case .staff: return ministry.map { actor.holds(.serviceOwner, forMinistry: $0) } == true ? .allow : .deny
            }
        case .reviewCatalogue:
            if actor == .configuredAdministrator { return .allow }
            return staffOnly(actor) { $0.holds(.catalogueSteward) }
        case .readRequestWork:
            return staffOnly(actor) { $0.holds(.ministryCaseworker) || frontline($0) }
        case .decideRequest(let ministry):
            return staffOnly(actor) { $0.holds(.ministryCaseworker, forMinistry: ministry) }
        case .serveRequest, .bookForPerson:
            return staffOnly(actor, frontline)
        case .workCounter(let office):
            return staffOnly(actor) { $0.holds(.counterAgent, forOffice: office) || $0.holds(.officeManager, forOffice: office) }
        case .manageOffice(let office):
            return staffOnly(actor) { $0.isAdministrator || $0.holds(.officeManager, forOffice: office) }
        case .serveByPhone:
            return staffOnly(actor) { $0.holds(.contactCentreAgent) || $0.holds(.officeManager) }
        case .useOwnAccount:
            switch actor {
            case .person, .staff: return .allow
            case .anonymous: return .authenticate
            case .configuredAdministrator, .apiClient: return .deny
            }
        case .viewPerson(let person, let representation):
            switch actor {
            case .person(let id, let authentication, _):
                guard id == person || representation != nil else { return .deny }
                // Personal information needs two factors (REFERENCE.md section 6: AAL2).
                return authentication >= .multiFactor ? .allow : .stepUp(.multiFactor)
            case .staff:
                return servesPeople(actor) ? .allow : .deny
            case .anonymous:
                return .authenticate
            case .configuredAdministrator, .apiClient:
                return .deny
            }
        }
    }

    /// Whether a signed-in person meets a service's requirement, and if not, the way on.
    static func meets(_ actor: Actor, _ requirement: ServiceAccessRequirement) -> Decision {
        guard case .person(_, let authentication, let assurance) = actor else { return .deny }
        if assurance < requirement.assurance { return .proveIdentity(requirement.assurance) }
        if authentication < requirement.authentication { return .stepUp(requirement.authentication) }
        return .allow
    }

    /// Staff whose work is serving people and may therefore open a person's record (with a purpose).
    static func servesPeople(_ actor: Actor) -> Bool {
        actor.holds(.counterAgent) || actor.holds(.contactCentreAgent) || actor.holds(.officeManager)
            || actor.holds(.ministryCaseworker) || actor.holds(.privacyOfficer)
    }

    /// Staff who serve people face to face or by phone.
    public static func frontline(_ actor: Actor) -> Bool {
        actor.holds(.counterAgent) || actor.holds(.contactCentreAgent) || actor.holds(.officeManager)
    }

    static func staffOnly(_ actor: Actor, _ rule: (Actor) -> Bool) -> Decision {
        if actor == .anonymous { return .authenticate }
        return rule(actor) ? .allow : .deny
    }
}

/// What a service asks of the person using it (REFERENCE.md section 6, per-service privacy): a minimum
/// identity assurance level and a minimum sign-in strength. The catalogue states it per service.
public struct ServiceAccessRequirement: Sendable, Equatable, Codable {
    public var assurance: AssuranceLevel
    public var authentication: AuthenticationLevel

    public init(assurance: AssuranceLevel = .selfAsserted, authentication: AuthenticationLevel = .multiFactor) {
        self.assurance = assurance
        self.authentication = authentication
    }

    /// A service that states nothing still shows personal information: level 1, two factors.
    public static let `default` = ServiceAccessRequirement()

    func atLeast(authentication level: AuthenticationLevel) -> ServiceAccessRequirement {
        ServiceAccessRequirement(assurance: assurance, authentication: max(authentication, level))
    }
}
