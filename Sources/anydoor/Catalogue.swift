import AnyDoorApp
import AnyDoorCore
import AnyDoorStore
import ArgumentParser
import Foundation

struct Catalogue: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Import or export the service catalogue as JSON-LD (schema.org GovernmentService) or CSV.",
        subcommands: [Import.self, Export.self, Optimise.self, SearchTimes.self]
    )

    enum Format: String, ExpressibleByArgument, CaseIterable {
        case jsonld, csv

        static func guess(_ path: String) -> Format { path.lowercased().hasSuffix(".csv") ? .csv : .jsonld }
    }

    struct Import: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Publish the services in FILE (new ones, and the next version of changed ones). Any invalid record: nothing changes, every problem is listed by line."
        )

        @OptionGroup var options: ServerOptions
        @Argument(help: "A .jsonld/.json or .csv file, as `catalogue export` writes.") var file: String
        @Option(help: "jsonld or csv (default: from the file name).") var format: Format?
        @Flag(help: "Check the file and say what would change, without changing anything.") var dryRun = false

        static func read(_ data: Data, format: Format) throws -> [ImportedService] {
            do {
                switch format {
                case .csv: return try CatalogueCSV.decode(data)
                case .jsonld: return try CatalogueJSONLD.decode(data)
                }
            } catch {
                throw ImportFailed(error: error)
            }
        }

        func run() async throws {
            guard let data = FileManager.default.contents(atPath: file) else { throw ValidationError("Cannot read \(file).") }
            let records = try Self.read(data, format: format ?? Format.guess(file))
            progress("Read \(records.count) services from \(file)")
            let configuration = try options.configuration()
            let logger = options.logger(configuration)
            let dryRun = dryRun
            let outcome = try await options.withServices(configuration) { services in
                try await Migrator(database: services.database, logger: logger).migrate { progress($0) }
                try await services.catalogue.ensureSearchIndex { done, total in if done % 1000 == 0 || done == total { progress("search index: \(done)/\(total)") } }
                do {
                    return try await services.catalogue.importServices(records, dryRun: dryRun, actor: "system", at: Date()) { done, total in
                        if done == total || done % 50 == 0 { progress("[\(done)/\(total)] services published") }
                    }
                } catch let error as ExchangeError {
                    throw ImportFailed(error: error)
                }
            }
            print("\(dryRun ? "Dry run, nothing changed: would create" : "Created") \(outcome.created), \(dryRun ? "update" : "updated") \(outcome.updated), \(outcome.unchanged) unchanged.")
        }
    }

    struct Export: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Write every published service (latest versions, retired ones excluded).")

        @OptionGroup var options: ServerOptions
        @Option(help: "jsonld or csv.") var format: Format = .jsonld
        @Option(name: .shortAndLong, help: "Write to this file instead of standard output.") var output: String?

        func run() async throws {
            let configuration = try options.configuration()
            let logger = options.logger(configuration)
            let services = try await options.withServices(configuration) { services in
                try await Migrator(database: services.database, logger: logger).migrate { progress($0) }
                return try await services.catalogue.listPublished().map(\.document)
            }
            let data = try format == .csv ? CatalogueCSV.encode(services) : CatalogueJSONLD.encode(services)
            if let output {
                try data.write(to: URL(fileURLWithPath: output))
                progress("Wrote \(services.count) services to \(output)")
            } else {
                FileHandle.standardOutput.write(data)
                progress("Wrote \(services.count) services")
            }
        }
    }

    struct Optimise: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Reorganise the search index for speed after bulk imports (PostgreSQL: CLUSTER, which locks the search tables while it runs; run it in a quiet moment)."
        )

        @OptionGroup var options: ServerOptions

        func run() async throws {
            let configuration = try options.configuration()
            let logger = options.logger(configuration)
            let clock = ContinuousClock()
            let elapsed = try await clock.measure {
                try await options.withServices(configuration) { services in
                    try await Migrator(database: services.database, logger: logger).migrate { progress($0) }
                    try await services.catalogue.ensureSearchIndex { done, total in if done % 1000 == 0 || done == total { progress("search index: \(done)/\(total)") } }
                    try await services.catalogue.optimiseSearchIndex { progress($0) }
                }
            }
            print("Search index optimised in \(elapsed.components.seconds) s.")
        }
    }

    struct SearchTimes: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "search-times",
            abstract: "Time catalogue searches in-process (for scripts/bench): one query per line as LANG<TAB>WORDS; prints p50/p95/max in ms."
        )

        @OptionGroup var options: ServerOptions
        @Argument(help: "The query file.") var file: String
        @Option(help: "Times each query is run after one warm-up pass.") var rounds = 3
        @Option(help: "Also print this many slowest queries (median of their rounds), to standard error.") var slowest = 0

        func run() async throws {
            guard let text = try? String(contentsOfFile: file, encoding: .utf8) else { throw ValidationError("Cannot read \(file).") }
            let queries = text.split(separator: "\n").compactMap { line -> (LanguageCode, String)? in
                let parts = line.split(separator: "\t", maxSplits: 1).map(String.init)
                guard parts.count == 2, let language = LanguageCode(rawValue: parts[0]) else { return nil }
                return (language, parts[1])
            }
            guard !queries.isEmpty else { throw ValidationError("No queries in \(file); write LANG<TAB>WORDS per line.") }
            let configuration = try options.configuration()
            let rounds = max(1, rounds)
            let (times, found) = try await options.withServices(configuration) { services in
                try await services.catalogue.ensureSearchIndex { done, total in if done % 1000 == 0 || done == total { progress("search index: \(done)/\(total)") } }
                for (language, words) in queries { _ = try await services.catalogue.search(words, language: language) }
                var times: [Double] = []
                var byQuery = [[Double]](repeating: [], count: queries.count)
                var found = 0
                let clock = ContinuousClock()
                for round in 0..<rounds {
                    for (index, (language, words)) in queries.enumerated() {
                        var hits: [SearchHit] = []
                        let elapsed = try await clock.measure { hits = try await services.catalogue.search(words, language: language) }
                        let ms = Double(elapsed.components.attoseconds) / 1e15 + Double(elapsed.components.seconds) * 1000
                        times.append(ms)
                        byQuery[index].append(ms)
                        if round == 0, !hits.isEmpty { found += 1 }
                        if index % 200 == 0 { progress("round \(round + 1)/\(rounds): \(index)/\(queries.count) queries") }
                    }
                }
                if slowest > 0 {
                    let medians = byQuery.enumerated().map { ($0.offset, $0.element.sorted()[$0.element.count / 2]) }
                    for (index, ms) in medians.sorted(by: { $0.1 > $1.1 }).prefix(slowest) {
                        progress(String(format: "slow: %.2f ms  %@  %@", ms, queries[index].0.rawValue, queries[index].1))
                    }
                }
                return (times.sorted(), found)
            }
            func percentile(_ p: Double) -> Double { times[min(times.count - 1, Int((Double(times.count) * p).rounded(.up)) - 1)] }
            print(String(format: "queries=%d found=%d runs=%d p50_ms=%.2f p95_ms=%.2f max_ms=%.2f", queries.count, found, times.count, percentile(0.5), percentile(0.95), times.last ?? 0))
        }
    }

    struct ImportFailed: Error, CustomStringConvertible {
        let error: ExchangeError
        var description: String { "Nothing was imported. \(error.problems.count) problem\(error.problems.count == 1 ? "" : "s"):\n\(error.description)" }
    }
}
