import AnyDoorCore
import AnyDoorStore
import Foundation
import Hummingbird

/// One Open311 response, built once and written as JSON or XML, so both formats carry exactly the same
/// data (REFERENCE.md section 2).
indirect enum Open311Value: Sendable, Equatable {
    /// Members in order; XML elements take the member names.
    case object([(String, Open311Value)])
    /// XML wraps each item in an element named `item`.
    case array(item: String, [Open311Value])
    case string(String)
    case bool(Bool)
    case int(Int)
    case double(Double)
    case null

    static func == (lhs: Open311Value, rhs: Open311Value) -> Bool { lhs.json == rhs.json }

    var json: String {
        switch self {
        case .object(let members): "{" + members.map { "\(Self.quote($0.0)):\($0.1.json)" }.joined(separator: ",") + "}"
        case .array(_, let items): "[" + items.map(\.json).joined(separator: ",") + "]"
        case .string(let text): Self.quote(text)
        case .bool(let flag): flag ? "true" : "false"
        case .int(let number): String(number)
        case .double(let number): String(number)
        case .null: "null"
        }
    }

    /// The value's content as XML (without its own element).
    var xmlContent: String {
        switch self {
        case .object(let members): members.map { Self.element($0.0, $0.1) }.joined()
        case .array(let item, let items): items.map { Self.element(item, $0) }.joined()
        case .string(let text): Self.escape(text)
        case .bool(let flag): flag ? "true" : "false"
        case .int(let number): String(number)
        case .double(let number): String(number)
        case .null: ""
        }
    }

    static func element(_ name: String, _ value: Open311Value) -> String {
        "<\(name)>\(value.xmlContent)</\(name)>"
    }

    static func document(root: String, _ value: Open311Value) -> String {
        #"<?xml version="1.0" encoding="utf-8"?>"# + "\n" + element(root, value)
    }

    static func quote(_ text: String) -> String {
        let data = try! JSONEncoder().encode(text)
        return String(decoding: data, as: UTF8.self)
    }

    static func escape(_ text: String) -> String {
        var escaped = ""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": escaped += "&amp;"
            case "<": escaped += "&lt;"
            case ">": escaped += "&gt;"
            case "\"": escaped += "&quot;"
            case "'": escaped += "&apos;"
            default:
                // XML 1.0 forbids most control characters; drop them rather than emit invalid XML.
                if scalar.value < 0x20, scalar != "\n", scalar != "\t", scalar != "\r" { continue }
                escaped.unicodeScalars.append(scalar)
            }
        }
        return escaped
    }
}

/// The two formats GeoReport v2 serves, chosen by the file extension.
enum Open311Format: String, Sendable {
    case json, xml

    /// Splits `services.json` into (`services`, .json); `nil` format for an unknown extension.
    static func split(_ file: String) -> (name: String, format: Open311Format?) {
        guard let dot = file.lastIndex(of: ".") else { return (file, nil) }
        return (String(file[..<dot]), Open311Format(rawValue: String(file[file.index(after: dot)...])))
    }

    var contentType: String { self == .json ? "application/json; charset=utf-8" : "text/xml; charset=utf-8" }

    func response(root: String, _ value: Open311Value, status: HTTPResponse.Status = .ok) -> Response {
        let body = self == .json ? value.json : Open311Value.document(root: root, value)
        return Response(status: status, headers: [.contentType: contentType], body: .init(byteBuffer: ByteBuffer(string: body)))
    }

    /// GeoReport v2 error body: `[{"code":404,"description":"..."}]`, XML `errors/error/code,description`.
    func error(_ status: HTTPResponse.Status, _ description: String) -> Response {
        response(root: "errors", .array(item: "error", [.object([("code", .int(status.code)), ("description", .string(description))])]), status: status)
    }
}

/// Open311 GeoReport v2 discovery, service list and service definitions, generated from the catalogue
/// (issue 5 item 7), and requests, tokens and POST (issue 6, `Open311Requests`).
struct Open311Controller: Sendable {
    let catalogue: SQLCatalogue
    let ministries: MinistryService
    let baseURL: String
    /// Requests, tokens and POST (issue 6); `nil` serves only discovery and services.
    var requests: Open311Requests? = nil

    static let jurisdiction = "gov.bc.ca"
    static let specification = "http://wiki.open311.org/GeoReport_v2"

