import AnyDoorCore
import AnyDoorStore
import Foundation
import SQLKit
import Testing

@Suite struct SQLAuditLogTests {
    static func entries(_ count: Int) -> [AuditEntry] {
        (1...count).map { index in
            AuditEntry(at: Date(timeIntervalSince1970: 1_795_000_000 + Double(index)), actor: "staff:\(index)", actingFor: index == 2 ? "person:p2" : nil,
                       action: "record.viewed", target: "person:p\(index)", channel: .inPerson, detail: "purpose: eligibility check")
        }
    }

    func withLog(_ kind: TestDatabase, _ body: (SQLAuditLog, Database) async throws -> Void) async throws {
        try await kind.withMigrated { database in
            let log = SQLAuditLog(database: database, keys: TestKeys.ring)
            for entry in Self.entries(5) { try await log.append(entry) }
            try await body(log, database)
        }
    }

    @Test(arguments: TestDatabase.available)
    func anUntouchedLogVerifies(_ kind: TestDatabase) async throws {
        try await withLog(kind) { log, _ in
            let result = try await log.verify()
            #expect(result.entriesChecked == 5)
            #expect(result.isIntact)
            #expect(try await log.recent(limit: 10, involving: "person:p2").count == 1)
        }
    }

    @Test(arguments: TestDatabase.available)
    func anEditedEntryIsReported(_ kind: TestDatabase) async throws {
        try await withLog(kind) { log, database in
            try await database.withSQL { try await $0.update("audit_log").set("detail", to: "purpose: curiosity").where("sequence", .equal, 3).run() }
            let result = try await log.verify()
            #expect(result.problems == ["Entry 3 was edited: its content no longer matches its hash."])
        }
    }

    @Test(arguments: TestDatabase.available)
    func aDeletedEntryIsReported(_ kind: TestDatabase) async throws {
        try await withLog(kind) { log, database in
            try await database.withSQL { try await $0.delete(from: "audit_log").where("sequence", .equal, 2).run() }
            let result = try await log.verify()
            #expect(result.problems.contains("Entry 2 is missing (deleted)."))
            #expect(result.problems.contains("Entry 3 does not follow the entry before it (an entry was deleted, inserted or reordered)."))
        }
    }

    @Test(arguments: TestDatabase.available)
    func reorderedEntriesAreReported(_ kind: TestDatabase) async throws {
        try await withLog(kind) { log, database in
            // Swap the contents (and hashes) of entries 2 and 4, keeping the sequence numbers.
            try await database.transaction { sql in
                try await sql.update("audit_log").set("sequence", to: 99).where("sequence", .equal, 2).run()
                try await sql.update("audit_log").set("sequence", to: 2).where("sequence", .equal, 4).run()
                try await sql.update("audit_log").set("sequence", to: 4).where("sequence", .equal, 99).run()
            }
            let result = try await log.verify()
            #expect(!result.isIntact)
            #expect(result.problems.contains { $0.hasPrefix("Entry 2 ") })
            #expect(result.problems.contains { $0.hasPrefix("Entry 4 ") })
        }
    }

    @Test(arguments: TestDatabase.available)
    func deletingTheNewestEntryIsReported(_ kind: TestDatabase) async throws {
        try await withLog(kind) { log, database in
            try await database.withSQL { try await $0.delete(from: "audit_log").where("sequence", .equal, 5).run() }
            let result = try await log.verify()
            #expect(result.problems == ["The newest entries after 4 are missing: the log's head records entry 5."])
        }
    }

    @Test(arguments: TestDatabase.available)
    func anEntryRecomputedWithoutTheKeyIsStillCaught(_ kind: TestDatabase) async throws {
        try await withLog(kind) { log, database in
            // Someone with database access but not the key edits an entry and "fixes" its hash with plain SHA-256.
            try await database.withSQL { try await $0.update("audit_log").set("actor", to: "staff:someone-else").set("hash", to: String(repeating: "a", count: 64)).where("sequence", .equal, 1).run() }
            let result = try await log.verify()
            #expect(result.problems.contains("Entry 1 was edited: its content no longer matches its hash."))
        }
    }

    @Test(arguments: TestDatabase.available)
    func concurrentAppendsKeepOneUnbrokenChain(_ kind: TestDatabase) async throws {
        try await kind.withMigrated { database in
            let log = SQLAuditLog(database: database, keys: TestKeys.ring)
            // Eight writers at once (the pool's size on two cores), twenty entries: every append contends for the
            // chain's head, and no writer waits on the pool itself (which timed out under a loaded test machine).
            let entries = Self.entries(20)
            try await withThrowingTaskGroup(of: Void.self) { group in
                for writer in 0..<8 {
                    group.addTask { for entry in entries.enumerated() where entry.offset % 8 == writer { try await log.append(entry.element) } }
                }
                try await group.waitForAll()
            }
            let result = try await log.verify()
            #expect(result.entriesChecked == 20)
            #expect(result.isIntact, "\(result.problems)")
        }
    }
}
