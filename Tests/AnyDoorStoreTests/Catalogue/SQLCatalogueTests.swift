import AnyDoorCore
import AnyDoorStore
import Foundation
import SQLKit
import Testing

/// A catalogue over a migrated database with the demo ministries and life events.
func withCatalogue<Result: Sendable>(_ kind: TestDatabase, demoServices: Bool = false, _ body: (SQLCatalogue, Database) async throws -> Result) async throws -> Result {
    try await kind.withMigrated { database in
        let catalogue = SQLCatalogue(database: database, audit: SQLAuditLog(database: database, keys: TestKeys.ring))
        let ministries = MinistryService(repository: SQLMinistryRepository(database: database), environment: .live)
        if demoServices {
            _ = try await DemoSeeder(ministries: ministries, catalogue: catalogue).seed()
        } else {
            _ = try await DemoSeeder(ministries: ministries).seed()
            for event in try DemoCatalogue.load().lifeEvents { try await catalogue.saveLifeEvent(event, actor: "system", at: Date()) }
        }
        return try await body(catalogue, database)
    }
}

func draftService(_ code: String = "renew-boat-licence") -> ServiceDescription {
    ServiceDescription(
        code: code,
        title: LocalizedText([.english: "Renew a boat licence"]),
        description: LocalizedText([.english: "Renew the licence of a small boat."]),
        ministry: "MOTT", programArea: "Marine",
        channels: ServiceChannels(online: true, phone: PhoneChannel(number: "1 800 663-7867", hours: "Mo-Fr 08:00-17:00"), inPerson: false),
        processingTime: "P5D", audience: [.people], lifeEvents: ["moving-to-bc"],
        keywords: LocalizedText([.english: "boat, vessel"]))
}