    func addRoutes(to router: Router<AppRequestContext>) {
        router.get("/open311/v2/{file}") { request, context in
            let (name, format) = Open311Format.split(try context.parameters.require("file"))
            guard let format else { return Open311Format.json.error(.notFound, "Use .json or .xml.") }
            if let problem = Self.jurisdictionProblem(request) { return format.error(.notFound, problem) }
            switch name {
            case "discovery": return format.response(root: "discovery", try await discovery())
            case "services": return format.response(root: "services", try await services(language: context.language))
            case "requests" where requests != nil: return try await requests!.list(request, format: format, context: context)
            default: return format.error(.notFound, "There is no Open311 resource '\(name)'.")
            }
        }
        if let requests { requests.addRoutes(to: router) }
        router.get("/open311/v2/services/{file}") { request, context in
            let (code, format) = Open311Format.split(try context.parameters.require("file"))
            guard let format else { return Open311Format.json.error(.notFound, "Use .json or .xml.") }
            if let problem = Self.jurisdictionProblem(request) { return format.error(.notFound, problem) }
            guard let service = try await catalogue.published(code), !service.retired else {
                return format.error(.notFound, "There is no service with service_code '\(code)'.")
            }
            return format.response(root: "service_definition", Self.definition(service.document, language: context.language))
        }
    }

    /// `jurisdiction_id` is optional here (one jurisdiction); given, it must be ours. Empty means absent.
    static func jurisdictionProblem(_ request: Request) -> String? {
        guard let given = request.uri.queryParameters["jurisdiction_id"], !given.isEmpty, given != jurisdiction else { return nil }
        return "This endpoint serves jurisdiction_id '\(jurisdiction)' only."
    }

    func changeset() async throws -> String {
        return ISO8601DateFormatter().string(from: try await catalogue.lastPublishedAt() ?? Date(timeIntervalSince1970: 0))
    }

    func discovery() async throws -> Open311Value {
        let changeset = try await changeset()
        return .object([
            ("changeset", .string(changeset)),
            ("contact", .string("Service BC, 1 800 663-7867. Open311 questions: Service BC contact centre, Monday to Friday 7:30 to 17:00 Pacific.")),
            ("key_service", .string("API keys for ministry systems are issued by AnyDoor administrators (POST /api/v1/api-clients).")),
            ("endpoints", .array(item: "endpoint", [
                .object([
                    ("specification", .string(Self.specification)),
                    ("url", .string(baseURL + "/open311/v2")),
                    ("changeset", .string(changeset)),
                    ("type", .string("production")),
                    ("formats", .array(item: "format", [.string("text/xml"), .string("application/json")])),
                ]),
            ])),
        ])
    }

    func services(language: LanguageCode) async throws -> Open311Value {
        let names = Dictionary(uniqueKeysWithValues: try await ministries.list().map { ($0.code.rawValue, $0.names.resolved(for: language) ?? $0.code.rawValue) })
        return .array(item: "service", try await catalogue.listPublished().map { service in
            let document = service.document
            return .object([
                ("service_code", .string(document.code)),
                ("service_name", .string(document.title.resolved(for: language) ?? document.code)),
                ("description", .string(document.description.resolved(for: language) ?? "")),
                ("metadata", .bool(!document.fields.isEmpty)),
                ("type", .string("batch")),
                ("keywords", .string((document.keywords[language] ?? document.keywords[.base] ?? ""))),
                ("group", .string(names[document.ministry] ?? document.ministry)),
            ])
        })
    }

    static func definition(_ document: ServiceDescription, language: LanguageCode) -> Open311Value {
        .object([
            ("service_code", .string(document.code)),
            ("attributes", .array(item: "attribute", document.fields.enumerated().map { index, field in
                .object([
                    ("variable", .bool(true)),
                    ("code", .string(field.code)),
                    ("datatype", .string(field.datatype.rawValue)),
                    ("required", .bool(field.required)),
                    ("datatype_description", .string(field.help.resolved(for: language) ?? datatypeDescription(field.datatype))),
                    ("order", .int(index + 1)),
                    ("description", .string(field.label.resolved(for: language) ?? field.code)),
                    ("values", .array(item: "value", field.values.map { value in
                        .object([("key", .string(value.key)), ("name", .string(value.name.resolved(for: language) ?? value.key))])
                    })),
                ])
            })),
        ])
    }

    static func datatypeDescription(_ datatype: FieldDatatype) -> String {
        switch datatype {
        case .string: "A short text."
        case .text: "A longer text."
        case .number: "A number."
        case .datetime: "A date and time in ISO 8601 with a time zone."
        case .singlevaluelist: "One key from values."
        case .multivaluelist: "One or more keys from values."
        }
    }
}
