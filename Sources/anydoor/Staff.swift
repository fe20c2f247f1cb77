import AnyDoorApp
import AnyDoorCore
import AnyDoorStore
import ArgumentParser
import Foundation

struct Staff: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Manage staff accounts.",
        subcommands: [Add.self]
    )

    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Create a staff account. Prints the TOTP key once; the password is read from ANYDOOR_STAFF_PASSWORD or the first line of standard input.",
            discussion: "Example: anydoor staff add --email ana@gov.bc.ca --name 'Ana Agent' --role counter-agent --role ministry-caseworker:HLTH"
        )

        @OptionGroup var options: ServerOptions

        @Option(help: "Work email address.")
        var email: String

        @Option(help: "Full name.")
        var name: String

        @Option(help: "A role, optionally scoped to a ministry: ROLE or ROLE:MINISTRYCODE. Repeat for several. Roles: \(StaffRole.allCases.map(\.rawValue).joined(separator: ", ")).")
        var role: [String]

        func run() async throws {
            let configuration = try options.configuration()
            let password = ProcessInfo.processInfo.environment["ANYDOOR_STAFF_PASSWORD"] ?? readLine(strippingNewline: true) ?? ""
            do {
                let (created, secret) = try await options.withServices(configuration) { services in
                    try await Migrator(database: services.database, logger: options.logger(configuration)).migrate()
                    return try await StaffAccounts.create(services: services, email: email, name: name, roles: role, password: password)
                }
                print("Staff account created for \(created).")
                print("TOTP key (shown once; add it to an authenticator app): \(secret)")
            } catch let problem as StaffAccounts.Problem {
                throw ValidationError(problem.description)
            }
        }
    }
}
