import HTTPTypes
import AnyDoorCore
import AnyDoorStore
import Foundation
import Hummingbird

/// The one place where errors from every layer become HTTP problems (STYLE.md: Core and Store know no HTTP).
extension Problem {
    init(from error: any Error) {
        switch error {
        case let problem as Problem:
            self = problem
        case let error as ValidationError:
            self.init(.unprocessableContent, slug: "validation", title: "Invalid input",
                      detail: "\(error.errors.count == 1 ? "One field is" : "\(error.errors.count) fields are") not valid: \(error.errors.map(\.field).joined(separator: ", ")).",
                      errors: error.errors)
        case let error as MinistryError:
            switch error {
            case .notFound:
                self.init(.notFound, slug: "not-found", title: "Not found", detail: "There is no ministry with this id.")
            case .duplicateCode(let code):
                self.init(.conflict, slug: "duplicate", title: "Already exists", detail: "A ministry with code \(code) already exists.",
                          errors: [FieldError(field: "code", code: "duplicate", message: "Another ministry already uses code \(code).")])
            }
        case let error as CatalogueError:
            switch error {
            case .notFound(let code):
                self.init(.notFound, slug: "not-found", title: "Not found", detail: "There is no service '\(code)' in the catalogue.")
            case .versionNotFound(let code, let version):
                self.init(.notFound, slug: "not-found", title: "Not found", detail: "Service '\(code)' has no published version \(version).")
            case .duplicateCode(let code):
                self.init(.conflict, slug: "duplicate", title: "Already exists", detail: "A service with code \(code) already exists.",
                          errors: [FieldError(field: "code", code: "duplicate", message: "Another service already uses code \(code).")])
            case .transitionNotAllowed(let transition):
                self.init(.conflict, slug: "transition-not-allowed", title: "Not possible now", detail: transition.notAllowedMessage)
            case .invalid(let errors):
                self.init(.unprocessableContent, slug: "validation", title: "Does not meet the catalogue standard",
                          detail: "\(errors.count == 1 ? "One field is" : "\(errors.count) fields are") missing or invalid: \(errors.map(\.field).joined(separator: ", ")).",
                          errors: errors)
            }
        case let error as AccessDenied:
            switch error.decision {
            case .authenticate:
                self.init(.unauthorized, slug: "unauthorized", title: "Sign-in required",
                          detail: "Sign in first. API clients send 'Authorization: Bearer <token>'.")
            case .stepUp:
                self.init(.forbidden, slug: "step-up", title: "Stronger sign-in required",
                          detail: "This needs a sign-in with two factors. Confirm with your authenticator app and try again.")
            case .proveIdentity(let level):
                self.init(.forbidden, slug: "prove-identity", title: "Identity check needed",
                          detail: "This needs identity level \(level.rawValue). Sign in with BC Services Card, or show your documents at a Service BC office.")
            case .deny, .allow:
                self.init(.forbidden, slug: "forbidden", title: "Not allowed", detail: "You are not allowed to do this.")
            }
        case is DatabaseUnavailable:
            self.init(.serviceUnavailable, slug: "unavailable", title: "Service unavailable",
                      detail: "AnyDoor cannot reach its database right now. Please try again in a moment.", retryAfter: 5)
        case let error as any HTTPResponseError:
            self.init(status: error.status, message: (error as? HTTPError)?.body)
        default:
            self.init(.internalServerError, slug: "internal", title: "Something went wrong",
                      detail: "Something went wrong on our side. Quote the request id if you contact us.")
        }
    }

    init(status: HTTPResponse.Status, message: String?) {
        switch status {
        case .notFound:
            self.init(status, slug: "not-found", title: "Not found", detail: message ?? "There is nothing at this address.")
        case .contentTooLarge:
            self.init(status, slug: "too-large", title: "Request body too large", detail: message ?? "The request body is larger than AnyDoor accepts.")
        case .methodNotAllowed:
            self.init(status, slug: "method-not-allowed", title: "Method not allowed", detail: message ?? "This address does not accept this method.")
        default:
            self.init(status, slug: "http-\(status.code)", title: status.reasonPhrase, detail: message ?? status.reasonPhrase)
        }
    }

    /// Whether the failure is ours (logged at error) rather than the client's.
    var isServerFault: Bool { status >= 500 && status != 503 }
}
