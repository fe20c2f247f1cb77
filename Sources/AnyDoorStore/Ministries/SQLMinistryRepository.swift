import AnyDoorCore
import Foundation
import SQLKit

/// Ministries in SQL: one row in `ministries`, one row per language in `ministry_names`.
public struct SQLMinistryRepository: MinistryRepository {
    let database: Database

    public init(database: Database) {
        self.database = database
    }

    public func list() async throws -> [Ministry] {
        try await database.withSQL { sql in
            let rows = try await sql.select().columns(Self.columns).from("ministries").orderBy("code").all()
            let names = try await sql.select().columns("ministry_id", "language", "name").from("ministry_names").all()
            return try Self.assemble(rows, names: names)
        }
    }

    public func find(_ id: MinistryID) async throws -> Ministry? {
        try await findOne(where: "id", equals: id.description)
    }

    public func find(code: MinistryCode) async throws -> Ministry? {
        try await findOne(where: "code", equals: code.rawValue)
    }

    public func count() async throws -> Int {
        try await database.withSQL { sql in
            let row = try await sql.select().column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n").from("ministries").first()
            return try row?.decode(column: "n", as: Int.self) ?? 0
        }
    }

    public func insert(_ ministry: Ministry) async throws {
        let flavour = database.flavour
        do {
            try await database.transaction { sql in
                try await sql.insert(into: "ministries")
                    .columns(Self.columns)
                    .values(Self.values(of: ministry))
                    .run()
                try await Self.insertNames(of: ministry, on: sql)
            }
        } catch where flavour.isUniqueViolation(error) {
            throw MinistryError.duplicateCode(ministry.code)
        }
    }

    public func update(_ ministry: Ministry) async throws {
        let flavour = database.flavour
        do {
            try await database.transaction { sql in
                let exists = try await sql.select().column("id").from("ministries").where("id", .equal, ministry.id.description).first()
                guard exists != nil else { throw MinistryError.notFound(ministry.id) }
                try await sql.update("ministries")
                    .set("code", to: ministry.code.rawValue)
                    .set("contact_email", to: ministry.contact.email)
                    .set("contact_phone", to: ministry.contact.phone)
                    .set("contact_website", to: ministry.contact.website)
                    .set("contact_address", to: ministry.contact.address)
                    .set("updated_at", to: ministry.updatedAt.timeIntervalSince1970)
                    .where("id", .equal, ministry.id.description)
                    .run()
                try await sql.delete(from: "ministry_names").where("ministry_id", .equal, ministry.id.description).run()
                try await Self.insertNames(of: ministry, on: sql)
            }
        } catch where flavour.isUniqueViolation(error) {
            throw MinistryError.duplicateCode(ministry.code)
        }
    }

    // MARK: - Rows

    static let columns = ["id", "code", "contact_email", "contact_phone", "contact_website", "contact_address", "created_at", "updated_at"]

    static func values(of ministry: Ministry) -> [any SQLExpression] {
        [
            SQLBind(ministry.id.description), SQLBind(ministry.code.rawValue),
            SQLBind(ministry.contact.email), SQLBind(ministry.contact.phone),
            SQLBind(ministry.contact.website), SQLBind(ministry.contact.address),
            SQLBind(ministry.createdAt.timeIntervalSince1970), SQLBind(ministry.updatedAt.timeIntervalSince1970),
        ]
    }

    static func insertNames(of ministry: Ministry, on sql: any SQLDatabase) async throws {
        let names = ministry.names.values.sorted { $0.key < $1.key }
        guard !names.isEmpty else { return }
        var insert = sql.insert(into: "ministry_names").columns("ministry_id", "language", "name")
        for (language, name) in names {
            insert = insert.values(SQLBind(ministry.id.description), SQLBind(language.rawValue), SQLBind(name))
        }
        try await insert.run()
    }

    func findOne(where column: String, equals value: String) async throws -> Ministry? {
        try await database.withSQL { sql in
            guard let row = try await sql.select().columns(Self.columns).from("ministries").where(SQLIdentifier(column), .equal, SQLBind(value)).first() else {
                return nil
            }
            let id = try row.decode(column: "id", as: String.self)
            let names = try await sql.select().columns("ministry_id", "language", "name").from("ministry_names").where("ministry_id", .equal, id).all()
            return try Self.assemble([row], names: names).first
        }
    }

    static func assemble(_ rows: [any SQLRow], names: [any SQLRow]) throws -> [Ministry] {
        var namesByMinistry: [String: LocalizedText] = [:]
        for row in names {
            let id = try row.decode(column: "ministry_id", as: String.self)
            guard let language = LanguageCode(rawValue: try row.decode(column: "language", as: String.self)) else { continue }
            namesByMinistry[id, default: LocalizedText()][language] = try row.decode(column: "name", as: String.self)
        }
        return try rows.map { row in
            let rawID = try row.decode(column: "id", as: String.self)
            guard let id = MinistryID(rawID), let code = MinistryCode(try row.decode(column: "code", as: String.self)) else {
                throw StoreError.corruptRow(table: "ministries", id: rawID)
            }
            return Ministry(
                id: id,
                code: code,
                names: namesByMinistry[rawID] ?? LocalizedText(),
                contact: ContactDetails(
                    email: try row.decode(column: "contact_email", as: String?.self),
                    phone: try row.decode(column: "contact_phone", as: String?.self),
                    website: try row.decode(column: "contact_website", as: String?.self),
                    address: try row.decode(column: "contact_address", as: String?.self)
                ),
                createdAt: Date(timeIntervalSince1970: try row.decode(column: "created_at", as: Double.self)),
                updatedAt: Date(timeIntervalSince1970: try row.decode(column: "updated_at", as: Double.self))
            )
        }
    }
}

/// A stored row that does not satisfy the domain's rules: a bug or a hand edit, never user input.
public enum StoreError: Error, CustomStringConvertible {
    case corruptRow(table: String, id: String)
    public var description: String {
        switch self {
        case let .corruptRow(table, id): "row \(id) of \(table) does not satisfy the domain rules"
        }
    }
}
