import AnyDoorApp
import AnyDoorStore
import ArgumentParser

struct Audit: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Work with the tamper-evident audit log.",
        subcommands: [Verify.self]
    )

    struct Verify: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Check the whole audit chain; report every edited, reordered or deleted entry. Exits 1 when any is found."
        )

        @OptionGroup var options: ServerOptions

        func run() async throws {
            let configuration = try options.configuration()
            let result = try await options.withServices(configuration) { services in
                try await SQLAuditLog(database: services.database, keys: services.keys).verify { progress("checked \($0) entries") }
            }
            if result.isIntact {
                print("Audit log intact: \(result.entriesChecked) entries, chain unbroken.")
            } else {
                print("Audit log TAMPERED: \(result.problems.count) problem(s) in \(result.entriesChecked) entries.")
                result.problems.forEach { print("- \($0)") }
                throw ExitCode(1)
            }
        }
    }
}
