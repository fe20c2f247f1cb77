import Foundation

/// Identifies a person: a citizen, a business representative, anyone served.
public struct PersonID: TypedID {
    public let rawValue: UUID
    public init(rawValue: UUID) { self.rawValue = rawValue }
}

/// How sure government is of who a person is (BC identity assurance levels, NIST SP 800-63A IAL).
public enum AssuranceLevel: Int, Codable, Sendable, Comparable, CaseIterable {
    /// Self-asserted at registration.
    case selfAsserted = 1
    /// Verified remotely, or by the identity provider at this level.
    case verified = 2
    /// Verified in person against evidence.
    case inPerson = 3

    public static func < (lhs: AssuranceLevel, rhs: AssuranceLevel) -> Bool { lhs.rawValue < rhs.rawValue }
}

/// How strongly the current session was authenticated (NIST SP 800-63B AAL).
public enum AuthenticationLevel: Int, Codable, Sendable, Comparable {
    /// One factor (a password, or an identity provider asserting one factor).
    case singleFactor = 1
    /// Two factors (password and TOTP, or an identity provider asserting multi-factor).
    case multiFactor = 2

    public static func < (lhs: AuthenticationLevel, rhs: AuthenticationLevel) -> Bool { lhs.rawValue < rhs.rawValue }
}

/// A person with an account. Personal fields are encrypted at rest by the store.
public struct Person: Sendable, Equatable {
    public var id: PersonID
    public var email: String
    public var name: String
    public var preferredLanguage: LanguageCode
    public var assurance: AssuranceLevel
    public var emailVerifiedAt: Date?
    public var createdAt: Date

    public init(id: PersonID, email: String, name: String, preferredLanguage: LanguageCode, assurance: AssuranceLevel, emailVerifiedAt: Date?, createdAt: Date) {
        self.id = id
        self.email = email
        self.name = name
        self.preferredLanguage = preferredLanguage
        self.assurance = assurance
        self.emailVerifiedAt = emailVerifiedAt
        self.createdAt = createdAt
    }
}
