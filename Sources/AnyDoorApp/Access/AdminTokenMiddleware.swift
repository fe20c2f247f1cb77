import AnyDoorStore
import Crypto
import Foundation
import Hummingbird

/// Recognises the configured administrator token in `Authorization: Bearer ...` and marks the context.
/// It bootstraps an installation (API writes before any administrator account exists) and serves scripts.
/// The token is compared as SHA-256 digests so the comparison takes the same time whatever matches.
/// Ministry systems' keys (`adk_…`) are recognised here too and become `.apiClient` actors scoped to
/// their services; a revoked, rotated-away or unknown key is simply not authenticated (401 later).
struct AdminTokenMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext
    let tokenDigest: SHA256.Digest?
    let clients: SQLAPIClients?

    init(token: String?, clients: SQLAPIClients? = nil) {
        self.tokenDigest = token.map { SHA256.hash(data: Data($0.utf8)) }
        self.clients = clients
    }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var context = context
        if let header = request.headers[.authorization], header.hasPrefix("Bearer ") {
            let token = String(header.dropFirst("Bearer ".count))
            if let tokenDigest, Self.constantTimeEqual(Array(SHA256.hash(data: Data(token.utf8))), Array(tokenDigest)) {
                context.actor = .configuredAdministrator
            } else if let clients, let client = try await Self.client(forKey: token, clients: clients) {
                context.actor = .apiClient(client.id, services: Set(client.services))
            }
        }
        return try await next(request, context)
    }

    /// The active client whose key this is, or `nil` (unknown, revoked, rotated away, malformed).
    static func client(forKey token: String, clients: SQLAPIClients) async throws -> SQLAPIClients.Client? {
        guard let (prefix, secret) = APIKey.parse(token) ?? APIKey.parseChosen(token), let client = try await clients.find(prefix: prefix), client.revokedAt == nil,
              constantTimeEqual(Array(SHA256.hash(data: Data(secret.utf8))), Array(APIKey.hashBytes(client.keyHash))) else { return nil }
        return client
    }

    static func constantTimeEqual(_ lhs: [UInt8], _ rhs: [UInt8]) -> Bool {
        guard lhs.count == rhs.count else { return false }
        return zip(lhs, rhs).reduce(UInt8(0)) { $0 | ($1.0 ^ $1.1) } == 0
    }
}

