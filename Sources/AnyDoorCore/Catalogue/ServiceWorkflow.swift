import Foundation

/// Where a service's working copy is in review. Published versions live apart and never change.
public enum DraftState: String, Codable, Sendable, CaseIterable {
    /// Being written by the service owner.
    case draft
    /// Waiting for a catalogue steward.
    case submitted
    /// Sent back by a steward with comments; the owner edits it again.
    case returned
}

/// A step in the catalogue's governance (REFERENCE.md section 3; issue 5 item 2).
public enum CatalogueTransition: String, Sendable, CaseIterable {
    /// Owner: draft or returned -> submitted.
    case submit
    /// Steward: submitted -> returned, with a comment.
    case sendBack = "send-back"
    /// Steward: submitted -> a new published version; the working copy is cleared.
    case publish
    /// Steward: a published service is withdrawn, with a notice and what replaces it.
    case retire

    /// Whether the step is allowed from the working copy's state (`nil` when there is no working copy).
    public func allowed(from state: DraftState?, isPublished: Bool, isRetired: Bool) -> Bool {
        switch self {
        case .submit: state == .draft || state == .returned
        case .sendBack, .publish: state == .submitted
        case .retire: isPublished && !isRetired
        }
    }

    /// What the person is told when the step is not allowed now.
    public var notAllowedMessage: String {
        switch self {
        case .submit: "Only a draft, or one sent back, can be submitted for review."
        case .sendBack: "Only a draft submitted for review can be sent back."
        case .publish: "Only a draft submitted for review can be published."
        case .retire: "Only a published service that is not already retired can be retired."
        }
    }
}

/// One difference between two versions of a service description.
public struct DocumentChange: Sendable, Equatable, Codable {
    /// Where in the document: `title.fr`, `channels.phone.hours`, `fields[reason].label.en`, `eligibility[0].en`.
    public var path: String
    /// `nil` when the value was added.
    public var before: String?
    /// `nil` when the value was removed.
    public var after: String?

    public init(path: String, before: String?, after: String?) {
        self.path = path
        self.before = before
        self.after = after
    }
}

/// Exactly what changed between two service descriptions: every leaf value that differs, by path.
public enum DocumentDiff {
    public static func changes(from old: ServiceDescription, to new: ServiceDescription) -> [DocumentChange] {
        let before = flatten(old), after = flatten(new)
        return Set(before.keys).union(after.keys).sorted().compactMap { path in
            before[path] == after[path] ? nil : DocumentChange(path: path, before: before[path], after: after[path])
        }
    }

    /// Leaf values of the document by path. Array members that carry a `code` or `key` are named by it,
    /// so reordering or inserting a form field shows as what it is rather than as every later field changing.
    public static func flatten(_ service: ServiceDescription) -> [String: String] {
        let encoder = JSONEncoder()
        guard let data = try? encoder.encode(service), let value = try? JSONDecoder().decode(JSONValue.self, from: data) else { return [:] }
        var leaves: [String: String] = [:]
        walk(value, path: "", into: &leaves)
        return leaves
    }

    static func walk(_ value: JSONValue, path: String, into leaves: inout [String: String]) {
        switch value {
        case .object(let object):
            for (key, member) in object { walk(member, path: path.isEmpty ? key : "\(path).\(key)", into: &leaves) }
        case .array(let array):
            for (index, member) in array.enumerated() {
                var name = String(index)
                if case .object(let object) = member, case .string(let code)? = object["code"] ?? object["key"] { name = code }
                walk(member, path: "\(path)[\(name)]", into: &leaves)
            }
        case .bool(let flag): leaves[path] = flag ? "true" : "false"
        case .number(let number): leaves[path] = number
        case .string(let text): leaves[path] = text
        case .null: break
        }
    }
}

/// Any JSON value, for walking documents generically.
public enum JSONValue: Decodable, Sendable, Equatable {
    case object([String: JSONValue]), array([JSONValue]), string(String), number(String), bool(Bool), null

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() { self = .null }
        else if let flag = try? container.decode(Bool.self) { self = .bool(flag) }
        else if let integer = try? container.decode(Int.self) { self = .number(String(integer)) }
        else if let number = try? container.decode(Double.self) { self = .number(String(number)) }
        else if let text = try? container.decode(String.self) { self = .string(text) }
        else if let array = try? container.decode([JSONValue].self) { self = .array(array) }
        else { self = .object(try container.decode([String: JSONValue].self)) }
    }
}
