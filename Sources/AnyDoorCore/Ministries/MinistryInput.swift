import Foundation

/// What a client sends to create a ministry, or to change one (absent members stay as they are).
/// Every member is optional here so that a missing field becomes a field error, not a decoding failure.
public struct MinistryInput: Sendable, Equatable, Codable {
    public var code: String?
    public var names: [String: String]?
    public var contact: ContactDetails?

    public init(code: String? = nil, names: [String: String]? = nil, contact: ContactDetails? = nil) {
        self.code = code
        self.names = names
        self.contact = contact
    }
}

/// The rules a ministry must satisfy, shared by create and change.
public enum MinistryRules {
    public static let maxNameLength = 200
    public static let maxContactLength = 320

    /// Checks a complete ministry and returns it, or throws every field error at once.
    public static func validated(code: String?, names: [String: String]?, contact: ContactDetails?) throws(ValidationError) -> (MinistryCode, LocalizedText, ContactDetails) {
        var problems = ValidationCollector()
        let parsedCode = validateCode(code, into: &problems)
        let parsedNames = validateNames(names, into: &problems)
        let parsedContact = validateContact(contact ?? ContactDetails(), into: &problems)
        try problems.check()
        return (parsedCode!, parsedNames, parsedContact)
    }

    static func validateCode(_ code: String?, into problems: inout ValidationCollector) -> MinistryCode? {
        guard let code, !code.isEmpty else {
            problems.add("code", "required", "Enter the ministry's short code.")
            return nil
        }
        guard let parsed = MinistryCode(code) else {
            problems.add("code", "invalidFormat", "The code must be 2 to 12 upper-case letters or digits, starting with a letter.")
            return nil
        }
        return parsed
    }

    static func validateNames(_ names: [String: String]?, into problems: inout ValidationCollector) -> LocalizedText {
        var text = LocalizedText()
        guard let names, names[LanguageCode.base.rawValue].map(trimmed).map({ !$0.isEmpty }) == true else {
            problems.add("names.en", "required", "Enter the ministry's name in English.")
            return text
        }
        for (tag, name) in names.sorted(by: { $0.key < $1.key }) {
            guard let language = LanguageCode(rawValue: tag) else {
                problems.add("names.\(tag)", "unsupportedLanguage", "'\(tag)' is not a language AnyDoor serves.")
                continue
            }
            let value = trimmed(name)
            if value.isEmpty {
                problems.add("names.\(tag)", "required", "A name cannot be empty; leave the language out instead.")
            } else if value.count > maxNameLength {
                problems.add("names.\(tag)", "tooLong", "A name can be at most \(maxNameLength) characters.")
            } else {
                text[language] = value
            }
        }
        return text
    }

    static func validateContact(_ contact: ContactDetails, into problems: inout ValidationCollector) -> ContactDetails {
        var result = ContactDetails()
        func clean(_ value: String?, field: String) -> String? {
            guard let value = value.map(trimmed), !value.isEmpty else { return nil }
            if value.count > maxContactLength {
                problems.add("contact.\(field)", "tooLong", "At most \(maxContactLength) characters.")
                return nil
            }
            return value
        }
        result.email = clean(contact.email, field: "email")
        if let email = result.email, !isPlausibleEmail(email) {
            problems.add("contact.email", "invalidFormat", "Enter an email address like name@gov.bc.ca.")
        }
        result.phone = clean(contact.phone, field: "phone")
        if let phone = result.phone {
            let digits = phone.filter(\.isNumber)
            let allowed = phone.allSatisfy { $0.isNumber || " +-().".contains($0) }
            if !allowed || !(7...15).contains(digits.count) {
                problems.add("contact.phone", "invalidFormat", "Enter a phone number of 7 to 15 digits, like 1 800 663-7867.")
            }
        }
        result.website = clean(contact.website, field: "website")
        if let website = result.website {
            let url = URL(string: website)
            if url?.scheme != "https" || url?.host?.isEmpty != false {
                problems.add("contact.website", "invalidFormat", "Enter a web address starting with https://.")
            }
        }
        result.address = clean(contact.address, field: "address")
        return result
    }

    public static func isPlausibleEmail(_ text: String) -> Bool {
        let parts = text.split(separator: "@", omittingEmptySubsequences: false)
        return parts.count == 2 && !parts[0].isEmpty && parts[1].contains(".")
            && !parts[1].hasPrefix(".") && !parts[1].hasSuffix(".") && !text.contains(where: \.isWhitespace)
    }

    static func trimmed(_ text: String) -> String {
        text.trimmingCharacters(in: .whitespacesAndNewlines)
    }
}
