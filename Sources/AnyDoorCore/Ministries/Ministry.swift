import Foundation

/// Identifies a ministry (CPSV-AP "competent authority"; X-Road "member").
public struct MinistryID: TypedID {
    public let rawValue: UUID
    public init(rawValue: UUID) { self.rawValue = rawValue }
}

/// A ministry of the Government of British Columbia.
public struct Ministry: Sendable, Equatable, Codable {
    public var id: MinistryID
    /// Short code used by staff and in reports, for example `CITZ`. Unique, upper case.
    public var code: MinistryCode
    /// The ministry's name in each language it has been translated into; English always present.
    public var names: LocalizedText
    public var contact: ContactDetails
    public var createdAt: Date
    public var updatedAt: Date

    public init(id: MinistryID, code: MinistryCode, names: LocalizedText, contact: ContactDetails, createdAt: Date, updatedAt: Date) {
        self.id = id
        self.code = code
        self.names = names
        self.contact = contact
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }
}

/// A ministry's short code: 2 to 12 characters, upper-case ASCII letters and digits, starting with a
/// letter (`AG`, `CITZ`, `MCFD`).
public struct MinistryCode: Hashable, Sendable, Codable, CustomStringConvertible, Comparable {
    public let rawValue: String

    /// `nil` unless `text` follows the rule above.
    public init?(_ text: String) {
        let scalars = text.unicodeScalars
        guard (2...12).contains(scalars.count),
              let first = scalars.first, ("A"..."Z").contains(first),
              scalars.allSatisfy({ ("A"..."Z").contains($0) || ("0"..."9").contains($0) })
        else { return nil }
        self.rawValue = text
    }

    public var description: String { rawValue }

    public static func < (lhs: MinistryCode, rhs: MinistryCode) -> Bool { lhs.rawValue < rhs.rawValue }

    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let code = MinistryCode(text) else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "Invalid ministry code"))
        }
        self = code
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }
}

/// How the public reaches a ministry. Every member is optional; a ministry with none is reached
/// through Service BC.
public struct ContactDetails: Sendable, Equatable, Codable {
    public var email: String?
    public var phone: String?
    public var website: String?
    public var address: String?

    public init(email: String? = nil, phone: String? = nil, website: String? = nil, address: String? = nil) {
        self.email = email
        self.phone = phone
        self.website = website
        self.address = address
    }
}
