import AnyDoorCore
import Foundation
import SwiftCSV

/// Loads AnyDoor's demo data, built from real British Columbia data (Resources/DemoData/SOURCES.md).
/// Safe to run any number of times: records that already exist (by their natural key) are left alone.
public struct DemoSeeder: Sendable {
    let ministries: MinistryService

    public init(ministries: MinistryService) {
        self.ministries = ministries
    }

    /// What a seeding run did, for the command's summary.
    public struct Outcome: Sendable, Equatable {
        public var created = 0
        public var alreadyPresent = 0

        public init(created: Int = 0, alreadyPresent: Int = 0) {
            self.created = created
            self.alreadyPresent = alreadyPresent
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
        return outcome
    }

    /// The province's ministries with English names from the source data and drafted French names.
    static func demoMinistries() throws -> [MinistryInput] {
        let english = try readTable("bc-ministries-2025")
        let french = Dictionary(uniqueKeysWithValues: try readTable("ministry-names-fr").map { ($0[0], $0[1]) })
        return english.map { row in
            var names = ["en": row[1]]
            names["fr"] = french[row[0]]
            return MinistryInput(code: row[0], names: names, contact: ContactDetails(phone: serviceBCPhone))
        }
    }

    static func readTable(_ name: String) throws -> [[String]] {
        guard let url = Bundle.module.url(forResource: "Resources/DemoData/\(name)", withExtension: "csv") else {
            throw DemoDataError.missingFile(name)
        }
        let csv = try EnumeratedCSV(url: url, loadColumns: false)
        return csv.rows
    }
}

public enum DemoDataError: Error, CustomStringConvertible {
    case missingFile(String)
    public var description: String {
        switch self { case .missingFile(let name): "demo data file \(name).csv is missing from the build" }
    }
}
