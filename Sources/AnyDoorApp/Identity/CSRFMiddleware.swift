import HTTPTypes
import Crypto
import Foundation
import Hummingbird

/// Anti-CSRF for every state-changing form (OWASP ASVS 4.2.2). Signed in, the token is the session's;
/// before sign-in (register, sign-in forms) it is the random `__Host-anydoor-csrf` cookie's
/// (double-submit). Every POST, PUT, PATCH and DELETE outside the JSON API must carry it as the form
/// field `csrf_token`, or it is refused with 403 and nothing happens.
struct CSRFMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext

    static let cookieName = "__Host-anydoor-csrf"
    static let fieldName = "csrf_token"

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        // APIs authenticate with keys, never cookies (Open311's POST carries `api_key` in its form body).
        guard !request.uri.path.hasPrefix("/api/"), !request.uri.path.hasPrefix("/open311/") else { return try await next(request, context) }
        var context = context
        let cookieToken = request.cookies[Self.cookieName]?.value
        var newCookie: String?
        if let session = context.session {
            context.csrfToken = session.csrfToken
        } else if let cookieToken, cookieToken.count >= 16 {
            context.csrfToken = cookieToken
        } else {
            newCookie = OneTimeCodes.token()
            context.csrfToken = newCookie!
        }
        if [.post, .put, .patch, .delete].contains(request.method) {
            var request = request
            let body = try await request.collectBody(upTo: .max)
            let fromForm = FormBody.multipartBoundary(request.headers[.contentType]) == nil
                ? Self.field(Self.fieldName, in: String(buffer: body))
                : (try? FormBody(body: body, contentType: request.headers[.contentType]))?.values[Self.fieldName]?.first
            let presented = fromForm ?? request.headers[.xCSRFToken] ?? ""
            guard newCookie == nil, Self.equal(presented, context.csrfToken) else {
                context.logger.notice("csrf token rejected", metadata: ["http.route": .string(context.endpointPath ?? "")])
                throw Problem(.forbidden, slug: "csrf", title: "Form expired",
                              detail: "This form has expired or did not come from AnyDoor. Go back, reload the page and try again.")
            }
        }
        var response = try await next(request, context)
        if let newCookie {
            response.setCookie(Cookie(name: Self.cookieName, value: newCookie, path: "/", secure: true, httpOnly: true, sameSite: .strict))
        }
        return response
    }

    /// One field of an `application/x-www-form-urlencoded` body.
    static func field(_ name: String, in body: String) -> String? {
        for pair in body.split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1)
            if parts.first.map(String.init)?.removingPercentEncoding == name {
                return parts.count > 1 ? String(parts[1]).replacingOccurrences(of: "+", with: " ").removingPercentEncoding : ""
            }
        }
        return nil
    }

    /// Constant-time comparison of two tokens.
    static func equal(_ lhs: String, _ rhs: String) -> Bool {
        let a = Array(SHA256.hash(data: Data(lhs.utf8))), b = Array(SHA256.hash(data: Data(rhs.utf8)))
        return zip(a, b).reduce(UInt8(0)) { $0 | ($1.0 ^ $1.1) } == 0 && !rhs.isEmpty
    }
}

extension HTTPField.Name {
    static let xCSRFToken = Self("X-CSRF-Token")!
}
