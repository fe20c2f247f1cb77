import AnyDoorCore
import AnyDoorStore
import Foundation
import Hummingbird

/// Ministry systems registered as API clients (X-Road "subsystems"): administrators issue a key scoped
/// to services, rotate it, revoke it; every action is audited, success or failure. A client can read
/// its own registration at `/api/v1/clients/me`.
struct APIClientsController: Sendable {
    let clients: SQLAPIClients
    let ministries: MinistryService
    let database: Database
    let audit: SQLAuditLog
    let environment: AnyDoorCore.Environment

    struct ClientInput: Decodable, Sendable {
        let name: String?
        let ministryCode: String?
        let services: [String]?

        enum CodingKeys: String, CodingKey {
            case name, services
            case ministryCode = "ministry_code"
        }
    }

    struct ClientResource: Codable, Sendable {
        let id: String
        let name: String
        let ministryID: String
        let services: [String]
        let keyPrefix: String
        let createdAt: Date
        let rotatedAt: Date?
        let revokedAt: Date?
        /// Only in the response that creates or rotates the key: it is never shown again.
        let key: String?

        enum CodingKeys: String, CodingKey {
            case id, name, services, key
            case ministryID = "ministry_id"
            case keyPrefix = "key_prefix"
            case createdAt = "created_at"
            case rotatedAt = "rotated_at"
            case revokedAt = "revoked_at"
        }

        init(_ client: SQLAPIClients.Client, key: String? = nil) {
            self.id = client.id.description
            self.name = client.name
            self.ministryID = client.ministry.description
            self.services = client.services
            self.keyPrefix = client.keyPrefix
            self.createdAt = client.createdAt
            self.rotatedAt = client.rotatedAt
            self.revokedAt = client.revokedAt
            self.key = key
        }
    }

    struct ClientList: Codable, Sendable { let items: [ClientResource] }

    func addRoutes(to router: Router<AppRequestContext>) {
        let group = router.group("/api/v1/clients")
        group.get { _, context in
            try await guarded(context, "api-client.listed") { try context.require(.manageAPIKeys) }
            return try APIResponse.json(ClientList(items: try await clients.all().map { ClientResource($0) }))
        }
        group.get("me") { _, context in
            try context.require(.readOwnClient)
            guard let id = context.actor.apiClientID, let client = try await clients.find(id) else { throw HTTPError(.notFound) }
            return try APIResponse.json(ClientResource(client))
        }
        group.post { request, context in
            try await guarded(context, "api-client.created") { try context.require(.manageAPIKeys) }
            let input = try await JSONBody.decode(ClientInput.self, from: request)
            var problems = ValidationCollector()
            let name = input.name?.trimmingCharacters(in: .whitespaces) ?? ""
            if name.isEmpty { problems.add("name", "required", "Name the ministry system.") } else if name.count > 200 { problems.add("name", "tooLong", "At most 200 characters.") }
            let ministry = try await input.ministryCode.flatMap(MinistryCode.init).asyncFlatMap { try await ministries.find(code: $0) }
            if ministry == nil { problems.add("ministry_code", input.ministryCode == nil ? "required" : "unknown", "Give the code of a registered ministry.") }
            let services = (input.services ?? []).map { $0.lowercased() }
            if services.isEmpty { problems.add("services", "required", "Name at least one service the system may use.") }
            if services.contains(where: { !$0.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-") } || $0.count > 64 }) {
                problems.add("services", "invalidFormat", "Service codes are letters, digits and hyphens.")
            }
            try problems.check()
            let (key, prefix, hash) = APIKey.generate()
            let client = SQLAPIClients.Client(id: APIClientID(rawValue: environment.makeID()), name: name, ministry: ministry!.id, services: services,
                                              keyPrefix: prefix, keyHash: hash, createdAt: environment.now())
            try await database.transaction { sql in
                try await clients.insert(client, on: sql)
                try await audit.append(AuditEntry(at: client.createdAt, actor: context.actor.auditName, action: "api-client.created", target: "api-client:\(client.id)",
                                                  channel: .api, detail: "services: \(services.joined(separator: ","))"), on: sql)
            }
            var response = try APIResponse.json(ClientResource(client, key: key), status: .created)
            response.headers[.location] = "/api/v1/clients/\(client.id)"
            return response
        }
        group.post("{id}/rotate") { _, context in
            try await guarded(context, "api-client.rotated") { try context.require(.manageAPIKeys) }
            let client = try await existing(context)
            let (key, prefix, hash) = APIKey.generate()
            let now = environment.now()
            try await database.transaction { sql in
                try await clients.replaceKey(client.id, prefix: prefix, hash: hash, at: now, on: sql)
                try await audit.append(AuditEntry(at: now, actor: context.actor.auditName, action: "api-client.rotated", target: "api-client:\(client.id)", channel: .api), on: sql)
            }
            return try APIResponse.json(ClientResource(try await clients.find(client.id)!, key: key))
        }
        group.delete("{id}") { _, context in
            try await guarded(context, "api-client.revoked") { try context.require(.manageAPIKeys) }
            let client = try await existing(context)
            let now = environment.now()
            try await database.transaction { sql in
                try await clients.revoke(client.id, at: now, on: sql)
                try await audit.append(AuditEntry(at: now, actor: context.actor.auditName, action: "api-client.revoked", target: "api-client:\(client.id)", channel: .api), on: sql)
            }
            return Response(status: .noContent)
        }
    }

    func existing(_ context: AppRequestContext) async throws -> SQLAPIClients.Client {
        guard let id = context.parameters.get("id").flatMap(APIClientID.init), let client = try await clients.find(id) else { throw HTTPError(.notFound, message: "There is no API client with this id.") }
        return client
    }

    /// Runs an access check and audits a refusal (REFERENCE.md section 4: admin actions audited, success or failure).
    func guarded(_ context: AppRequestContext, _ action: String, _ check: () throws -> Void) async throws {
        do {
            try check()
        } catch {
            try await audit.append(AuditEntry(at: environment.now(), actor: context.actor.auditName, action: action, channel: .api, outcome: "failure", detail: "not allowed"))
            throw error
        }
    }
}

extension Optional {
    func asyncFlatMap<Result>(_ transform: (Wrapped) async throws -> Result?) async rethrows -> Result? {
        guard let self else { return nil }
        return try await transform(self)
    }
}
