import AnyDoorApp
import AnyDoorStore
import ArgumentParser
import Foundation

struct Keys: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Manage the keys that encrypt personal information at rest.",
        subcommands: [Rotate.self, Generate.self]
    )

    struct Generate: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Print a new random 256-bit key (base64) for ANYDOOR_DATA_KEYS or ANYDOOR_INDEX_KEY.")
        func run() { print(KeyRing.generateKeyText()) }
    }

    struct Rotate: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Re-encrypt every personal field under the current key.",
            discussion: """
            Embedded database without key variables: a new key is added to the data folder's key file, everything is \
            re-encrypted under it, and the old keys are then removed. With ANYDOOR_DATA_KEYS: put the new key first \
            (keep the old ones after it), run this, then remove the old keys from the variable on every node.
            """
        )

        @OptionGroup var options: ServerOptions

        func run() async throws {
            var configuration = try options.configuration()
            let usesKeyFile = configuration.dataKeys == nil && configuration.indexKey == nil
            let keys: KeyRing
            if usesKeyFile {
                guard !(configuration.databaseURL?.hasPrefix("postgres") ?? false) else { throw ValidationError(KeyRingError.missingForPostgres.description) }
                keys = try KeyFile.addKey(in: URL(fileURLWithPath: configuration.dataDirectory))
                progress("New key \(keys.currentKeyID) added to the key file.")
            } else {
                keys = try configuration.keyRing()
            }
            configuration.seedDemoWhenEmpty = false
            let (count, left) = try await options.withServices(configuration) { services in
                let rotation = KeyRotation(database: services.database, keys: keys)
                let count = try await rotation.reencryptAll { column, done in progress("\(column): \(done) re-encrypted") }
                return (count, try await rotation.valuesUnderOldKeys())
            }
            guard left == 0 else { throw ValidationError("\(left) values are still under old keys; run again.") }
            if usesKeyFile { try KeyFile.retireOldKeys(in: URL(fileURLWithPath: configuration.dataDirectory)) }
            print("Re-encrypted \(count) values under key \(keys.currentKeyID).\(usesKeyFile ? " Old keys removed from the key file." : " Remove the old keys from ANYDOOR_DATA_KEYS on every node.")")
        }
    }
}
