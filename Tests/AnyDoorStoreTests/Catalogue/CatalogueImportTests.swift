import AnyDoorCore
import AnyDoorStore
import Foundation
import Testing

@Suite struct CatalogueImportTests {
    @Test(arguments: TestDatabase.available)
    func anImportWithOneInvalidRecordChangesNothingAndNamesEveryProblemByLine(_ kind: TestDatabase) async throws {
        try await withCatalogue(kind) { catalogue, _ in
            let good = draftService("renew-boat-licence")
            var bad = draftService("renew-kayak-licence")
            bad.ministry = "NOPE"
            bad.processingTime = "soon"
            let file = try CatalogueCSV.decode(try CatalogueCSV.encode([good, bad]))
            await #expect(throws: ExchangeError([
                ExchangeProblem(line: 3, service: "renew-kayak-licence", field: "ministry", message: "'NOPE' is not a registered ministry."),
                ExchangeProblem(line: 3, service: "renew-kayak-licence", field: "processingTime", message: "Give the processing time as an ISO 8601 duration such as P10D or P2W."),
            ])) { try await catalogue.importServices(file, dryRun: false, actor: "system", at: Date()) }
            #expect(try await catalogue.entries().isEmpty)

            let valid = try CatalogueCSV.decode(try CatalogueCSV.encode([good]))
            #expect(try await catalogue.importServices(valid, dryRun: true, actor: "system", at: Date()) == CatalogueImportOutcome(created: 1))
            #expect(try await catalogue.entries().isEmpty) // a dry run changes nothing
            #expect(try await catalogue.importServices(valid, dryRun: false, actor: "system", at: Date()) == CatalogueImportOutcome(created: 1))
            #expect(try await catalogue.importServices(valid, dryRun: false, actor: "system", at: Date()) == CatalogueImportOutcome(unchanged: 1))
            var changed = good
            changed.processingTime = "P1D"
            let next = try CatalogueJSONLD.decode(try CatalogueJSONLD.encode([changed]))
            #expect(try await catalogue.importServices(next, dryRun: false, actor: "system", at: Date()) == CatalogueImportOutcome(updated: 1))
            #expect(try await catalogue.published("renew-boat-licence")?.version == 2)
            #expect(try await catalogue.search("boat", language: .english).map(\.code) == ["renew-boat-licence"])
            // The same service twice in one file.
            let twice = try CatalogueCSV.decode(try CatalogueCSV.encode([good, good]))
            await #expect(throws: ExchangeError([ExchangeProblem(line: 3, service: "renew-boat-licence", field: "code", message: "Also on line 2; each service once.")])) {
                try await catalogue.importServices(twice, dryRun: false, actor: "system", at: Date())
            }
        }
    }
}
