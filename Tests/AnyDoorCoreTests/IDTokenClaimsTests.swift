import AnyDoorCore
import Foundation
import Testing

/// OpenID Connect Core 1.0 section 3.1.3.7: what makes an ID token acceptable once its signature is.
@Suite struct IDTokenClaimsTests {
    static let now = Date(timeIntervalSince1970: 1_795_000_000)

    static func claims(issuer: String = "https://idp.gov.bc.ca", audiences: [String] = ["anydoor"], expiresIn: TimeInterval = 300,
                       issuedAgo: TimeInterval = 10, nonce: String? = "n-1", acr: String? = nil, amr: [String] = []) -> IDTokenClaims {
        IDTokenClaims(issuer: issuer, subject: "sub-1", audiences: audiences, expiresAt: now.addingTimeInterval(expiresIn),
                      issuedAt: now.addingTimeInterval(-issuedAgo), nonce: nonce, acr: acr, amr: amr)
    }

    @Test func aTokenForUsFromOurProviderWithOurNonceIsAccepted() throws {
        try Self.claims().validate(issuer: "https://idp.gov.bc.ca", clientID: "anydoor", nonce: "n-1", now: Self.now)
    }

    @Test(arguments: [
        (claims(issuer: "https://evil.example"), IDTokenClaims.Problem.wrongIssuer),
        (claims(audiences: ["someone-else"]), .wrongAudience),
        (claims(expiresIn: -301), .expired),
        (claims(issuedAgo: -301), .issuedInTheFuture),
        (claims(nonce: "replayed"), .nonceMismatch),
        (claims(nonce: nil), .nonceMismatch),
    ])
    func eachBrokenClaimIsRefusedForItsReason(_ claims: IDTokenClaims, _ problem: IDTokenClaims.Problem) {
        #expect(throws: problem) { try claims.validate(issuer: "https://idp.gov.bc.ca", clientID: "anydoor", nonce: "n-1", now: Self.now) }
    }

    @Test func fiveMinutesOfClockSkewAreTolerated() throws {
        try Self.claims(expiresIn: -299, issuedAgo: -299).validate(issuer: "https://idp.gov.bc.ca", clientID: "anydoor", nonce: "n-1", now: Self.now)
    }

    @Test(arguments: [(nil, AssuranceLevel.selfAsserted), ("1", .selfAsserted), ("2", .verified), ("3", .inPerson), ("urn:bc:loa:3", .inPerson), ("gold", .selfAsserted)] as [(String?, AssuranceLevel)])
    func theAssertedAssuranceLevelComesFromACR(_ acr: String?, _ level: AssuranceLevel) {
        #expect(Self.claims(acr: acr).assurance == level)
    }

    @Test func twoFactorsWhenTheProviderSaysSo() {
        #expect(Self.claims(amr: ["pwd"]).authentication == .singleFactor)
        #expect(Self.claims(amr: ["pwd", "otp"]).authentication == .multiFactor)
        #expect(Self.claims(acr: "2").authentication == .multiFactor)
    }
}
