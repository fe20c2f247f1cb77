import AnyDoorCore
import AnyDoorStore
import Foundation
import Hummingbird

/// `/sign-in/provincial`: sign in (or link an account) with the provincial identity provider.
struct ProvincialSignInController: Sendable {
    let identity: IdentityService
    let provider: ProvincialIdentityProvider
    let pages: PageRenderer

    var logins: SQLProvincialSignIn { SQLProvincialSignIn(database: identity.database) }

    /// A pending login older than this is refused (the person took too long at the provider).
    static let loginLifetime: TimeInterval = 600

    func addRoutes(to router: Router<AppRequestContext>) {
        router.get("/sign-in/provincial") { request, context in
            let discovery = try await provider.discovery()
            let state = OneTimeCodes.token()
            let nonce = OneTimeCodes.token()
            let (verifier, challenge) = ProvincialIdentityProvider.pkce()
            let returnTo = AccountController.localPath(request.uri.queryParameters["return"].map(String.init)) ?? "/account"
            try await logins.start(stateHash: OneTimeCodes.digest(state), .init(nonce: nonce, codeVerifier: verifier, returnTo: returnTo,
                                                                               linkPerson: context.actor.personID, createdAt: identity.now))
            return Response.redirect(to: provider.authorizationURL(discovery, state: state, nonce: nonce, challenge: challenge), type: .found)
        }
        router.get("/sign-in/provincial/callback") { request, context in
            let t = pages.translator(for: context)
            func failure(_ messageKey: String) -> Response {
                pages.render(NoticePage(titleKey: "provincial.failedTitle", message: t(messageKey), linkText: t("reset.backToSignIn"), linkHref: "/sign-in"),
                             context: context, path: "/sign-in", status: .badRequest)
            }
            let query = request.uri.queryParameters
            guard let state = query["state"].map(String.init), let pending = try await logins.finish(stateHash: OneTimeCodes.digest(state)),
                  identity.now.timeIntervalSince(pending.createdAt) < Self.loginLifetime else {
                return failure("provincial.expired")
            }
            guard let code = query["code"].map(String.init), query["error"] == nil else { return failure("provincial.cancelled") }
            let claims: IDTokenClaims
            do {
                claims = try await provider.redeem(code: code, verifier: pending.codeVerifier, nonce: pending.nonce, now: identity.now)
            } catch {
                context.logger.warning("provincial sign-in refused", metadata: ["reason": "\(error)"])
                try await identity.audit.append(AuditEntry(at: identity.now, actor: "anonymous", action: "session.sign-in", channel: .online, outcome: "failure", detail: "provincial: token rejected"))
                return failure("provincial.rejected")
            }
            switch try await identity.signIn(with: claims, linking: pending.linkPerson, language: context.language, device: AccountController.device(request)) {
            case .signedIn(let token):
                var response = Response.redirect(to: pending.returnTo, type: .found)
                response.setCookie(SessionMiddleware.cookie(token))
                return response
            case .emailBelongsToAnotherAccount:
                return failure("provincial.emailTaken")
            case .noEmail:
                return failure("provincial.noEmail")
            }
        }
    }
}

extension IdentityService {
    enum ProviderOutcome: Sendable, Equatable {
        case signedIn(token: String)
        case emailBelongsToAnotherAccount
        case noEmail
    }

    /// Signs in with verified ID token claims: the linked person; or links the signed-in person; or
    /// creates a person from the claims. The provider's assurance is recorded and raises (never lowers)
    /// the person's level; the session's strength is what the provider asserts.
    func signIn(with claims: IDTokenClaims, linking: PersonID?, language: LanguageCode, device: String) async throws -> ProviderOutcome {
        let links = SQLProvincialSignIn(database: database)
        let now = self.now
        var person = try await links.person(issuer: claims.issuer, subject: claims.subject)
        var created: Person?
        if person == nil, let linking {
            person = linking
        } else if person == nil {
            guard let email = claims.email, MinistryRules.isPlausibleEmail(email) else { return .noEmail }
            if try await people.find(email: email) != nil { return .emailBelongsToAnotherAccount }
            created = Person(id: PersonID(rawValue: environment.makeID()), email: email, name: claims.name ?? email, preferredLanguage: language,
                             assurance: claims.assurance, emailVerifiedAt: claims.emailVerified == true ? now : nil, createdAt: now)
            person = created!.id
        }
        guard let person else { return .noEmail }
        let newPerson = created
        let existing = created == nil ? try await people.find(person) : nil
        let token: String = try await database.transaction { sql in
            if let created = newPerson {
                try await people.create(created, passwordHash: nil, on: sql)
                try await audit.append(AuditEntry(at: now, actor: "person:\(person)", action: "account.registered", target: "person:\(person)", channel: .online, detail: "provincial identity provider"), on: sql)
            }
            try await links.link(issuer: claims.issuer, subject: claims.subject, person: person, assurance: claims.assurance, at: now, on: sql)
            if let existing, claims.assurance > existing.person.assurance {
                try await people.setAssurance(person, claims.assurance, on: sql)
            }
            try await audit.append(AuditEntry(at: now, actor: "person:\(person)", action: "session.signed-in", target: "person:\(person)", channel: .online,
                                              detail: "provincial identity provider; assurance \(claims.assurance.rawValue)"), on: sql)
            return try await startSession(kind: .person, subject: person.rawValue, level: claims.authentication, awaitingSecondFactor: false, device: device, on: sql)
        }
        return .signedIn(token: token)
    }
}
