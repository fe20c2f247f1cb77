import AnyDoorStore
import SQLKit
import Testing

@Suite struct MigratorTests {
    @Test(arguments: TestDatabase.available)
    func migratingAFreshDatabaseAppliesAndRecordsEveryMigrationOnce(_ kind: TestDatabase) async throws {
        try await kind.withFresh { database in
            // setup
            let migrator = Migrator(database: database, logger: TestDatabase.logger)
            // MUT
            let first = try await migrator.migrate()
            let second = try await migrator.migrate()
            // validate
            #expect(first == Migrations.all.map(\.number))
            #expect(second.isEmpty)
            let appliedNumbers = try await migrator.appliedNumbers()
            #expect(appliedNumbers == Set(Migrations.all.map(\.number)))
        }
    }

    @Test(arguments: TestDatabase.available)
    func aDatabaseNewerThanTheBinaryIsRefused(_ kind: TestDatabase) async throws {
        try await kind.withMigrated { database in
            let future = (Migrations.all.map(\.number).max() ?? 0) + 1
            try await database.withSQL { sql in
                try await sql.insert(into: "schema_migrations").columns("number", "name", "applied_at")
                    .values(SQLBind(future), SQLBind("from the future"), SQLBind(0.0)).run()
            }
            let migrator = Migrator(database: database, logger: TestDatabase.logger)
            await #expect(throws: MigrationError.databaseNewerThanBinary(databaseVersion: future, binaryVersion: future - 1)) {
                try await migrator.migrate()
            }
        }
    }

    @Test func migrationNumbersRunFromOneWithoutGaps() {
        #expect(Migrations.all.map(\.number) == Array(1...Migrations.all.count))
    }

    @Test(arguments: TestDatabase.available)
    func aFailingMigrationLeavesNothingRecordedAndNoPartialSchema(_ kind: TestDatabase) async throws {
        struct Broken: Migration {
            let number = Migrations.all.count + 1
            let name = "broken"
            func prepare(on sql: any SQLDatabase, flavour: SQLFlavour) async throws {
                try await sql.create(table: "half_made").column("id", type: .int).run()
                try await sql.raw("THIS IS NOT SQL").run()
            }
        }
        try await kind.withFresh { database in
            let migrator = Migrator(database: database, migrations: Migrations.all + [Broken()], logger: TestDatabase.logger)
            await #expect(throws: (any Error).self) { try await migrator.migrate() }
            let appliedNumbers = try await migrator.appliedNumbers()
            #expect(appliedNumbers == Set(Migrations.all.map(\.number)))
            // The broken step's table was rolled back with it (PostgreSQL has transactional DDL; SQLite too).
            await #expect(throws: (any Error).self) {
                try await database.withSQL { try await $0.raw("SELECT * FROM half_made").run() }
            }
        }
    }
}
