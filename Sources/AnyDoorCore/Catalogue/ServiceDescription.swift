import Foundation

/// A service's identifier in the catalogue, in URLs (`/services/{code}`) and as the Open311
/// `service_code`: 3 to 60 characters, lower-case ASCII letters, digits and single hyphens, starting with
/// a letter (`renew-drivers-licence`).
public struct ServiceCode: Hashable, Sendable, Codable, Comparable, CustomStringConvertible {
    public let rawValue: String

    public init?(_ text: String) {
        let scalars = Array(text.unicodeScalars)
        guard (3...60).contains(scalars.count), let first = scalars.first, ("a"..."z").contains(first),
              scalars.last != "-", !text.contains("--"),
              scalars.allSatisfy({ ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "-" })
        else { return nil }
        rawValue = text
    }

    public var description: String { rawValue }
    public static func < (lhs: ServiceCode, rhs: ServiceCode) -> Bool { lhs.rawValue < rhs.rawValue }

    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let code = ServiceCode(text) else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "Invalid service code"))
        }
        self = code
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }
}

/// Who a service is for (CPSV-AP `audience`; schema.org `audience`).
public enum Audience: String, Codable, Sendable, CaseIterable {
    case people
    case businesses
    case publicSector = "public-sector"
}

/// The doors a service can be reached through (CPSV-AP `hasChannel`; schema.org `ServiceChannel`).
public enum ChannelKind: String, Codable, Sendable, CaseIterable {
    case online
    case phone
    case inPerson = "in-person"
    case mail
}

/// A telephone channel: the number and when it is answered (schema.org `servicePhone` + `hoursAvailable`,
/// opening hours in the schema.org short form, such as `Mo-Fr 08:00-17:00`).
public struct PhoneChannel: Codable, Sendable, Equatable {
    public var number: String
    public var hours: String

    public init(number: String, hours: String) {
        self.number = number
        self.hours = hours
    }
}

/// How a person reaches the service. Every channel is optional, but a published service needs at least
/// one, and every service stays reachable by phone or in person (REFERENCE.md section 11).
public struct ServiceChannels: Codable, Sendable, Equatable {
    /// Requested online through AnyDoor (`/services/{code}`).
    public var online: Bool
    public var phone: PhoneChannel?
    /// Offered at Service BC offices.
    public var inPerson: Bool
    /// Postal address for applications by mail.
    public var mail: String?

    public init(online: Bool = false, phone: PhoneChannel? = nil, inPerson: Bool = false, mail: String? = nil) {
        self.online = online
        self.phone = phone
        self.inPerson = inPerson
        self.mail = mail
    }

    enum CodingKeys: String, CodingKey { case online, phone, inPerson, mail }

    /// Absent flags mean "not offered", so `{"inPerson": true}` is enough.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        online = try c.decodeIfPresent(Bool.self, forKey: .online) ?? false
        phone = try c.decodeIfPresent(PhoneChannel.self, forKey: .phone)
        inPerson = try c.decodeIfPresent(Bool.self, forKey: .inPerson) ?? false
        mail = try c.decodeIfPresent(String.self, forKey: .mail)
    }

    public var kinds: [ChannelKind] {
        var kinds: [ChannelKind] = []
        if online { kinds.append(.online) }
        if phone != nil { kinds.append(.phone) }
        if inPerson { kinds.append(.inPerson) }
        if mail != nil { kinds.append(.mail) }
        return kinds
    }
}

/// What a service costs (CPSV-AP `hasCost`): an amount as a decimal string, in a currency.
public struct ServiceCost: Codable, Sendable, Equatable {
    public var amount: String
    public var currency: String

    public init(amount: String, currency: String = "CAD") {
        self.amount = amount
        self.currency = currency
    }
}

/// The type of a request-form field, as Open311 service definitions name them.
public enum FieldDatatype: String, Codable, Sendable, CaseIterable {
    case string, number, datetime, text, singlevaluelist, multivaluelist

    public var isList: Bool { self == .singlevaluelist || self == .multivaluelist }
}

/// One choice of a list field (Open311 `values[{key, name}]`).
public struct FieldValue: Codable, Sendable, Equatable {
    public var key: String
    public var name: LocalizedText

