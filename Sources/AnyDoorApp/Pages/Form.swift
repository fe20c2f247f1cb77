import AnyDoorCore
import Foundation
import Hummingbird

/// An `application/x-www-form-urlencoded` body, read once.
struct FormBody: Sendable {
    let values: [String: [String]]

    static func read(_ request: Request) async throws -> FormBody {
        var request = request
        let buffer = try await request.collectBody(upTo: .max)
        return FormBody(parsing: String(buffer: buffer))
    }

    init(parsing body: String) {
        var values: [String: [String]] = [:]
        for pair in body.split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1).map { String($0).replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? "" }
            guard let name = parts.first, !name.isEmpty else { continue }
            values[name, default: []].append(parts.count > 1 ? parts[1] : "")
        }
        self.values = values
    }

    subscript(name: String) -> String { values[name]?.first ?? "" }
}

/// One input of a form as a template shows it: label above, hint, the error repeated at the field
/// (GOV.UK pattern), and the value typed so far (never for passwords).
struct FormField: Sendable {
    let name: String
    let id: String
    let label: String
    let hint: String?
    let type: String
    let autocomplete: String?
    let value: String
    let error: String?
    let inputmode: String?
    let describedBy: String?

    init(name: String, label: String, hint: String? = nil, type: String = "text", autocomplete: String? = nil, value: String = "", error: String? = nil, inputmode: String? = nil) {
        self.name = name
        self.id = "field-" + name.replacingOccurrences(of: ".", with: "-")
        self.label = label
        self.hint = hint
        self.type = type
        self.autocomplete = autocomplete
        self.value = type == "password" ? "" : value
        self.error = error
        self.inputmode = inputmode
        let described = [hint == nil ? nil : id + "-hint", error == nil ? nil : id + "-error"].compactMap { $0 }
        self.describedBy = described.isEmpty ? nil : described.joined(separator: " ")
    }
}

/// The error summary at the top of a form: each problem links to its field.
struct ErrorSummary: Sendable {
    struct Item: Sendable {
        let href: String
        let text: String
    }
    let items: [Item]
    /// Stored, not computed: templates read properties through reflection.
    let hasErrors: Bool

    init(items: [Item]) {
        self.items = items
        self.hasErrors = !items.isEmpty
    }

    static let none = ErrorSummary(items: [])
}

/// Translates field errors: `errors.<field>.<code>`, then `errors.<code>`, then the domain's English sentence.
struct FieldMessages {
    let translate: Translator
    let errors: [FieldError]

    func message(for field: String) -> String? {
        guard let error = errors.first(where: { $0.field == field }) else { return nil }
        return text(error)
    }

    func text(_ error: FieldError) -> String {
        for key in ["errors.\(error.field).\(error.code)", "errors.\(error.code)"] {
            let message = translate(key)
            if message != key { return message }
        }
        return error.message
    }

    var summary: ErrorSummary {
        ErrorSummary(items: errors.map { .init(href: "#field-" + $0.field.replacingOccurrences(of: ".", with: "-"), text: text($0)) })
    }
}
