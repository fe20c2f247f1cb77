import AnyDoorCore
import Hummingbird
import Logging

/// The request context of every AnyDoor route: what one request knows about itself.
public struct AppRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    /// Echoed in `X-Request-Id` and shown on error pages, so a person can quote it to support.
    public var requestID: String = ""
    /// The language the response is written in, from the locale negotiation.
    public var language: LanguageCode = .base
    /// Whether the caller proved to be the configured administrator.
    public var isAdministrator = false

    public init(source: ApplicationRequestContextSource) {
        self.coreContext = .init(source: source)
    }
}
