import AnyDoorCore
import Foundation
import Mustache

/// Gives templates the catalog's messages in one language: `{{t.home.title}}` looks up `home.title`.
struct Translator: MustacheParent, Sendable {
    let catalog: MessageCatalog
    let language: LanguageCode
    let prefix: String

    init(catalog: MessageCatalog, language: LanguageCode, prefix: String = "") {
        self.catalog = catalog
        self.language = language
        self.prefix = prefix
    }

    func callAsFunction(_ key: String) -> String {
        catalog.message(key, in: language)
    }

    /// The message formatted with `arguments` (ICU MessageFormat: `{name}`, plural with CLDR
    /// categories and the locale's digits for `#`, select). A broken translation falls back to English.
    func format(_ key: String, _ arguments: [String: String]) -> String {
        let formats = LocaleFormats(language: language)
        let formatter = MessageFormat(language: language, formatNumber: { formats.number($0) })
        if let text = try? formatter.format(catalog.message(key, in: language), arguments) { return text }
        let english = MessageFormat(language: .base, formatNumber: { LocaleFormats(language: .base).number($0) })
        return (try? english.format(catalog.message(key, in: .base), arguments)) ?? key
    }

    func child(named name: String) -> Any? {
        let key = prefix + name
        if let message = catalog.messages[language]?[key] ?? catalog.messages[.base]?[key] {
            return message
        }
        return catalog.hasKeys(withPrefix: key + ".") ? Translator(catalog: catalog, language: language, prefix: key + ".") : nil
    }
}
