import AnyDoorCore
import Foundation
import Hummingbird
import MultipartKit
import NIOCore
import NIOFoundationCompat

/// A form's body, read once: `application/x-www-form-urlencoded`, or `multipart/form-data` (RFC 7578) when
/// the form sends files. Text fields are in `values`, files in `files` (a file input left empty sends none).
struct FormBody: Sendable {
    let values: [String: [String]]
    var files: [String: [UploadedFile]] = [:]

    static func read(_ request: Request) async throws -> FormBody {
        var request = request
        let buffer = try await request.collectBody(upTo: .max)
        return try FormBody(body: buffer, contentType: request.headers[.contentType])
    }

    /// Parses a body by its content type; a multipart body that cannot be read is a 400.
    init(body: ByteBuffer, contentType: String?) throws {
        guard let boundary = Self.multipartBoundary(contentType) else {
            self.init(parsing: String(buffer: body))
            return
        }
        let parts = MultipartCollector()
        let parser = MultipartParser(boundary: boundary)
        parser.onHeader = { name, value in parts.header(name, value) }
        parser.onBody = { chunk in parts.body(&chunk) }
        parser.onPartComplete = { parts.complete() }
        // A body without its closing delimiter was cut short: refuse it rather than take the parts that arrived.
        let closing = Array("--\(boundary)--".utf8)
        let bytes = body.readableBytesView
        var end = bytes.endIndex
        while end > bytes.startIndex, [UInt8(ascii: "\r"), UInt8(ascii: "\n"), UInt8(ascii: " "), UInt8(ascii: "\t")].contains(bytes[end - 1]) { end -= 1 }
        guard end - bytes.startIndex >= closing.count, bytes[(end - closing.count)..<end].elementsEqual(closing) else {
            throw Problem(.badRequest, slug: "unreadable-form", title: "Unreadable form", detail: "The form's multipart body is incomplete (no closing boundary).")
        }
        do { try parser.execute(body) } catch {
            throw Problem(.badRequest, slug: "unreadable-form", title: "Unreadable form", detail: "The form's multipart body could not be read.")
        }
        guard parts.parts.count <= Self.maxParts else {
            throw Problem(.badRequest, slug: "unreadable-form", title: "Unreadable form", detail: "The form has more than \(Self.maxParts) parts.")
        }
        var values: [String: [String]] = [:], files: [String: [UploadedFile]] = [:]
        for part in parts.parts {
            guard let disposition = part.headers["content-disposition"].flatMap(ContentDisposition.init), disposition.type == "form-data",
                  let name = disposition.name else { continue }
            var body = part.body
            if let filename = disposition.filename {
                // A file input left empty sends a part with no name and no bytes.
                if filename.isEmpty && body.readableBytes == 0 { continue }
                files[name, default: []].append(UploadedFile(name: filename, data: body.readData(length: body.readableBytes) ?? Data()))
            } else {
                values[name, default: []].append(body.readString(length: body.readableBytes) ?? "")
            }
        }
        self.init(values: values, files: files)
    }

    init(values: [String: [String]], files: [String: [UploadedFile]] = [:]) {
        self.values = values
        self.files = files
    }

    static let maxParts = 500

    /// The boundary of a `multipart/form-data` content type, nil for any other type.
    static func multipartBoundary(_ contentType: String?) -> String? {
        guard let contentType, let parsed = ContentDisposition(contentType), parsed.type == "multipart/form-data",
              let boundary = parsed.parameters["boundary"], !boundary.isEmpty, boundary.count <= 70 else { return nil }
        return boundary
    }

    init(parsing body: String) {
        var values: [String: [String]] = [:]
        for pair in body.utf8.split(separator: UInt8(ascii: "&")) {
            let parts = pair.split(separator: UInt8(ascii: "="), maxSplits: 1, omittingEmptySubsequences: false).map(Self.decode)
            guard let name = parts.first, !name.isEmpty else { continue }
            values[name, default: []].append(parts.count > 1 ? parts[1] : "")
        }
        self.values = values
    }

    /// One `application/x-www-form-urlencoded` component: `+` is a space, `%XX` a byte; the bytes are UTF-8.
    /// A malformed escape or invalid UTF-8 gives "" (as `removingPercentEncoding` did), on the bytes directly.
    static func decode(_ component: Substring.UTF8View.SubSequence) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(component.count)
        var index = component.startIndex
        func hex(_ byte: UInt8) -> UInt8? {
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
            default: nil
            }
        }
        while index < component.endIndex {
            let byte = component[index]
            if byte == UInt8(ascii: "+") {
                out.append(UInt8(ascii: " "))
            } else if byte == UInt8(ascii: "%") {
                let first = component.index(after: index)
                guard first < component.endIndex, component.index(after: first) < component.endIndex,
                      let high = hex(component[first]), let low = hex(component[component.index(after: first)]) else { return "" }
                out.append(high << 4 | low)
                index = component.index(after: first)
            } else {
                out.append(byte)
            }
            index = component.index(after: index)
        }
        return String(validating: out, as: UTF8.self) ?? ""
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

/// Gathers the parts `MultipartParser` reports, one at a time.
private final class MultipartCollector {
    struct Part {
        var headers: [String: String]
        var body: ByteBuffer
    }

    private(set) var parts: [Part] = []
    private var current = Part(headers: [:], body: ByteBuffer())

    func header(_ name: String, _ value: String) { current.headers[name.lowercased()] = value }
    func body(_ chunk: inout ByteBuffer) { current.body.writeBuffer(&chunk) }
    func complete() {
        parts.append(current)
        current = Part(headers: [:], body: ByteBuffer())
    }
}
