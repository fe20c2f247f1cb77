import AnyDoorCore
import AsyncHTTPClient
import Crypto
import Foundation
import JWTKit
import NIOCore
import NIOFoundationCompat

/// The provincial identity provider (BC Services Card), spoken to over OpenID Connect: discovery,
/// authorization code with PKCE (RFC 7636, S256), state and nonce, and an ID token whose signature is
/// checked against the provider's published keys (JWKS) before its claims are trusted.
struct ProvincialIdentityProvider: Sendable {
    struct Settings: Sendable {
        /// `ANYDOOR_OIDC_ISSUER`: the provider's issuer URL; discovery is at `/.well-known/openid-configuration`.
        var issuer: String
        var clientID: String
        var clientSecret: String?
        /// Where the provider sends people back: `<public URL>/sign-in/provincial/callback`.
        var redirectURI: String
    }

    struct Discovery: Decodable, Sendable {
        let issuer: String
        let authorizationEndpoint: String
        let tokenEndpoint: String
        let jwksURI: String

        enum CodingKeys: String, CodingKey {
            case issuer
            case authorizationEndpoint = "authorization_endpoint"
            case tokenEndpoint = "token_endpoint"
            case jwksURI = "jwks_uri"
        }
    }

    let settings: Settings
    let http: HTTPClient

    enum Failure: Error, CustomStringConvertible {
        case provider(String)
        case token(IDTokenClaims.Problem)
        var description: String {
            switch self {
            case .provider(let what): "identity provider: \(what)"
            case .token(let problem): "ID token rejected: \(problem)"
            }
        }
    }

    func discovery() async throws -> Discovery {
        let discovery: Discovery = try await getJSON(settings.issuer + "/.well-known/openid-configuration")
        guard discovery.issuer == settings.issuer else { throw Failure.provider("discovery names another issuer") }
        return discovery
    }

    /// The PKCE pair: a random verifier and its S256 challenge.
    static func pkce() -> (verifier: String, challenge: String) {
        let verifier = OneTimeCodes.token() + OneTimeCodes.token() + OneTimeCodes.token() // 66 characters, 384 bits
        let digest = Data(SHA256.hash(data: Data(verifier.utf8)))
        return (verifier, base64URL(digest))
    }

    static func base64URL(_ data: Data) -> String {
        data.base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
    }

    func authorizationURL(_ discovery: Discovery, state: String, nonce: String, challenge: String) -> String {
        var components = URLComponents(string: discovery.authorizationEndpoint)!
        components.queryItems = (components.queryItems ?? []) + [
            URLQueryItem(name: "response_type", value: "code"),
            URLQueryItem(name: "client_id", value: settings.clientID),
            URLQueryItem(name: "redirect_uri", value: settings.redirectURI),
            URLQueryItem(name: "scope", value: "openid profile email"),
            URLQueryItem(name: "state", value: state),
            URLQueryItem(name: "nonce", value: nonce),
            URLQueryItem(name: "code_challenge", value: challenge),
            URLQueryItem(name: "code_challenge_method", value: "S256"),
        ]
        return components.string!
    }

    /// Exchanges the code for tokens, verifies the ID token's signature with the provider's keys, then
    /// its claims (issuer, audience, expiry, nonce) against `now`.
    func redeem(code: String, verifier: String, nonce: String, now: Date) async throws -> IDTokenClaims {
        let discovery = try await discovery()
        var request = HTTPClientRequest(url: discovery.tokenEndpoint)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/x-www-form-urlencoded")
        request.headers.add(name: "Accept", value: "application/json")
        var form = ["grant_type": "authorization_code", "code": code, "redirect_uri": settings.redirectURI, "client_id": settings.clientID, "code_verifier": verifier]
        if let secret = settings.clientSecret { form["client_secret"] = secret }
        request.body = .bytes(ByteBuffer(string: form.map { "\($0.key)=\(Self.formEncode($0.value))" }.joined(separator: "&")))
        let response = try await http.execute(request, timeout: .seconds(10))
        let body = try await response.body.collect(upTo: 1 << 20)
        guard response.status == .ok else { throw Failure.provider("token endpoint answered \(response.status.code)") }
        struct TokenResponse: Decodable { let id_token: String }
        let tokens = try JSONDecoder().decode(TokenResponse.self, from: Data(buffer: body))

        let jwks: JWKS = try await getJSON(discovery.jwksURI)
        let keys = JWTKeyCollection()
        try await keys.add(jwks: jwks)
        let payload = try await keys.verify(tokens.id_token, as: IDTokenPayload.self)
        let claims = payload.claims
        do {
            try claims.validate(issuer: settings.issuer, clientID: settings.clientID, nonce: nonce, now: now)
        } catch {
            throw Failure.token(error)
        }
        return claims
    }

    func getJSON<Value: Decodable>(_ url: String) async throws -> Value {
        var request = HTTPClientRequest(url: url)
        request.headers.add(name: "Accept", value: "application/json")
        let response = try await http.execute(request, timeout: .seconds(10))
        let body = try await response.body.collect(upTo: 1 << 20)
        guard response.status == .ok else { throw Failure.provider("\(url) answered \(response.status.code)") }
        return try JSONDecoder().decode(Value.self, from: Data(buffer: body))
    }

    static func formEncode(_ value: String) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return value.addingPercentEncoding(withAllowedCharacters: allowed) ?? value
    }
}

/// The ID token as jwt-kit decodes it. Its own `verify` checks nothing: the claims are checked by
/// ``IDTokenClaims/validate(issuer:clientID:nonce:now:skew:)`` with AnyDoor's clock.
struct IDTokenPayload: JWTPayload {
    let iss: IssuerClaim
    let sub: SubjectClaim
    let aud: AudienceClaim
    let exp: ExpirationClaim
    let iat: IssuedAtClaim
    let nonce: String?
    let email: String?
    let email_verified: Bool?
    let name: String?
    let acr: String?
    let amr: [String]?

    func verify(using algorithm: some JWTAlgorithm) async throws {}

    var claims: IDTokenClaims {
        IDTokenClaims(issuer: iss.value, subject: sub.value, audiences: aud.value, expiresAt: exp.value, issuedAt: iat.value, nonce: nonce,
                      email: email, emailVerified: email_verified, name: name, acr: acr, amr: amr ?? [])
    }
}
