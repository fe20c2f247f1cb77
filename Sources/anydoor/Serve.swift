import AnyDoorApp
import ArgumentParser
import Logging

struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Serve AnyDoor: migrates the database first, and loads demo data into an empty embedded database."
    )

    @OptionGroup var options: ServerOptions

    func run() async throws {
        let configuration = try options.configuration()
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardOutput(label: label)
            handler.logLevel = configuration.logLevel
            return handler
        }
        let logger = options.logger(configuration)
        let app = try await buildApplication(configuration: configuration, logger: logger)
        try await app.runService()
    }
}
