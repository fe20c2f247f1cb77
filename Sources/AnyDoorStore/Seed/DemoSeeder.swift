import AnyDoorCore
import Foundation
import SwiftCSV

/// Loads AnyDoor's demo data, built from real British Columbia data (Resources/DemoData/SOURCES.md).
/// Safe to run any number of times: records that already exist (by their natural key) are left alone.
public struct DemoSeeder: Sendable {
    let ministries: MinistryService
    let catalogue: SQLCatalogue?

    public init(ministries: MinistryService, catalogue: SQLCatalogue? = nil) {
        self.ministries = ministries
        self.catalogue = catalogue
    }

    /// What a seeding run did, for the command's summary.
    public struct Outcome: Sendable, Equatable {
        public var created = 0
        public var alreadyPresent = 0
        /// Catalogue services published by this run.
        public var services = 0

        public init(created: Int = 0, alreadyPresent: Int = 0, services: Int = 0) {
            self.created = created
            self.alreadyPresent = alreadyPresent
            self.services = services
        }
    }

    /// The Service BC contact centre line, which routes callers to every ministry.
    static let serviceBCPhone = "1 800 663-7867"

    /// Seeds every part. `progress` receives (done, total, what) after each record.
    public func seed(progress: @Sendable (Int, Int, String) -> Void = { _, _, _ in }) async throws -> Outcome {
        let rows = try Self.demoMinistries()
        let existing = Set(try await ministries.list().map(\.code.rawValue))
        var outcome = Outcome()
        for (index, row) in rows.enumerated() {
            if existing.contains(row.code ?? "") {
                outcome.alreadyPresent += 1
            } else {
                _ = try await ministries.create(row)
                outcome.created += 1
            }
            progress(index + 1, rows.count, "ministries")
        }
        if let catalogue {
            let (events, services) = try DemoCatalogue.load()
            let existingEvents = Set(try await catalogue.lifeEvents().map(\.code))
            let now = Date()
            for event in events where !existingEvents.contains(event.code) {
                try await catalogue.saveLifeEvent(event, actor: "system", at: now)
            }
            let existingServices = Set(try await catalogue.entries().map(\.code))
            let missing = services.filter { !existingServices.contains($0.code) }
            do {
                outcome.services = try await catalogue.publishDirectly(missing, actor: "system", at: now) { done in
                    progress(done, missing.count, "services")
                }
            } catch CatalogueImportError.invalid(let index, let problems) {
                throw DemoDataError.invalid("catalogue service \(missing[index].code)", problems.map { "\($0.field): \($0.message)" }.joined(separator: "; "))
            }
        }
        return outcome
    }

    /// The province's ministries with English names from the source data and drafted names in the other
    /// languages (`ministry-names-<lang>.csv`, one per language).
    static func demoMinistries() throws -> [MinistryInput] {
        let english = try readTable("bc-ministries-2025")
        var translated: [String: [String: String]] = [:]
        for language in LanguageCode.allCases where language != .base {
            guard Bundle.module.url(forResource: "Resources/DemoData/ministry-names-\(language.rawValue)", withExtension: "csv") != nil else { continue }
            for row in try readTable("ministry-names-\(language.rawValue)") where row.count >= 2 {
                translated[row[0], default: [:]][language.rawValue] = row[1]
            }
        }
        return english.map { row in
            var names = translated[row[0]] ?? [:]
            names["en"] = row[1]
            return MinistryInput(code: row[0], names: names, contact: ContactDetails(phone: serviceBCPhone))
        }
    }

    static func readTable(_ name: String) throws -> [[String]] {
        guard let url = Bundle.module.url(forResource: "Resources/DemoData/\(name)", withExtension: "csv") else {
            throw DemoDataError.missingFile(name + ".csv")
        }
        let csv = try EnumeratedCSV(url: url, loadColumns: false)
        return csv.rows
    }
}

public enum DemoDataError: Error, CustomStringConvertible {
    case missingFile(String)
    case invalid(String, String)
    public var description: String {
        switch self {
        case .missingFile(let name): "demo data file \(name) is missing from the build"
        case .invalid(let name, let reason): "demo data file \(name) is invalid: \(reason)"
        }
    }
}
