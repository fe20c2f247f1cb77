import Foundation

/// The answers to a service's request form: one or more values per field code (Open311 `attribute[code]`,
/// `attribute[code][]` for multi-value lists). Values are kept as the person typed them, trimmed.
public struct RequestAnswers: Codable, Sendable, Equatable {
    public var values: [String: [String]]

    public init(_ values: [String: [String]] = [:]) {
        self.values = values.mapValues { $0.map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }.filter { !$0.isEmpty } }
            .filter { !$0.value.isEmpty }
    }

    public subscript(code: String) -> [String] { values[code] ?? [] }

    /// Longest accepted value of a `string` field, and of a `text` field (Open311's description limit).
    public static let stringLimit = 200
    public static let textLimit = 4000

    /// Checks the answers against the form's fields; every problem at once, each named `answers.<code>`
    /// with a code a page can translate: `required`, `unknownField`, `tooLong`, `notANumber`, `notADateTime`,
    /// `notAChoice`, `oneValue`.
    public func problems(for fields: [FormField]) -> [FieldError] {
        var collector = ValidationCollector()
        let known = Set(fields.map(\.code))
        for code in values.keys.sorted() where !known.contains(code) {
            collector.add("answers.\(code)", "unknownField", "This service's form has no field \(code).")
        }
        for field in fields {
            let name = "answers.\(field.code)"
            let given = self[field.code]
            if given.isEmpty {
                if field.required { collector.add(name, "required", "\(field.code) is required.") }
                continue
            }
            if field.datatype != .multivaluelist, given.count > 1 {
                collector.add(name, "oneValue", "\(field.code) takes one value.")
                continue
            }
            for value in given {
                switch field.datatype {
                case .string where value.count > Self.stringLimit:
                    collector.add(name, "tooLong", "\(field.code) is longer than \(Self.stringLimit) characters.")
                case .text where value.count > Self.textLimit:
                    collector.add(name, "tooLong", "\(field.code) is longer than \(Self.textLimit) characters.")
                case .number where Decimal(string: value, locale: Locale(identifier: "en_US_POSIX")) == nil || !Self.isNumber(value):
                    collector.add(name, "notANumber", "\(field.code) must be a number, such as 12 or 3.5.")
                case .datetime where Self.dateTime(value) == nil:
                    collector.add(name, "notADateTime", "\(field.code) must be a date and time, such as 2026-03-01T09:30:00-08:00.")
                case .singlevaluelist, .multivaluelist:
                    if !field.values.contains(where: { $0.key == value }) {
                        collector.add(name, "notAChoice", "\(field.code) must be one of: \(field.values.map(\.key).joined(separator: ", ")).")
                    }
                default:
                    break
                }
            }
        }
        return collector.errors
    }

    static func isNumber(_ text: String) -> Bool {
        text.range(of: #"^-?[0-9]+(\.[0-9]+)?$"#, options: .regularExpression) != nil
    }

    /// ISO 8601 with a zone (Open311's rule for date-times), or a plain date (what a date input sends).
    public static func dateTime(_ text: String) -> Date? {
        let withZone = ISO8601DateFormatter()
        if let date = withZone.date(from: text) { return date }
        let fractional = ISO8601DateFormatter()
        fractional.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        if let date = fractional.date(from: text) { return date }
        let day = ISO8601DateFormatter()
        day.formatOptions = [.withFullDate]
        return text.count == 10 ? day.date(from: text) : nil
    }
}
