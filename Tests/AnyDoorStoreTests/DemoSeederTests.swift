import Foundation
import AnyDoorCore
import AnyDoorStore
import Testing

@Suite struct DemoSeederTests {
    @Test(arguments: TestDatabase.available)
    func seedingLoadsTheProvincesRealMinistriesOnceWithProgress(_ kind: TestDatabase) async throws {
        try await kind.withMigrated { database in
            let service = MinistryService(repository: SQLMinistryRepository(database: database), environment: .live)
            let seeder = DemoSeeder(ministries: service)
            let reports = ProgressLog()
            let first = try await seeder.seed { done, total, _ in reports.append(done, total) }
            let second = try await seeder.seed()
            // bc-ministries-2025.csv: 23 ministries, the Office of the Premier, the IGRS.
            #expect(first == .init(created: 25, alreadyPresent: 0))
            #expect(second == .init(created: 0, alreadyPresent: 25))
            #expect(reports.last?.0 == 25)
            #expect(reports.last?.1 == 25)
            let citz = try #require(try await service.list().first { $0.code.rawValue == "CITZ" })
            #expect(citz.names[.english] == "Ministry of Citizens' Services")
            #expect(citz.names[.french] == "Ministère des Services aux citoyens")
            // Every ministry is named in all 14 languages (drafted translations).
            for ministry in try await service.list() { #expect(ministry.names.values.count == LanguageCode.allCases.count, "\(ministry.code)") }
            let tacs = try #require(try await service.list().first { $0.code.rawValue == "TACS" })
            #expect(tacs.names[.english] == "Ministry of Tourism, Arts, Culture and Sport")
        }
    }
}

/// Collects progress reports from a `@Sendable` callback.
final class ProgressLog: @unchecked Sendable {
    private var reports: [(Int, Int)] = []
    private let lock = NSLock()
    func append(_ done: Int, _ total: Int) { lock.withLock { reports.append((done, total)) } }
    var last: (Int, Int)? { lock.withLock { reports.last } }
}
