import AnyDoorApp
import AnyDoorStore
import ArgumentParser

struct Migrate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Apply pending database migrations. Refuses a database newer than this AnyDoor."
    )

    @OptionGroup var options: ServerOptions

    func run() async throws {
        let configuration = try options.configuration()
        let logger = options.logger(configuration)
        do {
            let applied = try await options.withServices(configuration) { services in
                try await Migrator(database: services.database, logger: logger).migrate { progress($0) }
            }
            print(applied.isEmpty ? "Database is up to date." : "Applied \(applied.count) migration(s): \(applied.map(String.init).joined(separator: ", ")).")
        } catch let error as MigrationError {
            throw ValidationError(error.description)
        }
    }
}
