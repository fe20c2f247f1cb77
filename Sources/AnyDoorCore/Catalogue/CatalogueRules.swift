import Foundation

/// What the catalogue knows when it checks a description: the registered ministries and life events.
public struct CatalogueContext: Sendable {
    public var ministries: Set<String>
    public var lifeEvents: Set<String>

    public init(ministries: Set<String>, lifeEvents: Set<String>) {
        self.ministries = ministries
        self.lifeEvents = lifeEvents
    }
}

/// The catalogue's description standard (CPSV-AP 3.2 mandatory properties, plus AnyDoor's own rules).
/// Every rule produces a field error naming the member, with the JSON path as the field name.
public enum CatalogueRules {
    public static let maxTitleLength = 120
    public static let maxDescriptionLength = 2000
    public static let maxShortText = 300
    public static let maxFields = 30

    /// Problems that stop a draft from even being saved: an identifier that cannot be one.
    public static func draftProblems(_ service: ServiceDescription) -> [FieldError] {
        var problems = ValidationCollector()
        if service.code.isEmpty {
            problems.add("code", "required", "Give the service an identifier.")
        } else if ServiceCode(service.code) == nil {
            problems.add("code", "invalidFormat", "The identifier must be 3 to 60 lower-case letters, digits and single hyphens, starting with a letter.")
        }
        return problems.errors
    }

    /// Every problem that stops `service` from being published, in document order. Empty means publishable.
    public static func publishProblems(_ service: ServiceDescription, context: CatalogueContext) -> [FieldError] {
        var problems = ValidationCollector()
        for error in draftProblems(service) { problems.add(error.field, error.code, error.message) }
        text(service.title, "title", max: maxTitleLength, required: true, into: &problems)
        text(service.description, "description", max: maxDescriptionLength, required: true, into: &problems)
        if service.ministry.isEmpty {
            problems.add("ministry", "required", "Name the competent authority: the ministry responsible for the service.")
        } else if !context.ministries.contains(service.ministry) {
            problems.add("ministry", "unknown", "'\(service.ministry)' is not a registered ministry.")
        }
        if service.programArea.trimmingCharacters(in: .whitespaces).isEmpty {
            problems.add("programArea", "required", "Name the program area the service belongs to.")
        } else if service.programArea.count > maxShortText {
            problems.add("programArea", "tooLong", "The program area can be at most \(maxShortText) characters.")
        }
        channels(service.channels, into: &problems)
        if service.audience.isEmpty { problems.add("audience", "required", "Choose who the service is for.") }
        if Set(service.audience).count != service.audience.count { problems.add("audience", "duplicate", "Each audience can be chosen once.") }
        for (index, item) in service.eligibility.enumerated() { text(item, "eligibility[\(index)]", max: maxShortText, required: true, into: &problems) }
        for (index, item) in service.evidence.enumerated() { text(item, "evidence[\(index)]", max: maxShortText, required: true, into: &problems) }
        if let cost = service.cost {
            if Decimal(string: cost.amount, locale: Locale(identifier: "en_US_POSIX")).map({ $0 >= 0 && $0 < 1_000_000 }) != true
                || cost.amount.range(of: #"^\d{1,6}(\.\d{1,2})?$"#, options: .regularExpression) == nil {
                problems.add("cost.amount", "invalidFormat", "Give the cost as an amount such as 75.00.")
            }
            if cost.currency.range(of: "^[A-Z]{3}$", options: .regularExpression) == nil {
                problems.add("cost.currency", "invalidFormat", "Give the currency as an ISO 4217 code such as CAD.")
            }
        }
        if let time = service.processingTime, ISODuration(time) == nil {
            problems.add("processingTime", "invalidFormat", "Give the processing time as an ISO 8601 duration such as P10D or P2W.")
        }
        if service.processingTime == nil {
            problems.add("processingTime", "required", "State the processing-time standard, such as P10D for ten days.")
        }
        for (index, law) in service.legalBasis.enumerated() where law.trimmingCharacters(in: .whitespaces).isEmpty || law.count > maxShortText {
            problems.add("legalBasis[\(index)]", "invalid", "Each legal basis must be a statute's name of at most \(maxShortText) characters.")
        }
        for event in service.lifeEvents where !context.lifeEvents.contains(event) {
            problems.add("lifeEvents", "unknown", "'\(event)' is not a life event in the catalogue.")
        }
        for (language, words) in service.keywords.values.sorted(by: { $0.key < $1.key }) where words.count > maxShortText {
            problems.add("keywords.\(language.rawValue)", "tooLong", "Keywords can be at most \(maxShortText) characters per language.")
        }
        fields(service.fields, into: &problems)
        return problems.errors
    }

