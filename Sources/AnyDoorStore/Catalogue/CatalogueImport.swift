import AnyDoorCore
import Foundation
import SQLKit

/// What an import did (or, in a dry run, would do).
public struct CatalogueImportOutcome: Sendable, Equatable {
    public var created = 0
    public var updated = 0
    public var unchanged = 0
    public init(created: Int = 0, updated: Int = 0, unchanged: Int = 0) {
        self.created = created
        self.updated = updated
        self.unchanged = unchanged
    }
}

extension SQLCatalogue {
    /// Imports services read from a file: every record is checked against the catalogue standard first and
    /// all problems are reported with their lines; then new and changed services are published as their next
    /// version in one transaction. Any invalid record means nothing changes. Services identical to their
    /// published version are left alone.
    public func importServices(_ imported: [ImportedService], dryRun: Bool, actor: String, at time: Date,
                               progress: @Sendable (Int, Int) -> Void = { _, _ in }) async throws -> CatalogueImportOutcome {
        let context = try await context()
        var problems: [ExchangeProblem] = []
        var seen: [String: Int] = [:]
        for record in imported {
            if let first = seen[record.service.code] {
                problems.append(ExchangeProblem(line: record.line, service: record.service.code, field: "code", message: "Also on line \(first); each service once."))
            }
            seen[record.service.code] = seen[record.service.code] ?? record.line
            for problem in CatalogueRules.publishProblems(record.service, context: context) {
                problems.append(ExchangeProblem(line: record.line, service: record.service.code.isEmpty ? nil : record.service.code, field: problem.field, message: problem.message))
            }
        }
        if !problems.isEmpty { throw ExchangeError(problems) }
        var outcome = CatalogueImportOutcome()
        var toPublish: [ServiceDescription] = []
        for record in imported {
            if let current = try await published(record.service.code) {
                if current.document == record.service { outcome.unchanged += 1 } else { outcome.updated += 1; toPublish.append(record.service) }
            } else {
                outcome.created += 1
                toPublish.append(record.service)
            }
        }
        if dryRun { return outcome }
        let total = toPublish.count
        do {
            try await publishDirectly(toPublish, actor: actor, at: time) { done in progress(done, total) }
        } catch CatalogueImportError.invalid(let index, let found) {
            let line = imported.first { $0.service.code == toPublish[index].code }?.line ?? 0
            throw ExchangeError(found.map { ExchangeProblem(line: line, service: toPublish[index].code, field: $0.field, message: $0.message) })
        }
        return outcome
    }
}
