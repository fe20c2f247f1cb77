import SQLKit

/// One step of the schema. Numbered from 1 without gaps; once released, a migration is never edited:
/// a change is a new migration.
public protocol Migration: Sendable {
    /// Position in the sequence, starting at 1.
    var number: Int { get }
    /// A few words saying what it does, recorded with it.
    var name: String { get }
    func prepare(on sql: any SQLDatabase, flavour: SQLFlavour) async throws
}

/// Every migration AnyDoor knows, in order. Append only.
public enum Migrations {
    public static let all: [any Migration] = [
        CreateMinistries(),
        CreateAccounts(),
        CreateRecordAccess(),
        CreateProvincialSignIn(),
        CreateAPIClients(),
        CreatePrivacyRecords(),
        CreateServiceRequirements(),
        CreateCatalogue(),
        CreateRequests(),
        CreateNotificationPreferences(),
        CreateProfiles(),
        CreateCounter(),
    ]
}
