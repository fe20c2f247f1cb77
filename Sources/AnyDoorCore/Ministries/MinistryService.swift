/// The use cases for ministries: validation first, then one repository call, so bad input changes nothing.
public struct MinistryService: Sendable {
    let repository: any MinistryRepository
    let environment: Environment

    public init(repository: any MinistryRepository, environment: Environment) {
        self.repository = repository
        self.environment = environment
    }

    public func list() async throws -> [Ministry] {
        try await repository.list()
    }

    public func count() async throws -> Int {
        try await repository.count()
    }

    public func find(code: MinistryCode) async throws -> Ministry? {
        try await repository.find(code: code)
    }

    public func get(_ id: MinistryID) async throws -> Ministry {
        guard let ministry = try await repository.find(id) else { throw MinistryError.notFound(id) }
        return ministry
    }

    /// Creates a ministry from client input; every missing or invalid field is reported at once.
    public func create(_ input: MinistryInput) async throws -> Ministry {
        let (code, names, contact) = try MinistryRules.validated(code: input.code, names: input.names, contact: input.contact)
        if try await repository.find(code: code) != nil { throw MinistryError.duplicateCode(code) }
        let now = environment.now()
        let ministry = Ministry(id: MinistryID(rawValue: environment.makeID()), code: code, names: names, contact: contact, createdAt: now, updatedAt: now)
        try await repository.insert(ministry)
        return ministry
    }

    /// Applies a partial change (JSON merge-patch semantics for the members given).
    public func update(_ id: MinistryID, with input: MinistryInput) async throws -> Ministry {
        var ministry = try await get(id)
        var names = Dictionary(uniqueKeysWithValues: ministry.names.values.map { ($0.key.rawValue, $0.value) })
        if let changes = input.names {
            for (tag, name) in changes { names[tag] = name }
        }
        var contact = ministry.contact
        if let change = input.contact {
            contact = ContactDetails(
                email: change.email ?? contact.email, phone: change.phone ?? contact.phone,
                website: change.website ?? contact.website, address: change.address ?? contact.address
            )
        }
        let (code, validNames, validContact) = try MinistryRules.validated(code: input.code ?? ministry.code.rawValue, names: names, contact: contact)
        if code != ministry.code, let other = try await repository.find(code: code), other.id != id {
            throw MinistryError.duplicateCode(code)
        }
        ministry.code = code
        ministry.names = validNames
        ministry.contact = validContact
        ministry.updatedAt = environment.now()
        try await repository.update(ministry)
        return ministry
    }
}
