import AnyDoorCore
import AnyDoorStore
import Foundation
import SQLKit
import Testing

@Suite struct RequestGroupCommitTests {
    /// Requests submitted at the same moment through two pools share transactions (group commit, one statement
    /// per table) yet each is whole: its own reference, both first events, its webhook event, its audit entry.
    @Test(arguments: TestDatabase.available)
    func requestsSubmittedTogetherAreEachWrittenWhole(_ kind: TestDatabase) async throws {
        try await withCatalogue(kind) { _, database in
            let ministry = try #require(try await SQLMinistryRepository(database: database).list().first)
            let client = SQLAPIClients.Client(id: APIClientID(rawValue: UUID()), name: "Ministry system", ministry: ministry.id, services: ["renew-boat-licence"],
                                              keyPrefix: "abcd1234", keyHash: String(repeating: "0", count: 64), createdAt: Date())
            try await database.withSQL { try await SQLAPIClients(database: database).insert(client, on: $0) }
            _ = try await WebhookOutbox(database: database, keys: TestKeys.ring).register(client: client.id, url: "http://127.0.0.1:9/hooks", actor: "test", at: Date())
            let other = try Database(location: database.location, logger: TestDatabase.logger)
            let stores = [SQLRequests(database: database, keys: TestKeys.ring), SQLRequests(database: other, keys: TestKeys.ring)]
            let now = Date(timeIntervalSince1970: 1_790_000_000)
            let opened = try await withThrowingTaskGroup(of: ServiceRequest.self) { group in
                for index in 0..<48 {
                    group.addTask {
                        let open = OpenRequest(service: draftService(index % 3 == 0 ? "renew-boat-licence" : "other-service"), personID: nil, language: .english,
                                               channel: .api, party: .requester, actor: "client:\(index)", answers: RequestAnswers(), description: "request \(index)")
                        return try await stores[index % 2].open(open, at: now)
                    }
                }
                return try await group.reduce(into: [ServiceRequest]()) { $0.append($1) }
            }
            await other.shutdown()
            #expect(opened.count == 48)
            #expect(Set(opened.map(\.reference)).count == 48, "every reference is different")
            let stored = try await stores[0].list(SQLRequests.Filter())
            #expect(Set(stored.map(\.id)) == Set(opened.map(\.id)))
            #expect(Set(stored.compactMap(\.description)) == Set((0..<48).map { "request \($0)" }))
            for request in opened.prefix(6) {
                let timeline = try await stores[0].timeline(request.id)
                #expect(timeline.map(\.kind) == [.opened, .transition], "\(request.reference)")
                #expect(request.dueAt != nil)
            }
            // Only the 16 requests for the service the system's key names announce themselves, once each.
            let announced = try await database.withSQL { sql in
                try await sql.select().column("request_id").from("webhook_outbox").where("event_type", .equal, "request.created").all()
                    .map { try $0.decode(column: "request_id", as: String.self) }
            }
            #expect(announced.count == 16)
            #expect(Set(announced) == Set(opened.filter { $0.serviceCode == "renew-boat-licence" }.map(\.id.description)))
            let audit = SQLAuditLog(database: database, keys: TestKeys.ring)
            #expect(try await audit.recent(limit: 200).filter { $0.entry.action == "request.submitted" }.count == 48)
            #expect(try await audit.verify().isIntact, "the audit chain stays whole across batches")
        }
    }
}
