/// A text in several languages (CPSV-AP's language-tagged strings). English is always present once
/// validated; other languages are optional and fall back to English when shown.
public struct LocalizedText: Sendable, Equatable, Codable {
    public private(set) var values: [LanguageCode: String]

    public init(_ values: [LanguageCode: String] = [:]) {
        self.values = values
    }

    public subscript(language: LanguageCode) -> String? {
        get { values[language] }
        set { values[language] = newValue }
    }

    /// The text in `language`, else in English; `nil` only when neither exists.
    public func resolved(for language: LanguageCode) -> String? {
        values[language] ?? values[.base]
    }

    public init(from decoder: any Decoder) throws {
        let raw = try decoder.singleValueContainer().decode([String: String].self)
        var values: [LanguageCode: String] = [:]
        for (tag, text) in raw {
            guard let language = LanguageCode(rawValue: tag) else {
                throw DecodingError.dataCorrupted(.init(
                    codingPath: decoder.codingPath,
                    debugDescription: "Unsupported language '\(tag)'; expected one of \(LanguageCode.allCases.map(\.rawValue).joined(separator: ", "))"
                ))
            }
            values[language] = text
        }
        self.values = values
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(Dictionary(uniqueKeysWithValues: values.map { ($0.key.rawValue, $0.value) }))
    }
}
