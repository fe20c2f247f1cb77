import Foundation

public struct AttachmentID: TypedID {
    public let rawValue: UUID
    public init(rawValue: UUID) { self.rawValue = rawValue }
}

/// The kinds of document a person may attach: what phones, scanners and word processors produce, and
/// nothing a browser would run. The kind is read from the file's first bytes, never from its name or the
/// type the browser declared (OWASP ASVS 12.2.1).
public enum AttachmentKind: String, Sendable, CaseIterable, Codable {
    case pdf
    case jpeg
    case png

    public var mediaType: String {
        switch self {
        case .pdf: "application/pdf"
        case .jpeg: "image/jpeg"
        case .png: "image/png"
        }
    }

    /// File-name extensions that belong to the kind; the first is added when a name has none of them.
    public var extensions: [String] {
        switch self {
        case .pdf: ["pdf"]
        case .jpeg: ["jpg", "jpeg"]
        case .png: ["png"]
        }
    }

    /// The kind whose signature starts `bytes` (PDF `%PDF-`, JPEG `FF D8 FF`, PNG's eight-byte signature).
    public static func sniff<Bytes: Collection>(_ bytes: Bytes) -> AttachmentKind? where Bytes.Element == UInt8 {
        let head = Array(bytes.prefix(8))
        if head.starts(with: Array("%PDF-".utf8)) { return .pdf }
        if head.starts(with: [0xFF, 0xD8, 0xFF]) { return .jpeg }
        if head.starts(with: [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]) { return .png }
        return nil
    }
}

/// A file as it arrived, before any check.
public struct UploadedFile: Sendable, Equatable {
    /// The name the person's device gave it (untrusted).
    public var name: String
    public var data: Data

    public init(name: String, data: Data) {
        self.name = name
        self.data = data
    }
}

/// A file that passed `AttachmentRules.check`: its kind read from its bytes, its name made safe.
public struct CheckedAttachment: Sendable, Equatable {
    public let name: String
    public let kind: AttachmentKind
    public let data: Data

    public var size: Int { data.count }
}

/// An attachment of a request as stored (the bytes are kept apart, sealed).
public struct RequestAttachment: Sendable, Equatable {
    public var id: AttachmentID
    public var requestID: RequestID
    /// The request timeline's event that added it.
    public var seq: Int
    public var name: String
    public var kind: AttachmentKind
    public var size: Int
    /// SHA-256 of the bytes, hex; checked on every read.
    public var sha256: String
    public var createdAt: Date

    public init(id: AttachmentID, requestID: RequestID, seq: Int, name: String, kind: AttachmentKind, size: Int, sha256: String, createdAt: Date) {
        self.id = id
        self.requestID = requestID
        self.seq = seq
        self.name = name
        self.kind = kind
        self.size = size
        self.sha256 = sha256
        self.createdAt = createdAt
    }
}

/// What a request's attachments may be: PDF, JPEG or PNG by content, at most 10 MB each and 10 per
/// request, never empty, with names that cannot hide their type or reach outside a folder.
public enum AttachmentRules {
    public static let maxFileBytes = 10 * 1024 * 1024
    public static let maxFilesPerRequest = 10
    public static let maxNameLength = 120

    /// Checks `files` for a request that already holds `existing` attachments. Every problem is named at
    /// `field` (one per file, in order); nothing is accepted when there is one.
    public static func check(_ files: [UploadedFile], existing: Int = 0, field: String = "attachments") -> Result<[CheckedAttachment], ValidationError> {
        var problems = ValidationCollector()
        var accepted: [CheckedAttachment] = []
        if existing + files.count > maxFilesPerRequest {
            problems.add(field, "tooMany", "A request can have at most \(maxFilesPerRequest) documents; it has \(existing) and \(files.count) more were sent.")
        }
        for file in files {
            let shown = safeName(file.name, kind: nil)
            if file.data.isEmpty {
                problems.add(field, "emptyFile", "\(shown) is empty.")
            } else if file.data.count > maxFileBytes {
                problems.add(field, "fileTooLarge", "\(shown) is larger than \(maxFileBytes / 1024 / 1024) MB.")
            } else if let kind = AttachmentKind.sniff(file.data) {
                accepted.append(CheckedAttachment(name: safeName(file.name, kind: kind), kind: kind, data: file.data))
            } else {
                problems.add(field, "fileType", "\(shown) is not a PDF, JPEG or PNG file.")
            }
        }
        do { try problems.check() } catch { return .failure(error) }
        return .success(accepted)
    }

