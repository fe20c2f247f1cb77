import Foundation

/// The claims of an OpenID Connect ID token that AnyDoor relies on (OpenID Connect Core 1.0,
/// section 3.1.3.7), checked after the signature.
public struct IDTokenClaims: Sendable, Equatable {
    public var issuer: String
    public var subject: String
    public var audiences: [String]
    public var expiresAt: Date
    public var issuedAt: Date
    public var nonce: String?
    public var email: String?
    public var emailVerified: Bool?
    public var name: String?
    /// Authentication context class: BC's identity assurance level ("1" to "3", or a URI ending in it).
    public var acr: String?
    /// Authentication methods (RFC 8176), such as `pwd`, `otp`, `mfa`, `hwk`.
    public var amr: [String]

    public init(issuer: String, subject: String, audiences: [String], expiresAt: Date, issuedAt: Date, nonce: String?,
                email: String? = nil, emailVerified: Bool? = nil, name: String? = nil, acr: String? = nil, amr: [String] = []) {
        self.issuer = issuer
        self.subject = subject
        self.audiences = audiences
        self.expiresAt = expiresAt
        self.issuedAt = issuedAt
        self.nonce = nonce
        self.email = email
        self.emailVerified = emailVerified
        self.name = name
        self.acr = acr
        self.amr = amr
    }

    public enum Problem: Error, Equatable, Sendable {
        case wrongIssuer, wrongAudience, expired, issuedInTheFuture, nonceMismatch, missingSubject
    }

    /// Checks issuer, audience, expiry and issue time (with `skew` of clock difference allowed) and the nonce.
    public func validate(issuer expectedIssuer: String, clientID: String, nonce expectedNonce: String, now: Date, skew: TimeInterval = 300) throws(Problem) {
        guard issuer == expectedIssuer else { throw .wrongIssuer }
        guard audiences.contains(clientID) else { throw .wrongAudience }
        guard !subject.isEmpty else { throw .missingSubject }
        guard expiresAt.addingTimeInterval(skew) > now else { throw .expired }
        guard issuedAt.addingTimeInterval(-skew) <= now else { throw .issuedInTheFuture }
        guard nonce == expectedNonce else { throw .nonceMismatch }
    }

    /// The identity assurance level the provider asserts; level 1 when it says nothing usable.
    public var assurance: AssuranceLevel {
        guard let acr, let digit = acr.last.flatMap({ Int(String($0)) }), let level = AssuranceLevel(rawValue: digit) else { return .selfAsserted }
        return level
    }

    /// Two factors when the provider says so (`mfa`, `otp`, `hwk`, `sc` in amr) or asserts level 2 or more.
    public var authentication: AuthenticationLevel {
        let multi = ["mfa", "otp", "hwk", "sc", "swk"]
        return amr.contains(where: multi.contains) || assurance >= .verified ? .multiFactor : .singleFactor
    }
}
