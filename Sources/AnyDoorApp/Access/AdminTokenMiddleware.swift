import Crypto
import Foundation
import Hummingbird

/// Recognises the configured administrator token in `Authorization: Bearer ...` and marks the context.
/// It bootstraps an installation (API writes before any administrator account exists) and serves scripts.
/// The token is compared as SHA-256 digests so the comparison takes the same time whatever matches.
struct AdminTokenMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext
    let tokenDigest: SHA256.Digest?

    init(token: String?) {
        self.tokenDigest = token.map { SHA256.hash(data: Data($0.utf8)) }
    }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var context = context
        if let tokenDigest, let header = request.headers[.authorization], header.hasPrefix("Bearer ") {
            let presented = SHA256.hash(data: Data(header.dropFirst("Bearer ".count).utf8))
            if Self.constantTimeEqual(Array(presented), Array(tokenDigest)) {
                context.actor = .configuredAdministrator
            }
        }
        return try await next(request, context)
    }

    static func constantTimeEqual(_ lhs: [UInt8], _ rhs: [UInt8]) -> Bool {
        guard lhs.count == rhs.count else { return false }
        return zip(lhs, rhs).reduce(UInt8(0)) { $0 | ($1.0 ^ $1.1) } == 0
    }
}

