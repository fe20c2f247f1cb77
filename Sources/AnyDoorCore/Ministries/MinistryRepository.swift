/// Where ministries are kept. Implemented by the store over SQLite and PostgreSQL.
public protocol MinistryRepository: Sendable {
    /// Every ministry, ordered by code.
    func list() async throws -> [Ministry]
    func find(_ id: MinistryID) async throws -> Ministry?
    func find(code: MinistryCode) async throws -> Ministry?
    /// Stores a new ministry. Throws ``MinistryError/duplicateCode(_:)`` when the code is taken.
    func insert(_ ministry: Ministry) async throws
    /// Replaces a stored ministry. Throws ``MinistryError/notFound(_:)`` or ``MinistryError/duplicateCode(_:)``.
    func update(_ ministry: Ministry) async throws
    func count() async throws -> Int
}

/// What can go wrong with ministries, in the domain's words.
public enum MinistryError: Error, Equatable, Sendable {
    case notFound(MinistryID)
    case duplicateCode(MinistryCode)
}