    public init(key: String, name: LocalizedText) {
        self.key = key
        self.name = name
    }
}

/// One field of a service's request form (an Open311 attribute). Fields are shown in array order;
/// Open311's `order` is the position, starting at 1.
public struct FormField: Codable, Sendable, Equatable {
    public var code: String
    public var datatype: FieldDatatype
    public var required: Bool
    public var label: LocalizedText
    public var help: LocalizedText
    public var values: [FieldValue]

    public init(code: String, datatype: FieldDatatype, required: Bool = false, label: LocalizedText, help: LocalizedText = LocalizedText(), values: [FieldValue] = []) {
        self.code = code
        self.datatype = datatype
        self.required = required
        self.label = label
        self.help = help
        self.values = values
    }

    enum CodingKeys: String, CodingKey { case code, datatype, required, label, help, values }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        code = try container.decode(String.self, forKey: .code)
        datatype = try container.decode(FieldDatatype.self, forKey: .datatype)
        required = try container.decodeIfPresent(Bool.self, forKey: .required) ?? false
        label = try container.decodeIfPresent(LocalizedText.self, forKey: .label) ?? LocalizedText()
        help = try container.decodeIfPresent(LocalizedText.self, forKey: .help) ?? LocalizedText()
        values = try container.decodeIfPresent([FieldValue].self, forKey: .values) ?? []
    }
}

/// How far a service's text has been translated into one language.
public enum TranslationStatus: String, Codable, Sendable, CaseIterable, Comparable {
    /// No title in the language: people see English with a notice.
    case missing
    /// Translated, not yet reviewed by a person (machine-drafted or new).
    case draft
    /// Reviewed by a translator.
    case reviewed

    public static func < (lhs: TranslationStatus, rhs: TranslationStatus) -> Bool {
        allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
    }
}

/// A government service described to one standard (CPSV-AP 3.2 Public Service, mapped to schema.org
/// GovernmentService for web pages). This is the document that is drafted, reviewed and published; a
/// published version is immutable. Drafts may be incomplete: ``CatalogueRules/publishProblems(_:context:)``
/// decides whether it can be published.
public struct ServiceDescription: Codable, Sendable, Equatable {
    /// CPSV-AP `identifier`.
    public var code: String
    /// CPSV-AP `name`.
    public var title: LocalizedText
    /// CPSV-AP `description`.
    public var description: LocalizedText
    /// The competent authority's ministry code (CPSV-AP `hasCompetentAuthority`).
    public var ministry: String
    /// CPSV-AP `thematicArea`: the ministry's program this service belongs to.
    public var programArea: String
    public var channels: ServiceChannels
    /// CPSV-AP `holdsRequirement`: who may use the service.
    public var eligibility: [LocalizedText]
    /// CPSV-AP `hasInput`: documents a person must provide.
    public var evidence: [LocalizedText]
    /// `nil` when the service is free.
    public var cost: ServiceCost?
    /// CPSV-AP `processingTime`, an ISO 8601 duration such as `P10D`.
    public var processingTime: String?
    /// CPSV-AP `hasLegalResource`: the statutes the service rests on.
    public var legalBasis: [String]
    public var audience: [Audience]
    /// Codes of the life events that group this service (CPSV-AP `isGroupedBy`).
    public var lifeEvents: [String]
    /// Search words per language, separated by commas (CPSV-AP `keyword`).
    public var keywords: LocalizedText
    /// The least identity assurance and sign-in strength a person needs to use the service.
    public var requirement: ServiceAccessRequirement
    /// The request form (Open311 service definition attributes).
    public var fields: [FormField]
    /// Languages whose translation a person has reviewed. A language with a title but not listed here is a draft.
    public var reviewedLanguages: [LanguageCode]

