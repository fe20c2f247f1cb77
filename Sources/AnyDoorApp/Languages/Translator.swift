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

    /// The message with its `{name}` placeholders replaced by `arguments`.
    func format(_ key: String, _ arguments: [String: String]) -> String {
        arguments.reduce(catalog.message(key, in: language)) { text, argument in
            text.replacingOccurrences(of: "{\(argument.key)}", with: argument.value)
        }
    }

    func child(named name: String) -> Any? {
        let key = prefix + name
        if let message = catalog.messages[language]?[key] ?? catalog.messages[.base]?[key] {
            return message
        }
        return catalog.hasKeys(withPrefix: key + ".") ? Translator(catalog: catalog, language: language, prefix: key + ".") : nil
    }
}
