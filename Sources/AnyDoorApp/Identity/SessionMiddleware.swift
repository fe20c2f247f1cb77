import AnyDoorCore
import AnyDoorStore
import Foundation
import Hummingbird

/// Finds the signed-in session from the `__Host-anydoor-session` cookie and sets the actor.
///
/// REFERENCE.md section 6: the id is 128 random bits; the cookie is `__Host-` prefixed, Secure,
/// HttpOnly, SameSite=Lax, Path=/; the server ends it after 30 minutes idle or 12 hours, and at sign-out.
/// The JSON API never accepts the cookie (API clients use bearer tokens), which also keeps the API
/// out of reach of cross-site requests.
struct SessionMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext
    let identity: IdentityService
    let errors: ErrorMiddleware

    static let cookieName = "__Host-anydoor-session"
    /// Activity is written at most once a minute per session; idle expiry is exact to within that minute.
    static let touchInterval: TimeInterval = 60

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard !request.uri.path.hasPrefix("/api/"), let token = request.cookies[Self.cookieName]?.value, !token.isEmpty else {
            return try await next(request, context)
        }
        var context = context
        let now = identity.now
        var expired = false
        if let session = try await identity.sessions.find(idHash: OneTimeCodes.digest(token)) {
            switch identity.lifetime.verdict(createdAt: session.createdAt, lastSeenAt: session.lastSeenAt, revokedAt: session.revokedAt, now: now) {
            case .active:
                context.session = session
                if !session.awaitingSecondFactor {
                    context.actor = try await actor(for: session)
                    // The person's saved language comes first; choosing another with ?lang= saves it.
                    if let person = context.actor.personID, let account = try await identity.people.find(person) {
                        if let asked = request.uri.queryParameters["lang"].flatMap({ LocaleNegotiation.match(String($0)) }) {
                            if asked != account.person.preferredLanguage { try await identity.people.setPreferredLanguage(person, asked) }
                        } else {
                            context.language = account.person.preferredLanguage
                        }
                    }
                }
                if now.timeIntervalSince(session.lastSeenAt) >= Self.touchInterval {
                    try await identity.sessions.touch(idHash: session.idHash, at: now)
                }
            case .idleExpired, .absoluteExpired, .revoked:
                expired = true
            }
        } else {
            expired = true
        }
        var response: Response
        do {
            response = try await next(request, context)
        } catch {
            response = try errors.response(for: error, request: request, context: context)
        }
        if expired, response.headers[.setCookie] == nil {
            response.setCookie(Self.clearingCookie)
        }
        return response
    }

    func actor(for session: SessionRecord) async throws -> Actor {
        switch session.kind {
        case .person:
            guard let account = try await identity.people.find(PersonID(rawValue: session.subjectID)) else { return .anonymous }
            return .person(account.person.id, authentication: session.authentication, assurance: account.person.assurance)
        case .staff:
            // Every staff request passes here: one query, no sealed field opened.
            guard let roles = try await identity.staff.roles(of: StaffID(rawValue: session.subjectID)) else { return .anonymous }
            return .staff(StaffID(rawValue: session.subjectID), roles: roles)
        }
    }

    static func cookie(_ token: String) -> Cookie {
        Cookie(name: cookieName, value: token, path: "/", secure: true, httpOnly: true, sameSite: .lax)
    }

    static var clearingCookie: Cookie {
        Cookie(name: cookieName, value: "", expires: Date(timeIntervalSince1970: 0), maxAge: 0, path: "/", secure: true, httpOnly: true, sameSite: .lax)
    }
}