@Suite struct SQLCatalogueGovernanceTests {
    @Test(arguments: TestDatabase.available)
    func aDraftGoesThroughReviewToImmutablePublishedVersions(_ kind: TestDatabase) async throws {
        try await withCatalogue(kind) { catalogue, database in
            let now = Date(timeIntervalSince1970: 1_790_000_000)
            var draft = draftService()
            draft.title = LocalizedText()
            draft.processingTime = nil
            try await catalogue.createDraft(draft, actor: "staff:owner", at: now)
            // Submitting an incomplete draft is refused, naming each missing field, and changes nothing.
            await #expect(throws: CatalogueError.invalid([
                FieldError(field: "title.en", code: "required", message: "Give the title in English, the catalogue's source language."),
                FieldError(field: "processingTime", code: "required", message: "State the processing-time standard, such as P10D for ten days."),
            ])) { try await catalogue.submit(draft.code, actor: "staff:owner", at: now) }
            #expect(try await catalogue.entry(draft.code)?.draftState == .draft)
            // A steward cannot publish what was not submitted.
            await #expect(throws: CatalogueError.transitionNotAllowed(.publish)) { try await catalogue.publish(draft.code, actor: "staff:steward", at: now) }

            try await catalogue.saveDraft(draftService(), actor: "staff:owner", at: now)
            try await catalogue.submit(draft.code, actor: "staff:owner", at: now)
            await #expect(throws: CatalogueError.transitionNotAllowed(.submit)) { try await catalogue.saveDraft(draftService(), actor: "staff:owner", at: now) }
            await #expect(throws: CatalogueError.invalid([FieldError(field: "comment", code: "required", message: "Say what the owner should change.")])) {
                try await catalogue.sendBack(draft.code, comment: "  ", actor: "staff:steward", at: now)
            }
            try await catalogue.sendBack(draft.code, comment: "Add the French title.", actor: "staff:steward", at: now)
            #expect(try await catalogue.entry(draft.code)?.draftState == .returned)
            #expect(try await catalogue.entry(draft.code)?.reviewComment == "Add the French title.")
            #expect(try await catalogue.published(draft.code) == nil) // people see nothing yet

            var french = draftService()
            french.title[.french] = "Renouveler un permis de bateau"
            try await catalogue.saveDraft(french, actor: "staff:owner", at: now)
            try await catalogue.submit(draft.code, actor: "staff:owner", at: now)
            #expect(try await catalogue.publish(draft.code, actor: "staff:steward", at: now) == 1)
            let entry = try #require(try await catalogue.entry(draft.code))
            #expect(entry.draftState == nil && entry.draft == nil && entry.publishedVersion == 1)
            #expect(try await catalogue.published(draft.code)?.document == french)

            // A second version: the first stays exactly as published, and the diff shows exactly the change.
            var second = french
            second.processingTime = "P3D"
            try await catalogue.saveDraft(second, actor: "staff:owner", at: now)
            #expect(try await catalogue.published(draft.code)?.document == french) // people still see version 1
            try await catalogue.submit(draft.code, actor: "staff:owner", at: now)
            #expect(try await catalogue.publish(draft.code, actor: "staff:steward", at: now) == 2)
            #expect(try await catalogue.version(draft.code, 1)?.document == french)
            #expect(try await catalogue.published(draft.code)?.document == second)
            let v1 = try #require(try await catalogue.version(draft.code, 1)), v2 = try #require(try await catalogue.version(draft.code, 2))
            #expect(DocumentDiff.changes(from: v1.document, to: v2.document) == [DocumentChange(path: "processingTime", before: "P5D", after: "P3D")])

            // The database itself refuses to change or delete a published version.
            await #expect(throws: (any Error).self) {
                try await database.withSQL { try await $0.raw("UPDATE catalogue_versions SET document = '{}' WHERE code = 'renew-boat-licence'").run() }
            }
            await #expect(throws: (any Error).self) {
                try await database.withSQL { try await $0.raw("DELETE FROM catalogue_versions").run() }
            }
            #expect(try await catalogue.version(draft.code, 1)?.document == french)

            // Every transition is in the audit log.
            let actions = try await SQLAuditLog(database: database, keys: TestKeys.ring).recent(limit: 50, involving: "service:\(draft.code)").map(\.entry.action)
            #expect(actions.filter { $0.hasPrefix("catalogue.") }.sorted() == [
                "catalogue.draft.created", "catalogue.draft.saved", "catalogue.draft.saved", "catalogue.draft.saved",
                "catalogue.draft.sent-back", "catalogue.draft.submitted", "catalogue.draft.submitted", "catalogue.draft.submitted",
                "catalogue.version.published", "catalogue.version.published",
            ])
        }
    }

    @Test(arguments: TestDatabase.available)
    func aRetiredServiceStaysReachableButLeavesListsAndSearch(_ kind: TestDatabase) async throws {
        try await withCatalogue(kind) { catalogue, _ in
            let now = Date()
            try await catalogue.publishDirectly(draftService("renew-boat-licence"), actor: "system", at: now)
            var replacement = draftService("renew-vessel-licence")
            replacement.title = LocalizedText([.english: "Renew a vessel licence"])
            try await catalogue.publishDirectly(replacement, actor: "system", at: now)
            #expect(try await catalogue.search("boat", language: .english).map(\.code) == ["renew-boat-licence", "renew-vessel-licence"])
            await #expect(throws: CatalogueError.invalid([FieldError(field: "replacedBy", code: "unknown", message: "'nothing-here' is not another published service.")])) {
                try await catalogue.retire("renew-boat-licence", replacedBy: "nothing-here", actor: "staff:steward", at: now)
            }
            try await catalogue.retire("renew-boat-licence", replacedBy: "renew-vessel-licence", actor: "staff:steward", at: now)
            #expect(try await catalogue.published("renew-boat-licence")?.retired == true)
            #expect(try await catalogue.entry("renew-boat-licence")?.replacedBy == "renew-vessel-licence")
            #expect(try await catalogue.listPublished().map(\.code) == ["renew-vessel-licence"])
            #expect(try await catalogue.search("boat", language: .english).map(\.code) == ["renew-vessel-licence"])
            await #expect(throws: CatalogueError.transitionNotAllowed(.retire)) {
                try await catalogue.retire("renew-boat-licence", replacedBy: nil, actor: "staff:steward", at: now)
            }
        }
    }
}

@Suite(.serialized) struct CatalogueSearchTests {
    /// The seeds: a word of the Simplified Chinese title, a Punjabi word, a French word without accents.
    static let seeds: [(query: String, language: LanguageCode, first: String)] = [
        ("出生登记", .chineseSimplified, "register-birth"),   // the Simplified Chinese title is 办理出生登记
        ("出生登记", .english, "register-birth"),             // typed on an English page: found through tier 2
        ("ਜਨਮ ਰਜਿਸਟ੍ਰੇਸ਼ਨ", .english, "register-birth"),     // Punjabi words on an English page
        ("ਜਨਮ ਰਜਿਸਟ੍ਰੇਸ਼ਨ", .punjabi, "register-birth"),
        ("ثبت تولد", .farsi, "register-birth"),
        ("运转", .chineseSimplified, ""),                     // no service has it
    ]

