import AnyDoorApp
import ArgumentParser
import Foundation
import Logging

/// Options shared by every command that opens the database. Flags win over `ANYDOOR_*` variables,
/// which win over the defaults.
struct ServerOptions: ParsableArguments {
    @Option(help: "Address to listen on (ANYDOOR_HOST, default 127.0.0.1).")
    var host: String?

    @Option(help: "Port to listen on (ANYDOOR_PORT, default 8080).")
    var port: Int?

    @Option(name: .customLong("data-dir"), help: "Folder of the embedded database (ANYDOOR_DATA_DIR, default anydoor-data).")
    var dataDirectory: String?

    @Option(name: .customLong("log-level"), help: "trace, debug, info, notice, warning, error or critical (ANYDOOR_LOG_LEVEL, default info).")
    var logLevel: String?

    func configuration() throws -> AppConfiguration {
        var configuration: AppConfiguration
        do {
            configuration = try AppConfiguration.fromEnvironment()
        } catch {
            throw ValidationError("\(error)")
        }
        if let host { configuration.host = host }
        if let port {
            guard (0...65535).contains(port) else { throw ValidationError("--port must be from 0 to 65535") }
            configuration.port = port
        }
        if let dataDirectory { configuration.dataDirectory = dataDirectory }
        if let logLevel {
            guard let level = Logger.Level(rawValue: logLevel.lowercased()) else {
                throw ValidationError("--log-level must be one of trace, debug, info, notice, warning, error, critical")
            }
            configuration.logLevel = level
        }
        return configuration
    }

    func logger(_ configuration: AppConfiguration, label: String = "anydoor") -> Logger {
        var logger = Logger(label: label)
        logger.logLevel = configuration.logLevel
        return logger
    }
}

extension ServerOptions {
    /// Opens AnyDoor's services for one command and always closes the database pool afterwards,
    /// whether the command succeeds or fails.
    func withServices<Result: Sendable>(_ configuration: AppConfiguration, _ body: (AppServices) async throws -> Result) async throws -> Result {
        let services = try AppServices.open(configuration: configuration, logger: logger(configuration))
        do {
            let result = try await body(services)
            await services.database.shutdown()
            return result
        } catch {
            await services.database.shutdown()
            throw error
        }
    }
}

/// Writes a line of progress to standard error, so standard output stays clean for scripts.
func progress(_ line: String) {
    FileHandle.standardError.write(Data("\(line)\n".utf8))
}
