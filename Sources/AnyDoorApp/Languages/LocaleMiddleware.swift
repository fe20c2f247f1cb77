import Hummingbird

/// Sets the response language on the context and tells caches the answer depends on it.
struct LocaleMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var context = context
        context.language = LocaleNegotiation.choose(query: request.uri.queryParameters["lang"].map(String.init), acceptLanguage: request.headers[.acceptLanguage])
        var response = try await next(request, context)
        response.headers[values: .vary].append("Accept-Language")
        if response.headers[.contentLanguage] == nil, response.headers[.contentType]?.hasPrefix("text/html") == true {
            response.headers[.contentLanguage] = context.language.rawValue
        }
        return response
    }
}
