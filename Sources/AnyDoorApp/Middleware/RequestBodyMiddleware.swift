import HTTPTypes
import Hummingbird

/// Guards request bodies before any handler sees them:
/// - larger than the configured limit: 413, whether announced by `Content-Length` or streamed (forms that
///   send files, `multipart/form-data`, have their own larger limit);
/// - a body sent to the JSON API that is not JSON (`application/json` or any `+json` type): 415.
struct RequestBodyMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext
    let maxBodyBytes: Int
    let maxUploadBytes: Int

    init(maxBytes: Int, maxUploadBytes: Int) {
        self.maxBodyBytes = maxBytes
        self.maxUploadBytes = maxUploadBytes
    }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard [.post, .put, .patch, .delete].contains(request.method) else {
            return try await next(request, context)
        }
        let maxBytes = FormBody.multipartBoundary(request.headers[.contentType]) == nil ? maxBodyBytes : maxUploadBytes
        if let length = request.headers[.contentLength].flatMap(Int.init), length > maxBytes {
            throw Problem(.contentTooLarge, slug: "too-large", title: "Request body too large",
                          detail: "The request body is \(length) bytes; AnyDoor accepts at most \(maxBytes).")
        }
        if request.uri.path.hasPrefix("/api/"), request.headers[.contentLength] != "0" {
            let type = request.headers[.contentType] ?? ""
            if !Self.isJSON(type) {
                throw Problem(.unsupportedMediaType, slug: "unsupported-media-type", title: "Unsupported media type",
                              detail: type.isEmpty ? "Send the body as application/json." : "The API accepts application/json bodies, not \(Self.mediaType(type)).")
            }
        }
        var request = request
        do {
            _ = try await request.collectBody(upTo: maxBytes)
        } catch let error as HTTPError where error.status == .contentTooLarge {
            throw Problem(.contentTooLarge, slug: "too-large", title: "Request body too large",
                          detail: "The request body is larger than the \(maxBytes) bytes AnyDoor accepts.")
        }
        return try await next(request, context)
    }

    static func mediaType(_ header: String) -> String {
        String(header.split(separator: ";").first ?? "").trimmingCharacters(in: .whitespaces).lowercased()
    }

    static func isJSON(_ header: String) -> Bool {
        let type = mediaType(header)
        return type == "application/json" || (type.hasPrefix("application/") && type.hasSuffix("+json"))
    }
}
