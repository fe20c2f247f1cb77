/// One problem with one field of some input, named so a form can show it beside the field and an API
/// client can point at it (RFC 9457 extension member `errors`).
public struct FieldError: Sendable, Equatable, Codable {
    /// The field's name as the client sent it: a JSON member path such as `names.en` or a form field name.
    public var field: String
    /// A stable machine-readable code: `required`, `tooLong`, `invalidFormat`, `duplicate`, ...
    public var code: String
    /// A sentence in English for developers; pages translate `code` instead.
    public var message: String

    public init(field: String, code: String, message: String) {
        self.field = field
        self.code = code
        self.message = message
    }
}

/// Input that breaks one or more rules. Thrown before anything is changed.
public struct ValidationError: Error, Sendable, Equatable {
    public var errors: [FieldError]

    public init(_ errors: [FieldError]) {
        self.errors = errors
    }

    public init(field: String, code: String, message: String) {
        self.errors = [FieldError(field: field, code: code, message: message)]
    }
}

/// Collects field errors while checking an input, then throws them all at once so a person can fix
/// every problem in one go.
public struct ValidationCollector: Sendable {
    public private(set) var errors: [FieldError] = []

    public init() {}

    public mutating func add(_ field: String, _ code: String, _ message: String) {
        errors.append(FieldError(field: field, code: code, message: message))
    }

    /// Throws ``ValidationError`` when anything was collected.
    public func check() throws(ValidationError) {
        if !errors.isEmpty { throw ValidationError(errors) }
    }
}
