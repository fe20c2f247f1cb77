import AnyDoorCore
import Foundation
import Hummingbird

/// JSON responses of the API: UTF-8, ISO 8601 dates with zone, stable key order.
enum APIResponse {
    static func json<Value: Encodable>(_ value: Value, status: HTTPResponse.Status = .ok, contentType: String = "application/json") throws -> Response {
        Response(status: status, headers: [.contentType: contentType], body: .init(byteBuffer: try encode(value)))
    }

    static func encode<Value: Encodable>(_ value: Value) throws -> ByteBuffer {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return ByteBuffer(bytes: try encoder.encode(value))
    }
}

/// Decodes a JSON request body, turning every decoding failure into a 400 problem that names the field.
enum JSONBody {
    static func decode<Value: Decodable>(_ type: Value.Type, from request: Request) async throws -> Value {
        var request = request
        let buffer = try await request.collectBody(upTo: .max)
        guard buffer.readableBytes > 0 else {
            throw Problem(.badRequest, slug: "malformed-json", title: "Malformed JSON", detail: "The request body is empty; send a JSON object.")
        }
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        do {
            return try decoder.decode(Value.self, from: Data(buffer: buffer))
        } catch let error as DecodingError {
            throw Problem(decodingError: error)
        }
    }
}

extension Problem {
    init(decodingError: DecodingError) {
        func path(_ codingPath: [any CodingKey]) -> String {
            codingPath.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }.joined(separator: ".")
        }
        switch decodingError {
        case .dataCorrupted(let context) where context.codingPath.isEmpty:
            self.init(.badRequest, slug: "malformed-json", title: "Malformed JSON", detail: "The request body is not valid JSON.")
        case .dataCorrupted(let context):
            self.init(.badRequest, slug: "invalid-field", title: "Invalid field", detail: "Field '\(path(context.codingPath))' is invalid: \(context.debugDescription).",
                      errors: [FieldError(field: path(context.codingPath), code: "invalidFormat", message: context.debugDescription)])
        case .typeMismatch(let expected, let context):
            let field = path(context.codingPath)
            self.init(.badRequest, slug: "invalid-field", title: "Invalid field", detail: "Field '\(field.isEmpty ? "(body)" : field)' must be \(Self.describe(expected)).",
                      errors: [FieldError(field: field, code: "wrongType", message: "Expected \(Self.describe(expected)).")])
        case .valueNotFound(let expected, let context):
            let field = path(context.codingPath)
            self.init(.badRequest, slug: "invalid-field", title: "Invalid field", detail: "Field '\(field)' must be \(Self.describe(expected)), not null.",
                      errors: [FieldError(field: field, code: "wrongType", message: "Must not be null.")])
        case .keyNotFound(let key, let context):
            let field = path(context.codingPath + [key])
            self.init(.badRequest, slug: "invalid-field", title: "Missing field", detail: "Field '\(field)' is required.",
                      errors: [FieldError(field: field, code: "required", message: "Required.")])
        @unknown default:
            self.init(.badRequest, slug: "malformed-json", title: "Malformed JSON", detail: "The request body could not be read.")
        }
    }

    static func describe(_ type: Any.Type) -> String {
        switch type {
        case is String.Type: "a string"
        case is Int.Type, is Double.Type: "a number"
        case is Bool.Type: "true or false"
        case is [String: String].Type: "an object of strings"
        default: type is any Collection.Type ? "an array" : "an object"
        }
    }
}
