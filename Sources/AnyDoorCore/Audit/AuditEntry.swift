import Foundation

/// One thing that happened, for the tamper-evident audit log: who did it (and for whom), what, to
/// what, through which channel, and when. `detail` never holds personal information, only ids and codes.
public struct AuditEntry: Sendable, Equatable {
    public var at: Date
    /// `person:<id>`, `staff:<id>`, `admin-token`, `system`, or `anonymous`.
    public var actor: String
    /// `person:<id>` when the actor acted for someone else.
    public var actingFor: String?
    /// Dotted verb, for example `account.registered`, `session.signed-in`, `representation.revoked`.
    public var action: String
    /// `kind:<id>` of the thing acted on.
    public var target: String?
    public var channel: Channel
    /// `success` or `failure` (access-control and authentication failures are logged too).
    public var outcome: String
    public var detail: String?

    public init(at: Date, actor: String, actingFor: String? = nil, action: String, target: String? = nil, channel: Channel, outcome: String = "success", detail: String? = nil) {
        self.at = at
        self.actor = actor
        self.actingFor = actingFor
        self.action = action
        self.target = target
        self.channel = channel
        self.outcome = outcome
        self.detail = detail
    }
}

/// The door a person came through.
public enum Channel: String, Codable, Sendable, CaseIterable {
    case online
    case phone
    case inPerson = "in-person"
    case api
    case system
}

extension Actor {
    /// How the audit log names this actor.
    public var auditName: String {
        switch self {
        case .anonymous: "anonymous"
        case .person(let id, _, _): "person:\(id)"
        case .staff(let id, _): "staff:\(id)"
        case .configuredAdministrator: "admin-token"
        case .apiClient(let id, _): "api-client:\(id)"
        }
    }
}