    static func channels(_ channels: ServiceChannels, into problems: inout ValidationCollector) {
        if let phone = channels.phone {
            if phone.number.range(of: #"^\+?[0-9][0-9 ()-]{2,24}$"#, options: .regularExpression) == nil {
                problems.add("channels.phone.number", "invalidFormat", "Give a telephone number of digits, spaces and hyphens.")
            }
            if phone.hours.trimmingCharacters(in: .whitespaces).isEmpty {
                problems.add("channels.phone.hours", "required", "Say when the telephone line is answered, such as Mo-Fr 08:00-17:00.")
            }
        }
        if let mail = channels.mail, mail.trimmingCharacters(in: .whitespaces).isEmpty || mail.count > maxShortText {
            problems.add("channels.mail", "invalid", "Give the postal address, or leave mail out.")
        }
        if channels.phone == nil && !channels.inPerson {
            problems.add("channels", "required", "Every service must be reachable by phone or in person, not only online.")
        }
    }

    static func fields(_ fields: [FormField], into problems: inout ValidationCollector) {
        if fields.count > maxFields { problems.add("fields", "tooMany", "A form can have at most \(maxFields) fields.") }
        var codes = Set<String>()
        for (index, field) in fields.enumerated() {
            let path = "fields[\(index)]"
            if field.code.range(of: "^[a-z][a-z0-9_-]{0,59}$", options: .regularExpression) == nil {
                problems.add("\(path).code", "invalidFormat", "A field code is 1 to 60 lower-case letters, digits, hyphens or underscores, starting with a letter.")
            } else if !codes.insert(field.code).inserted {
                problems.add("\(path).code", "duplicate", "Another field already uses the code '\(field.code)'.")
            }
            text(field.label, "\(path).label", max: maxShortText, required: true, into: &problems)
            text(field.help, "\(path).help", max: maxShortText, required: false, into: &problems)
            if field.datatype.isList {
                if field.values.isEmpty { problems.add("\(path).values", "required", "A list field needs at least one choice.") }
                var keys = Set<String>()
                for (valueIndex, value) in field.values.enumerated() {
                    if value.key.isEmpty || value.key.count > 60 || value.key.contains(",") {
                        problems.add("\(path).values[\(valueIndex)].key", "invalidFormat", "A choice's key is 1 to 60 characters without commas.")
                    } else if !keys.insert(value.key).inserted {
                        problems.add("\(path).values[\(valueIndex)].key", "duplicate", "Another choice already uses the key '\(value.key)'.")
                    }
                    text(value.name, "\(path).values[\(valueIndex)].name", max: maxShortText, required: true, into: &problems)
                }
            } else if !field.values.isEmpty {
                problems.add("\(path).values", "notAllowed", "Only list fields have choices.")
            }
        }
    }

    /// A language-tagged text: English present when required, no empty or over-long entry in any language.
    public static func text(_ text: LocalizedText, _ path: String, max: Int, required: Bool, into problems: inout ValidationCollector) {
        if required || !text.values.isEmpty, (text[.base] ?? "").trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
            problems.add("\(path).en", "required", "Give the \(path) in English, the catalogue's source language.")
        }
        for (language, value) in text.values.sorted(by: { $0.key < $1.key }) {
            if value.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
                if language != .base { problems.add("\(path).\(language.rawValue)", "empty", "Leave the language out rather than giving an empty text.") }
            } else if value.count > max {
                problems.add("\(path).\(language.rawValue)", "tooLong", "At most \(max) characters.")
            }
        }
    }
}
