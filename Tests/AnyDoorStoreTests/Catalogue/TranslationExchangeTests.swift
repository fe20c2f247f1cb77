import AnyDoorCore
import AnyDoorStore
import Foundation
import Testing

@Suite struct TranslationExchangeTests {
    @Test(arguments: TestDatabase.available)
    func translatorsExportWhatIsMissingAndImportItBackAsNewVersions(_ kind: TestDatabase) async throws {
        try await withCatalogue(kind) { catalogue, _ in
            var boat = draftService("renew-boat-licence")
            boat.eligibility = [LocalizedText([.english: "You own a boat."])]
            boat.fields = [FormField(code: "size", datatype: .singlevaluelist, label: LocalizedText([.english: "Size"]),
                                     values: [FieldValue(key: "small", name: LocalizedText([.english: "Small"]))])]
            try await catalogue.publishDirectly(boat, actor: "system", at: Date())
            var coverage = try await catalogue.translationCoverage()
            #expect(coverage.first { $0.language == .korean } == TranslationCoverage(language: .korean, reviewed: 0, draft: 0, missing: 1))
            #expect(coverage.first { $0.language == .english }?.reviewed == 1)

            var file = try await catalogue.exportTranslation(.korean, only: .missing)
            let text = try #require(file.services["renew-boat-licence"])
            #expect(text.english?.title == "Renew a boat licence")
            #expect(text.title == "" && text.eligibility == [""] && text.fields?["size"]?.values == ["small": ""])
            // Importing the untouched export changes nothing.
            #expect(try await catalogue.importTranslation(file, actor: "staff:steward", at: Date()) == 0)

            file.services["renew-boat-licence"]?.title = "보트 면허 갱신"
            file.services["renew-boat-licence"]?.description = "소형 보트의 면허를 갱신합니다."
            file.services["renew-boat-licence"]?.fields?["size"]?.values = ["small": "소형"]
            // A list of another length, an unknown field, an unknown service: refused, nothing changes.
            var broken = file
            broken.services["renew-boat-licence"]?.eligibility = ["하나", "둘"]
            broken.services["renew-boat-licence"]?.fields?["colour"] = .init(label: "색")
            broken.services["no-such-service"] = .init(title: "없음")
            await #expect(throws: TranslationImportError(problems: [
                "no-such-service: no published service has this code.",
                "renew-boat-licence: eligibility has 2 items; the English has 1",
                "renew-boat-licence: no field 'colour'",
            ])) { try await catalogue.importTranslation(broken, actor: "staff:steward", at: Date()) }
            #expect(try await catalogue.published("renew-boat-licence")?.version == 1)

            #expect(try await catalogue.importTranslation(file, actor: "staff:steward", at: Date()) == 1)
            let published = try #require(try await catalogue.published("renew-boat-licence"))
            #expect(published.version == 2)
            #expect(published.document.title[.korean] == "보트 면허 갱신")
            #expect(published.document.fields[0].values[0].name[.korean] == "소형")
            #expect(published.document.translationStatus(.korean) == .draft)
            #expect(try await catalogue.search("보트", language: .korean).first?.code == "renew-boat-licence")
            coverage = try await catalogue.translationCoverage()
            #expect(coverage.first { $0.language == .korean } == TranslationCoverage(language: .korean, reviewed: 0, draft: 1, missing: 0))

            file.status = .reviewed
            #expect(try await catalogue.importTranslation(file, actor: "staff:steward", at: Date()) == 1)
            #expect(try await catalogue.published("renew-boat-licence")?.document.translationStatus(.korean) == .reviewed)
            #expect(try await catalogue.translationCoverage().first { $0.language == .korean }?.translatedPercent == 100)
            // English is the source: never imported as a translation.
            var english = file
            english.language = .english
            await #expect(throws: TranslationImportError.self) { try await catalogue.importTranslation(english, actor: "staff:steward", at: Date()) }
        }
    }
}
