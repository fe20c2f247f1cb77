import AnyDoorCore
import AnyDoorStore
import Hummingbird
import Logging
import NIOCore

/// The request context of every AnyDoor route: what one request knows about itself.
public struct AppRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    /// Echoed in `X-Request-Id` and shown on error pages, so a person can quote it to support.
    public var requestID: String = ""
    /// The language the response is written in, from the locale negotiation.
    public var language: LanguageCode = .base
    /// Who is asking; `.anonymous` until a session or token says otherwise.
    public var actor: Actor = .anonymous
    /// The signed-in session, if any.
    public var session: SessionRecord?
    /// The token every state-changing form must echo: the session's, or the pre-session cookie's.
    public var csrfToken: String = ""
    /// The client's address, only ever used hashed (sign-in throttling), never logged.
    public let remoteAddress: String?

    public init(source: ApplicationRequestContextSource) {
        self.coreContext = .init(source: source)
        self.remoteAddress = source.channel.remoteAddress?.ipAddress
    }

    /// Checks `action` against the one access policy; throws ``AccessDenied`` unless allowed.
    public func require(_ action: Action) throws {
        let decision = AccessPolicy.decide(actor, action)
        guard decision == .allow else { throw AccessDenied(decision: decision, action: action) }
    }
}

extension AppRequestContext {
    /// The signed-in person, for their own pages: two factors, since these show personal information.
    /// Anyone else is sent to sign in (anonymous) or refused (staff, systems).
    func ownPerson() throws -> PersonID {
        guard let person = actor.personID else { throw AccessDenied(decision: actor == .anonymous ? .authenticate : .deny, action: .useOwnAccount) }
        try require(.viewPerson(person, representation: nil))
        return person
    }
}

/// The policy refused an action. Mapped to 401 (sign in), 403, or a step-up page.
public struct AccessDenied: Error, Sendable {
    public let decision: AccessPolicy.Decision
    public let action: Action
}
