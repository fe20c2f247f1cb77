import HTTPTypes
import AnyDoorCore
import Foundation
import Hummingbird
import Logging

/// Turns every error into a response: `application/problem+json` for API clients, an accessible HTML
/// page for people. Unexpected errors are logged with details at `error`; the client sees only
/// "Something went wrong" and the request id. Client errors are logged at `debug`.
struct ErrorMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext
    let pages: PageRenderer

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch {
            return try response(for: error, request: request, context: context)
        }
    }

    /// The response for `error`. Also used by inner middleware that must add to the error's response
    /// (the session middleware clears an expired cookie), with the inner context (signed-in layout).
    func response(for error: any Error, request: Request, context: Context) throws -> Response {
        if let denied = error as? AccessDenied, denied.decision == .authenticate, !Self.wantsJSON(request), request.method == .get {
            // A person who is not signed in is sent to sign in, and brought back afterwards.
            let back = request.uri.path.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? ""
            return Response.redirect(to: "/sign-in?return=\(back)", type: .found)
        }
        if let denied = error as? AccessDenied, case .stepUp = denied.decision, !Self.wantsJSON(request), request.method == .get {
            // Never refused without a way on: confirm with a second factor, then come back.
            let back = request.uri.path.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? ""
            return Response.redirect(to: "/account/step-up?return=\(back)", type: .found)
        }
        if let denied = error as? AccessDenied, case .proveIdentity(let level) = denied.decision, !Self.wantsJSON(request), request.method == .get {
            let back = request.uri.path.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? ""
            return Response.redirect(to: "/account/prove-identity?level=\(level.rawValue)&return=\(back)", type: .found)
        }
        var problem = Problem(from: error)
        problem.requestID = context.requestID
        if problem.isServerFault {
            context.logger.error("unhandled error", metadata: ["error.type": "\(type(of: error))", "error": "\(String(reflecting: error))"])
        } else if problem.status == 503 {
            context.logger.warning("dependency unavailable", metadata: ["error": "\(error)"])
        } else {
            context.logger.debug("client error", metadata: ["status": "\(problem.status)", "problem": "\(problem.type)"])
        }
        var response = Self.wantsJSON(request) ? try Self.json(problem) : pages.errorPage(problem, context: context)
        if let retry = problem.retryAfter { response.headers[.retryAfter] = String(retry) }
        if problem.status == 401 { response.headers[.wwwAuthenticate] = "Bearer realm=\"anydoor\"" }
        return response
    }

    /// API paths always get JSON; elsewhere the Accept header decides, HTML by default.
    static func wantsJSON(_ request: Request) -> Bool {
        let path = request.uri.path
        if path.hasPrefix("/api/") || path.hasPrefix("/health/") || path == "/openapi.json" || path == "/metrics" { return true }
        let accept = request.headers[.accept] ?? ""
        return accept.contains("json") && !accept.contains("text/html")
    }

    static func json(_ problem: Problem) throws -> Response {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let body = try encoder.encode(problem)
        return Response(
            status: problem.httpStatus,
            headers: [.contentType: Problem.mediaType],
            body: .init(byteBuffer: ByteBuffer(bytes: body))
        )
    }
}
