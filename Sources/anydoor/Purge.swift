import AnyDoorApp
import AnyDoorStore
import ArgumentParser

struct Purge: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Apply the retention schedule now (serve also does it every hour); the audit log records the counts."
    )

    @OptionGroup var options: ServerOptions

    func run() async throws {
        let configuration = try options.configuration()
        let logger = options.logger(configuration)
        let counts = try await options.withServices(configuration) { services in
            try await Migrator(database: services.database, logger: logger).migrate { progress($0) }
            return try await RetentionService(database: services.database, keys: services.keys, environment: .live, logger: logger).purgeOnce()
        }
        for (table, count) in counts.sorted(by: { $0.key < $1.key }) { print("\(table): \(count) deleted") }
    }
}
