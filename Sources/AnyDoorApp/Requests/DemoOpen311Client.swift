import AnyDoorCore
import AnyDoorStore
import Foundation

/// The demo's Open311 client (issue 6 item 6): a registered API client allowed every published service, so
/// a tester can POST requests at once. Its key is `ANYDOOR_DEMO_API_KEY` when set (any 16-200 characters);
/// otherwise a random AnyDoor key written to `demo-api-key.txt` (mode 600) in the data folder, never logged.
enum DemoOpen311Client {
    static let name = "Open311 demo client"

    /// Registers the client, or gives the existing one the configured key. Returns where the key was written, if it was.
    @discardableResult
    static func seed(clients: SQLAPIClients, catalogue: SQLCatalogue, ministries: MinistryService, database: Database, audit: SQLAuditLog,
                     chosenKey: String?, dataDirectory: String?, at time: Date) async throws -> String? {
        let existing = try await clients.all().first { $0.name == name && $0.revokedAt == nil }
        if let existing {
            guard let chosenKey else { return nil }
            let (prefix, secret) = APIKey.parseChosen(chosenKey) ?? APIKey.parse(chosenKey) ?? (APIKey.chosenPrefix(chosenKey), chosenKey)
            let hash = OneTimeCodes.digest(secret)
            guard existing.keyPrefix != prefix || existing.keyHash != hash else { return nil }
            try await database.transaction { sql in
                try await clients.replaceKey(existing.id, prefix: prefix, hash: hash, at: time, on: sql)
                try await audit.append(AuditEntry(at: time, actor: "system", action: "api-client.rotated", target: "api-client:\(existing.id)", channel: .system,
                                                  detail: "demo key from ANYDOOR_DEMO_API_KEY"), on: sql)
            }
            return nil
        }
        var ministry = try await MinistryCode("CITZ").asyncFlatMap { try await ministries.find(code: $0) }
        if ministry == nil { ministry = try await ministries.list().first }
        guard let ministry else { return nil }
        let services = try await catalogue.listPublished().map(\.document.code)
        guard !services.isEmpty else { return nil }
        let key: String, prefix: String, hash: String
        if let chosenKey {
            let parts = APIKey.parse(chosenKey) ?? APIKey.parseChosen(chosenKey) ?? (APIKey.chosenPrefix(chosenKey), chosenKey)
            (key, prefix, hash) = (chosenKey, parts.prefix, OneTimeCodes.digest(parts.secret))
        } else {
            (key, prefix, hash) = APIKey.generate()
        }
        let client = SQLAPIClients.Client(id: APIClientID(rawValue: UUID()), name: name, ministry: ministry.id, services: services, keyPrefix: prefix,
                                          keyHash: hash, createdAt: time)
        try await database.transaction { sql in
            try await clients.insert(client, on: sql)
            try await audit.append(AuditEntry(at: time, actor: "system", action: "api-client.created", target: "api-client:\(client.id)", channel: .system,
                                              detail: "demo Open311 client"), on: sql)
        }
        guard chosenKey == nil, let dataDirectory else { return nil }
        let file = URL(fileURLWithPath: dataDirectory).appendingPathComponent("demo-api-key.txt")
        try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
        FileManager.default.createFile(atPath: file.path, contents: Data((key + "\n").utf8), attributes: [.posixPermissions: 0o600])
        return file.path
    }
}