    public init(code: String, title: LocalizedText = LocalizedText(), description: LocalizedText = LocalizedText(), ministry: String = "", programArea: String = "",
                channels: ServiceChannels = ServiceChannels(), eligibility: [LocalizedText] = [], evidence: [LocalizedText] = [], cost: ServiceCost? = nil,
                processingTime: String? = nil, legalBasis: [String] = [], audience: [Audience] = [], lifeEvents: [String] = [], keywords: LocalizedText = LocalizedText(),
                requirement: ServiceAccessRequirement = .default, fields: [FormField] = [], reviewedLanguages: [LanguageCode] = []) {
        self.code = code
        self.title = title
        self.description = description
        self.ministry = ministry
        self.programArea = programArea
        self.channels = channels
        self.eligibility = eligibility
        self.evidence = evidence
        self.cost = cost
        self.processingTime = processingTime
        self.legalBasis = legalBasis
        self.audience = audience
        self.lifeEvents = lifeEvents
        self.keywords = keywords
        self.requirement = requirement
        self.fields = fields
        self.reviewedLanguages = reviewedLanguages
    }

    enum CodingKeys: String, CodingKey {
        case code, title, description, ministry, programArea, channels, eligibility, evidence, cost, processingTime
        case legalBasis, audience, lifeEvents, keywords, requirement, fields, reviewedLanguages
    }

    /// Absent members take their empty value, so a partial draft decodes and validation names what is missing.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        code = try c.decodeIfPresent(String.self, forKey: .code) ?? ""
        title = try c.decodeIfPresent(LocalizedText.self, forKey: .title) ?? LocalizedText()
        description = try c.decodeIfPresent(LocalizedText.self, forKey: .description) ?? LocalizedText()
        ministry = try c.decodeIfPresent(String.self, forKey: .ministry) ?? ""
        programArea = try c.decodeIfPresent(String.self, forKey: .programArea) ?? ""
        channels = try c.decodeIfPresent(ServiceChannels.self, forKey: .channels) ?? ServiceChannels()
        eligibility = try c.decodeIfPresent([LocalizedText].self, forKey: .eligibility) ?? []
        evidence = try c.decodeIfPresent([LocalizedText].self, forKey: .evidence) ?? []
        cost = try c.decodeIfPresent(ServiceCost.self, forKey: .cost)
        processingTime = try c.decodeIfPresent(String.self, forKey: .processingTime)
        legalBasis = try c.decodeIfPresent([String].self, forKey: .legalBasis) ?? []
        audience = try c.decodeIfPresent([Audience].self, forKey: .audience) ?? []
        lifeEvents = try c.decodeIfPresent([String].self, forKey: .lifeEvents) ?? []
        keywords = try c.decodeIfPresent(LocalizedText.self, forKey: .keywords) ?? LocalizedText()
        requirement = try c.decodeIfPresent(ServiceAccessRequirement.self, forKey: .requirement) ?? .default
        fields = try c.decodeIfPresent([FormField].self, forKey: .fields) ?? []
        reviewedLanguages = try c.decodeIfPresent([LanguageCode].self, forKey: .reviewedLanguages) ?? []
    }

    /// The translation status of this service's text in `language`. English, the source, is always reviewed.
    public func translationStatus(_ language: LanguageCode) -> TranslationStatus {
        if language == .base { return title[.base] == nil ? .missing : .reviewed }
        guard title[language] != nil, description[language] != nil else { return .missing }
        return reviewedLanguages.contains(language) ? .reviewed : .draft
    }

    /// Whether every text of the service exists in `language`, so a page in it needs no "not translated" notice.
    public func isFullyTranslated(into language: LanguageCode) -> Bool {
        if language == .base { return true }
        let texts = [title, description] + eligibility + evidence + fields.flatMap { field in
            [field.label] + (field.help.values.isEmpty ? [] : [field.help]) + field.values.map(\.name)
        }
        return texts.allSatisfy { $0[language] != nil || $0.values.isEmpty }
    }
}

/// A life event ("Having a baby") grouping services from several ministries, with its own text.
public struct LifeEvent: Codable, Sendable, Equatable {
    public var code: String
    public var title: LocalizedText
    public var description: LocalizedText
    /// Position on the home page, smallest first.
    public var position: Int

    public init(code: String, title: LocalizedText, description: LocalizedText, position: Int) {
        self.code = code
        self.title = title
        self.description = description
        self.position = position
    }
}