    /// A name safe to show and to offer as a download: the last path component only, without control or
    /// direction-changing characters (a right-to-left override can make `exe.pdf` read as `fdp.exe`),
    /// trimmed, at most `maxNameLength` characters, ending in an extension of its `kind`.
    public static func safeName(_ raw: String, kind: AttachmentKind?) -> String {
        let lastComponent = raw.split(whereSeparator: { $0 == "/" || $0 == "\\" }).last.map(String.init) ?? ""
        let cleaned = String(String.UnicodeScalarView(lastComponent.unicodeScalars.filter { scalar in
            !(scalar.properties.generalCategory == .control || scalar.properties.generalCategory == .format
                || scalar.properties.generalCategory == .lineSeparator || scalar.properties.generalCategory == .paragraphSeparator)
        })).trimmingCharacters(in: .whitespaces.union(CharacterSet(charactersIn: ".")))
        var name = cleaned.isEmpty ? "document" : cleaned
        if let kind {
            let ext = name.split(separator: ".").count > 1 ? name.split(separator: ".").last!.lowercased() : ""
            if !kind.extensions.contains(ext) { name += "." + kind.extensions[0] }
        }
        if name.count > maxNameLength {
            let ext = name.split(separator: ".").count > 1 ? "." + name.split(separator: ".").last! : ""
            name = String(name.prefix(maxNameLength - ext.count)) + ext
        }
        return name
    }
}

/// One parameter list of a `Content-Disposition` header (RFC 6266 and RFC 7578): the disposition type and
/// its parameters, quoted strings unescaped, `filename*` (RFC 8187, UTF-8) preferred over `filename`.
public struct ContentDisposition: Sendable, Equatable {
    public var type: String
    public var parameters: [String: String]

    public var name: String? { parameters["name"] }
    public var filename: String? { parameters["filename*"] ?? parameters["filename"] }

    public init?(_ header: String) {
        var scalars = Substring(header)
        func skipSpace() { while let c = scalars.first, c == " " || c == "\t" { scalars.removeFirst() } }
        func token() -> String {
            var out = ""
            while let c = scalars.first, c != ";", c != "=", c != " ", c != "\t" { out.append(c); scalars.removeFirst() }
            return out
        }
        skipSpace()
        let type = token().lowercased()
        guard !type.isEmpty else { return nil }
        self.type = type
        var parameters: [String: String] = [:]
        while true {
            skipSpace()
            guard scalars.first == ";" else { break }
            scalars.removeFirst()
            skipSpace()
            let key = token().lowercased()
            skipSpace()
            guard !key.isEmpty, scalars.first == "=" else { return nil }
            scalars.removeFirst()
            skipSpace()
            var value = ""
            if scalars.first == "\"" {
                scalars.removeFirst()
                var closed = false
                while let c = scalars.first {
                    scalars.removeFirst()
                    if c == "\\", let next = scalars.first { value.append(next); scalars.removeFirst(); continue }
                    if c == "\"" { closed = true; break }
                    value.append(c)
                }
                guard closed else { return nil }
            } else {
                value = token()
            }
            if key.hasSuffix("*") {
                // ext-value: charset'language'percent-encoded
                let parts = value.split(separator: "'", maxSplits: 2, omittingEmptySubsequences: false)
                guard parts.count == 3, parts[0].lowercased() == "utf-8", let decoded = String(parts[2]).removingPercentEncoding else { continue }
                value = decoded
            }
            parameters[key] = value
        }
        self.parameters = parameters
    }
}
