import AnyDoorCore
import Foundation

/// Whose session or credentials a row belongs to.
public enum AccountKind: String, Sendable, Codable {
    case person
    case staff
}

/// A person's account with its credentials, as the sign-in flow needs it.
public struct PersonAccount: Sendable, Equatable {
    public var person: Person
    public var passwordHash: String?
    public var totpSecret: String?
    public var totpEnabledAt: Date?
    public var totpLastStep: Int?
}

/// A member of staff's account. Staff always have a TOTP secret: two factors are mandatory.
public struct StaffAccount: Sendable, Equatable {
    public var id: StaffID
    public var email: String
    public var name: String
    public var passwordHash: String
    public var totpSecret: String
    public var totpLastStep: Int?
    public var roles: [RoleAssignment]
    public var disabledAt: Date?

    public init(id: StaffID, email: String, name: String, passwordHash: String, totpSecret: String, totpLastStep: Int? = nil, roles: [RoleAssignment], disabledAt: Date? = nil) {
        self.id = id
        self.email = email
        self.name = name
        self.passwordHash = passwordHash
        self.totpSecret = totpSecret
        self.totpLastStep = totpLastStep
        self.roles = roles
        self.disabledAt = disabledAt
    }
}

/// A stored session. The id itself is never stored, only its SHA-256.
public struct SessionRecord: Sendable, Equatable {
    public var idHash: String
    public var kind: AccountKind
    public var subjectID: UUID
    public var authentication: AuthenticationLevel
    /// Password accepted, second factor still to come: such a session grants nothing.
    public var awaitingSecondFactor: Bool
    public var csrfToken: String
    /// A coarse description of the browser ("Chrome on Linux"), to tell sessions apart in the list.
    public var device: String
    public var createdAt: Date
    public var lastSeenAt: Date
    public var revokedAt: Date?

    public init(idHash: String, kind: AccountKind, subjectID: UUID, authentication: AuthenticationLevel, awaitingSecondFactor: Bool,
                csrfToken: String, device: String, createdAt: Date, lastSeenAt: Date, revokedAt: Date?) {
        self.idHash = idHash
        self.kind = kind
        self.subjectID = subjectID
        self.authentication = authentication
        self.awaitingSecondFactor = awaitingSecondFactor
        self.csrfToken = csrfToken
        self.device = device
        self.createdAt = createdAt
        self.lastSeenAt = lastSeenAt
        self.revokedAt = revokedAt
    }
}

/// A message waiting in the notification outbox.
public struct OutboxMessage: Sendable, Equatable {
    public var id: UUID
    public var channel: String
    public var recipient: String
    public var template: String
    public var language: LanguageCode
    public var subject: String
    public var body: String
    public var status: String
    public var createdAt: Date

    public init(id: UUID, channel: String, recipient: String, template: String, language: LanguageCode, subject: String, body: String, status: String = "created", createdAt: Date) {
        self.id = id
        self.channel = channel
        self.recipient = recipient
        self.template = template
        self.language = language
        self.subject = subject
        self.body = body
        self.status = status
        self.createdAt = createdAt
    }
}

public enum AccountError: Error, Equatable, Sendable {
    case emailTaken
    case notFound
}