    @Test(arguments: TestDatabase.available)
    func seedWordsInAnyScriptFindTheirServiceFirst(_ kind: TestDatabase) async throws {
        try await withCatalogue(kind, demoServices: true) { catalogue, _ in
            for seed in Self.seeds {
                let codes = try await catalogue.search(seed.query, language: seed.language).map(\.code)
                if seed.first.isEmpty { #expect(codes.isEmpty, "\(seed.query)") } else { #expect(codes.first == seed.first, "\(seed.query) found \(codes.prefix(3))") }
            }
            // One word meaning "birth" finds both birth services, before anything else.
            for (word, language) in [("出生", LanguageCode.english), ("ਜਨਮ", .english), ("تولد", .farsi)] {
                let top = try await catalogue.search(word, language: language, limit: 2).map(\.code)
                #expect(Set(top) == ["register-birth", "order-birth-certificate"], "\(word) found \(top)")
            }
            // A French word typed without its accents finds the service whose French title has it.
            let licence = try #require(try await catalogue.published("renew-drivers-licence"))
            let frenchTitle = try #require(licence.document.title[.french])
            let words = frenchTitle.split(separator: " ").map(String.init)
            let withAccents = words.filter { $0 != $0.folding(options: .diacriticInsensitive, locale: nil) }
            let accented = withAccents.first ?? words.max { $0.count < $1.count } ?? frenchTitle
            let plain = accented.folding(options: .diacriticInsensitive, locale: nil)
            let hits = try await catalogue.search(plain + " " + "conduire", language: .french).map(\.code)
            #expect(hits.first == "renew-drivers-licence", "\(plain) conduire found \(hits.prefix(3))")
            // Korean, and the Simplified Chinese licence words inside a longer run.
            #expect(try await catalogue.search("운전면허 갱신", language: .korean).first?.code == "renew-drivers-licence")
            #expect(try await catalogue.search("驾驶执照", language: .chineseSimplified).first?.code == "renew-drivers-licence")
        }
    }

    @Test(arguments: TestDatabase.available)
    func filtersNarrowResultsAndSuggestionsWorkOnPrefixes(_ kind: TestDatabase) async throws {
        try await withCatalogue(kind, demoServices: true) { catalogue, _ in
            let all = try await catalogue.search("licence", language: .english, limit: 50)
            let transport = try await catalogue.search("licence", language: .english, filter: CatalogueFilter(ministry: "MOTT"), limit: 50)
            #expect(!transport.isEmpty && transport.count < all.count)
            for hit in transport { #expect(try await catalogue.published(hit.code)?.document.ministry == "MOTT") }
            let baby = try await catalogue.listPublished(CatalogueFilter(lifeEvent: "having-a-baby"))
            #expect(baby.count >= 4)
            #expect(Set(baby.map(\.document.ministry)).count >= 2)
            #expect(baby.allSatisfy { $0.document.lifeEvents.contains("having-a-baby") })
            // Prefixes as a person types: "re", "regi", "registe" all reach "Register a birth".
            for prefix in ["regi", "registe", "register a bi"] {
                #expect(try await catalogue.search(prefix, language: .english, limit: 8).map(\.code).contains("register-birth"), "\(prefix)")
            }
        }
    }

    /// The same queries give byte-identical ranked (service, score) lists on SQLite and PostgreSQL.
    @Test(.enabled(if: TestDatabase.available.count == 2))
    func bothDatabasesRankAlike() async throws {
        let queries: [(String, LanguageCode)] = [
            ("licence", .english), ("permis", .french), ("birth certificate", .english), ("出生", .chineseSimplified), ("ਜਨਮ", .english),
            ("تولد", .farsi), ("운전", .korean), ("re", .english), ("b", .english), ("insurance health", .english), ("fishing", .spanish),
            ("impuesto", .spanish), ("emergency", .ukrainian), ("xyzzy", .english), ("免許", .japanese), ("dang ky", .vietnamese),
        ]
        var results: [TestDatabase: [[SearchHit]]] = [:]
        for kind in TestDatabase.available {
            results[kind] = try await withCatalogue(kind, demoServices: true) { catalogue, _ in
                var lists: [[SearchHit]] = []
                for (query, language) in queries { lists.append(try await catalogue.search(query, language: language, limit: 20)) }
                return lists
            }
        }
        for (index, query) in queries.enumerated() {
            #expect(results[.sqlite]![index] == results[.postgres]![index], "\(query.0)")
        }
        #expect(results[.sqlite]!.filter { !$0.isEmpty }.count >= queries.count - 2)
    }
}
