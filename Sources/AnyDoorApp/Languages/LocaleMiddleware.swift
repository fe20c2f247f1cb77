import Hummingbird

/// Sets the response language on the context and tells caches the answer depends on it.
/// Order (REFERENCE.md section 9): the signed-in person's saved preference (applied by the session
/// middleware), then `?lang=`, then the language last picked with the switcher (a cookie), then
/// `Accept-Language`, then English.
struct LocaleMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext
    static let cookieName = "__Host-anydoor-lang"

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var context = context
        let query = request.uri.queryParameters["lang"].map(String.init)
        let chosen = query.flatMap(LocaleNegotiation.match)
        context.language = LocaleNegotiation.choose(query: query ?? request.cookies[Self.cookieName]?.value, acceptLanguage: request.headers[.acceptLanguage])
        var response = try await next(request, context)
        // A language picked with the switcher is remembered, so the forms it leads to stay in it.
        if let chosen, request.cookies[Self.cookieName]?.value != chosen.rawValue {
            response.setCookie(Cookie(name: Self.cookieName, value: chosen.rawValue, maxAge: 365 * 24 * 3600, path: "/", secure: true, httpOnly: true, sameSite: .lax))
        }
        response.headers[values: .vary].append("Accept-Language")
        if response.headers[.contentLanguage] == nil, response.headers[.contentType]?.hasPrefix("text/html") == true {
            response.headers[.contentLanguage] = context.language.rawValue
        }
        return response
    }
}
