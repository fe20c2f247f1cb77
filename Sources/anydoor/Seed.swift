import AnyDoorApp
import AnyDoorStore
import ArgumentParser

struct Seed: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Load data. --demo loads the demo data built from real BC data; records already present are kept."
    )

    @OptionGroup var options: ServerOptions

    @Flag(help: "Load the demo data.")
    var demo = false

    func validate() throws {
        guard demo else { throw ValidationError("Say what to load: --demo") }
    }

    func run() async throws {
        let configuration = try options.configuration()
        let logger = options.logger(configuration)
        let (outcome, staff, offices) = try await options.withServices(configuration) { services in
            try await Migrator(database: services.database, logger: logger).migrate { progress($0) }
            let outcome = try await DemoSeeder(ministries: services.ministries, catalogue: services.catalogue).seed { done, total, part in
                progress("[\(done)/\(total)] \(part)")
            }
            let staff = try await DemoStaff.seed(staff: SQLStaff(database: services.database, keys: services.keys), environment: .live) { done, total in
                progress("[\(done)/\(total)] staff")
            }
            try await services.seedDemoOpen311Client(logger: logger)
            let offices = try await services.seedDemoOffices { done, total in progress("[\(done)/\(total)] offices") }
            return (outcome, staff, offices)
        }
        print("Demo data: \(outcome.created) ministries created, \(outcome.alreadyPresent) already present; \(outcome.services) services published; \(staff) staff accounts created; \(offices) offices created.")
    }
}
