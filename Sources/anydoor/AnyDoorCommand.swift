import ArgumentParser

@main
struct AnyDoorCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "anydoor",
        abstract: "AnyDoor: British Columbia's integrated government service-delivery platform.",
        subcommands: [Serve.self, Migrate.self, Seed.self, Catalogue.self, Audit.self, Keys.self, Purge.self, Staff.self, Counter.self],
        defaultSubcommand: Serve.self
    )
}
