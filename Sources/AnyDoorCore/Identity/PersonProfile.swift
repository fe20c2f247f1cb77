import Foundation

/// A postal address in Canada (the province is British Columbia unless said otherwise).
public struct PostalAddress: Codable, Sendable, Equatable {
    public var street: String
    public var city: String
    /// `A1A 1A1`.
    public var postalCode: String
    public var province: String

    public init(street: String, city: String, postalCode: String, province: String = "BC") {
        self.street = street
        self.city = city
        self.postalCode = postalCode
        self.province = province
    }
}

/// What a person tells AnyDoor once ("tell us once", issue 6 item 2): it fills in their forms, and a change of
/// address goes to the ministries they chose.
public struct PersonProfile: Codable, Sendable, Equatable {
    /// `YYYY-MM-DD`.
    public var dateOfBirth: String?
    public var address: PostalAddress?
    /// `+` and digits.
    public var phone: String?
    public var interpreterLanguage: LanguageCode?
    public var accessibility: String?

    public init(dateOfBirth: String? = nil, address: PostalAddress? = nil, phone: String? = nil, interpreterLanguage: LanguageCode? = nil, accessibility: String? = nil) {
        self.dateOfBirth = dateOfBirth
        self.address = address
        self.phone = phone
        self.interpreterLanguage = interpreterLanguage
        self.accessibility = accessibility
    }

    /// Builds a profile from what a person typed, or every problem by field (`dateOfBirth`, `street`, `city`,
    /// `postalCode`, `address`, `phone`, `accessibility`). `today` bounds the date of birth.
    public static func parse(dateOfBirth: String, street: String, city: String, postalCode: String, phone: String, interpreter: String,
                             accessibility: String, today: Date) throws(ValidationError) -> PersonProfile {
        var problems = ValidationCollector()
        func clean(_ text: String) -> String? {
            let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
            return trimmed.isEmpty ? nil : trimmed
        }
        var profile = PersonProfile()
        if let dob = clean(dateOfBirth) {
            let formatter = DateFormatter()
            formatter.locale = Locale(identifier: "en_US_POSIX")
            formatter.timeZone = TimeZone(identifier: "UTC")
            formatter.dateFormat = "yyyy-MM-dd"
            if let date = formatter.date(from: dob), formatter.string(from: date) == dob, date < today, date > formatter.date(from: "1900-01-01")! {
                profile.dateOfBirth = dob
            } else {
                problems.add("dateOfBirth", "invalidFormat", "Enter a real date of birth in the past, as YYYY-MM-DD.")
            }
        }
        let parts = [clean(street), clean(city), clean(postalCode)]
        if parts.contains(where: { $0 != nil }) {
            if parts.contains(where: { $0 == nil }) {
                problems.add("address", "incomplete", "Give the street, the city and the postal code, or none of them.")
            } else {
                if parts[0]!.count > 200 { problems.add("street", "tooLong", "At most 200 characters.") }
                if parts[1]!.count > 100 { problems.add("city", "tooLong", "At most 100 characters.") }
                if let code = normalisedPostalCode(parts[2]!) {
                    profile.address = PostalAddress(street: parts[0]!, city: parts[1]!, postalCode: code)
                } else {
                    problems.add("postalCode", "invalidFormat", "Enter a Canadian postal code, such as V8W 9E2.")
                }
            }
        }
        if let typed = clean(phone) {
            if let normal = NotificationPreferences.normalisedPhone(typed) { profile.phone = normal } else {
                problems.add("phone", "invalidFormat", "Enter a phone number with 10 to 15 digits.")
            }
        }
        profile.interpreterLanguage = LanguageCode(rawValue: interpreter)
        if let needs = clean(accessibility) {
            if needs.count > 1000 { problems.add("accessibility", "tooLong", "At most 1000 characters.") } else { profile.accessibility = needs }
        }
        try problems.check()
        return profile
    }

    /// `V8W 9E2` from `v8w9e2`; `nil` for anything that is not a Canadian postal code (no D, F, I, O, Q, U;
    /// no W or Z first).
    public static func normalisedPostalCode(_ text: String) -> String? {
        let compact = text.uppercased().filter { !$0.isWhitespace && $0 != "-" }
        guard compact.range(of: #"^[ABCEGHJ-NPRSTVXY][0-9][ABCEGHJ-NPRSTV-Z][0-9][ABCEGHJ-NPRSTV-Z][0-9]$"#, options: .regularExpression) != nil else { return nil }
        return String(compact.prefix(3)) + " " + String(compact.suffix(3))
    }
}
