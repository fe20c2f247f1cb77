import AnyDoorCore
import Crypto
import Foundation
import SQLKit

/// A request's documents. The bytes live in `attachment_blobs`, sealed with the data keys, apart from the
/// request rows (so listing requests never reads a document); the rows keep the name (sealed), the kind read
/// from the bytes, the size and the SHA-256, which every read checks.
extension SQLRequests {
    /// Adds checked documents to a request: one timeline event, the audit entry and a
    /// `request.attachment-added` webhook event, in one transaction. Refused on a request that is decided,
    /// closed or withdrawn, and when the request would hold more than `AttachmentRules.maxFilesPerRequest`.
    @discardableResult
    public func attach(_ files: [CheckedAttachment], to id: RequestID, by actor: RequestActor, at time: Date) async throws -> [RequestAttachment] {
        guard !files.isEmpty else {
            throw RequestError.invalid([FieldError(field: "attachments", code: "required", message: "Choose at least one file.")])
        }
        return try await database.transaction { sql in
            var request = try await lockedRequest(id, on: sql)
            guard !request.status.isFinal, request.status != .draft || actor.party == .requester else {
                throw RequestError.refused(.notFrom(request.status, .respond))
            }
            let existing = try await attachmentCount(id, on: sql)
            if existing + files.count > AttachmentRules.maxFilesPerRequest {
                throw RequestError.invalid([FieldError(field: "attachments", code: "tooMany",
                                                       message: "A request can have at most \(AttachmentRules.maxFilesPerRequest) documents; it has \(existing).")])
            }
            request.updatedAt = time
            request.version += 1
            try await sql.update("service_requests").set("updated_at", to: time.timeIntervalSince1970).set("version", to: request.version)
                .where("id", .equal, id.description).run()
            return try await storeAttachments(files, to: request, seq: try await nextSeq(id, on: sql), by: actor, at: time, on: sql)
        }
    }

    /// Writes the documents, their timeline event (the names, as the note), the audit entry (kinds and
    /// sizes, never names) and, unless the request is a draft, the webhook event.
    @discardableResult
    func storeAttachments(_ files: [CheckedAttachment], to request: ServiceRequest, seq: Int, by actor: RequestActor, at time: Date,
                          on sql: any SQLDatabase) async throws -> [RequestAttachment] {
        var stored: [RequestAttachment] = []
        for file in files {
            let attachment = RequestAttachment(id: AttachmentID(rawValue: UUID()), requestID: request.id, seq: seq, name: file.name, kind: file.kind,
                                               size: file.size, sha256: Self.hex(SHA256.hash(data: file.data)), createdAt: time)
            try await sql.insert(into: "attachment_blobs").columns("id", "data_enc")
                .values(SQLBind(attachment.id.description), SQLBind(try keys.seal(data: file.data, context: Self.blobContext))).run()
            try await sql.insert(into: "request_attachments").columns("id", "request_id", "seq", "name_enc", "media_type", "size", "sha256", "created_at")
                .values(SQLBind(attachment.id.description), SQLBind(request.id.description), SQLBind(seq),
                        SQLBind(try keys.seal(attachment.name, context: "attachments.name")), SQLBind(attachment.kind.mediaType),
                        SQLBind(attachment.size), SQLBind(attachment.sha256), SQLBind(time.timeIntervalSince1970))
                .run()
            stored.append(attachment)
        }
        try await appendEvent(RequestEvent(seq: seq, at: time, kind: .attachment, channel: actor.channel, party: actor.party, actor: actor.name,
                                           actingFor: actor.actingFor, note: stored.map(\.name).joined(separator: ", ")), to: request.id, on: sql)
        if request.status != .draft {
            try await WebhookOutbox.enqueue(type: "request.attachment-added", request: request, seq: seq, note: nil, attachments: stored, keys: keys, at: time, on: sql)
        }
        try await audit.append(AuditEntry(at: time, actor: actor.name, actingFor: actor.actingFor, action: "request.attachment-added",
                                          target: "request:\(request.id)", channel: actor.channel,
                                          detail: stored.map { "attachment:\($0.id) \($0.kind.rawValue) \($0.size)" }.joined(separator: "; ")), on: sql)
        return stored
    }

    static let blobContext = "attachments.data"

    static func hex(_ digest: SHA256.Digest) -> String {
        Hex.string(digest)
    }

    func attachmentCount(_ id: RequestID, on sql: any SQLDatabase) async throws -> Int {
        let row = try await sql.raw("SELECT COUNT(*) AS n FROM request_attachments WHERE request_id = \(bind: id.description)").first()
        return try row?.decode(column: "n", as: Int.self) ?? 0
    }

    static let attachmentColumns = ["id", "request_id", "seq", "name_enc", "media_type", "size", "sha256", "created_at"]

    /// The request's documents, oldest first (without their bytes).
    public func attachments(of id: RequestID) async throws -> [RequestAttachment] {
        try await database.withSQL { sql in
            try await sql.select().columns(Self.attachmentColumns).from("request_attachments").where("request_id", .equal, id.description)
                .orderBy("seq").orderBy("created_at").all().map(decodeAttachment)
        }
    }

    /// One document of the request with its bytes, or nil when the request has no such document. Throws
    /// when the bytes do not match the SHA-256 recorded when they were stored.
    public func attachment(_ attachmentID: AttachmentID, of id: RequestID) async throws -> (RequestAttachment, Data)? {
        try await database.withSQL { sql in
            guard let row = try await sql.select().columns(Self.attachmentColumns).from("request_attachments")
                .where("id", .equal, attachmentID.description).where("request_id", .equal, id.description).first() else { return nil }
            let attachment = try decodeAttachment(row)
            guard let blob = try await sql.select().column("data_enc").from("attachment_blobs").where("id", .equal, attachmentID.description).first() else {
                throw AttachmentIntegrityError(attachment: attachmentID)
            }
            let data = try keys.open(data: try blob.decode(column: "data_enc", as: Data.self), context: Self.blobContext)
            guard Self.hex(SHA256.hash(data: data)) == attachment.sha256 else { throw AttachmentIntegrityError(attachment: attachmentID) }
            return (attachment, data)
        }
    }

    func decodeAttachment(_ row: any SQLRow) throws -> RequestAttachment {
        guard let id = AttachmentID(try row.decode(column: "id", as: String.self)),
              let request = RequestID(try row.decode(column: "request_id", as: String.self)) else { throw RequestError.notFound }
        let mediaType = try row.decode(column: "media_type", as: String.self)
        return RequestAttachment(
            id: id, requestID: request, seq: try row.decode(column: "seq", as: Int.self),
            name: try keys.open(try row.decode(column: "name_enc", as: String.self), context: "attachments.name"),
            kind: AttachmentKind.allCases.first { $0.mediaType == mediaType } ?? .pdf,
            size: try row.decode(column: "size", as: Int.self), sha256: try row.decode(column: "sha256", as: String.self),
            createdAt: Date(timeIntervalSince1970: try row.decode(column: "created_at", as: Double.self)))
    }
}

/// A stored document whose bytes are missing or no longer match their recorded SHA-256.
public struct AttachmentIntegrityError: Error, CustomStringConvertible {
    public let attachment: AttachmentID
    public var description: String { "attachment \(attachment) failed its integrity check" }
}
