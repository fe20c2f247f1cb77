import AnyDoorCore
import Foundation

/// The interface's messages in every language, loaded once from `Resources/Locales/<tag>.json`, a
/// plain JSON format translators edit directly:
/// `{"language": "fr", "messages": {"home.title": {"text": "...", "status": "draft"}}}`.
/// `status` is `source` (English), `draft` (not yet reviewed by a person) or `reviewed`, so reviewers
/// can find what still needs them. A message missing in a language falls back to English.
struct MessageCatalog: Sendable {
    let messages: [LanguageCode: [String: String]]
    /// Every dotted prefix of an English key (`home.` for `home.title`), so templates' nested look-ups
    /// (`{{t.home.title}}`) cost one set look-up each instead of a scan of every key.
    let prefixes: Set<String>

    init(messages: [LanguageCode: [String: String]]) {
        self.messages = messages
        var prefixes = Set<String>()
        for key in messages[.base]?.keys ?? [:].keys {
            var prefix = ""
            for part in key.split(separator: ".").dropLast() {
                prefix += part + "."
                prefixes.insert(prefix)
            }
        }
        self.prefixes = prefixes
    }

    /// Loads every language's file from `folder`. English must exist; others may be missing.
    static func load(from folder: URL) throws -> MessageCatalog {
        var messages: [LanguageCode: [String: String]] = [:]
        for language in LanguageCode.allCases {
            let file = folder.appendingPathComponent("\(language.rawValue).json")
            guard FileManager.default.fileExists(atPath: file.path) else { continue }
            let data = try Data(contentsOf: file)
            let catalog = try JSONDecoder().decode(CatalogFile.self, from: data)
            guard catalog.language == language.rawValue else { throw CatalogError.wrongLanguage(file: file.lastPathComponent, declared: catalog.language) }
            messages[language] = catalog.messages.mapValues(\.text)
        }
        guard messages[.base] != nil else { throw CatalogError.missingBaseLanguage }
        return MessageCatalog(messages: messages)
    }

    /// The message for `key` in `language`, else English, else the key itself (so a gap is visible, never a crash).
    func message(_ key: String, in language: LanguageCode) -> String {
        messages[language]?[key] ?? messages[.base]?[key] ?? key
    }

    /// Whether `prefix` starts any key, for nested lookups from templates (`{{t.nav.home}}`).
    func hasKeys(withPrefix prefix: String) -> Bool {
        prefixes.contains(prefix)
    }

    /// One language's file as translators edit it.
    struct CatalogFile: Codable {
        struct Entry: Codable {
            var text: String
            var status: Status
        }
        enum Status: String, Codable {
            case source, draft, reviewed
        }
        var language: String
        var messages: [String: Entry]
    }

    enum CatalogError: Error, CustomStringConvertible {
        case missingBaseLanguage
        case wrongLanguage(file: String, declared: String)
        var description: String {
            switch self {
            case .missingBaseLanguage: "Resources/Locales/en.json is missing"
            case let .wrongLanguage(file, declared): "\(file) declares language '\(declared)'"
            }
        }
    }
}
