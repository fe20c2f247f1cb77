import AnyDoorCore
import AnyDoorStore
import Foundation
import Testing

@Suite struct SQLMinistryRepositoryTests {
    static func ministry(code: String, english: String, french: String? = nil) -> Ministry {
        var names = LocalizedText([.english: english])
        names[.french] = french
        let when = Date(timeIntervalSince1970: 1_767_225_600) // 2026-01-01T00:00:00Z
        return Ministry(id: MinistryID(rawValue: UUID()), code: MinistryCode(code)!, names: names,
                        contact: ContactDetails(phone: "1 800 663-7867"), createdAt: when, updatedAt: when)
    }

    @Test(arguments: TestDatabase.available)
    func aStoredMinistryReadsBackWithEveryNameAndContactDetail(_ kind: TestDatabase) async throws {
        try await kind.withMigrated { database in
            let repository = SQLMinistryRepository(database: database)
            let citz = Self.ministry(code: "CITZ", english: "Ministry of Citizens' Services", french: "Ministère des Services aux citoyens")
            try await repository.insert(citz)
            #expect(try await repository.find(citz.id) == citz)
            #expect(try await repository.find(code: MinistryCode("CITZ")!) == citz)
            #expect(try await repository.find(MinistryID(rawValue: UUID())) == nil)
        }
    }

    @Test(arguments: TestDatabase.available)
    func listingOrdersByCode(_ kind: TestDatabase) async throws {
        try await kind.withMigrated { database in
            let repository = SQLMinistryRepository(database: database)
            for code in ["HLTH", "AG", "FIN"] { try await repository.insert(Self.ministry(code: code, english: code)) }
            #expect(try await repository.list().map(\.code.rawValue) == ["AG", "FIN", "HLTH"])
            #expect(try await repository.count() == 3)
        }
    }

    @Test(arguments: TestDatabase.available)
    func aSecondMinistryWithTheSameCodeIsRejectedAndNothingIsStored(_ kind: TestDatabase) async throws {
        try await kind.withMigrated { database in
            let repository = SQLMinistryRepository(database: database)
            try await repository.insert(Self.ministry(code: "FIN", english: "Ministry of Finance"))
            await #expect(throws: MinistryError.duplicateCode(MinistryCode("FIN")!)) {
                try await repository.insert(Self.ministry(code: "FIN", english: "Another"))
            }
            #expect(try await repository.count() == 1)
        }
    }

    @Test(arguments: TestDatabase.available)
    func updatingReplacesNamesAndContactAndKeepsCreationTime(_ kind: TestDatabase) async throws {
        try await kind.withMigrated { database in
            let repository = SQLMinistryRepository(database: database)
            var ministry = Self.ministry(code: "FOR", english: "Ministry of Forests", french: "Ministère des Forêts")
            try await repository.insert(ministry)
            ministry.names = LocalizedText([.english: "Ministry of Forests", .punjabi: "ਜੰਗਲਾਤ ਮੰਤਰਾਲਾ"])
            ministry.contact.email = "forests@gov.bc.ca"
            ministry.updatedAt = ministry.updatedAt.addingTimeInterval(60)
            try await repository.update(ministry)
            #expect(try await repository.find(ministry.id) == ministry)
        }
    }

    @Test(arguments: TestDatabase.available)
    func updatingAnUnknownMinistryFailsWithNotFound(_ kind: TestDatabase) async throws {
        try await kind.withMigrated { database in
            let ghost = Self.ministry(code: "GHST", english: "Nobody")
            await #expect(throws: MinistryError.notFound(ghost.id)) {
                try await SQLMinistryRepository(database: database).update(ghost)
            }
        }
    }

    @Test(arguments: TestDatabase.available)
    func changingACodeToOneInUseIsRejectedAndTheRowIsUnchanged(_ kind: TestDatabase) async throws {
        try await kind.withMigrated { database in
            let repository = SQLMinistryRepository(database: database)
            try await repository.insert(Self.ministry(code: "AG", english: "Attorney General"))
            var finance = Self.ministry(code: "FIN", english: "Finance")
            try await repository.insert(finance)
            let original = finance
            finance.code = MinistryCode("AG")!
            await #expect(throws: MinistryError.duplicateCode(MinistryCode("AG")!)) { try await repository.update(finance) }
            #expect(try await repository.find(finance.id) == original)
        }
    }
}
