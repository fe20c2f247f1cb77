import AnyDoorCore
import Foundation

/// A ministry as the JSON API shows it.
struct MinistryResource: Codable, Sendable {
    let id: String
    let code: String
    let names: [String: String]
    let contact: ContactDetails
    let createdAt: Date
    let updatedAt: Date

    enum CodingKeys: String, CodingKey {
        case id, code, names, contact
        case createdAt = "created_at"
        case updatedAt = "updated_at"
    }

    init(_ ministry: Ministry) {
        self.id = ministry.id.description
        self.code = ministry.code.rawValue
        self.names = Dictionary(uniqueKeysWithValues: ministry.names.values.map { ($0.key.rawValue, $0.value) })
        self.contact = ministry.contact
        self.createdAt = ministry.createdAt
        self.updatedAt = ministry.updatedAt
    }
}

struct MinistryList: Codable, Sendable {
    let items: [MinistryResource]
}
