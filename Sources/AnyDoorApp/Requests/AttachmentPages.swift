import AnyDoorCore
import AnyDoorStore
import Foundation
import Hummingbird

/// A request's documents as its pages list them.
struct AttachmentRow: Sendable {
    let name: String
    let href: String
    let kind: String
    let size: String
    let when: String
}

/// The form that adds documents to a request.
struct UploadForm: Sendable {
    let action: String
    let field: FileField
}

/// A file input (several files) with its hint and error, GOV.UK style.
struct FileField: Sendable {
    let name: String
    let id: String
    let label: String
    let hint: String
    let error: String?
    let describedBy: String
    let accept = (AttachmentKind.allCases.flatMap { $0.extensions.map { "." + $0 } } + AttachmentKind.allCases.map(\.mediaType)).joined(separator: ",")

    init(name: String, label: String, hint: String, error: String?) {
        self.name = name
        self.id = "field-" + name
        self.label = label
        self.hint = hint
        self.error = error
        self.describedBy = [id + "-hint", error == nil ? nil : id + "-error"].compactMap { $0 }.joined(separator: " ")
    }
}

/// Sending a stored document back: always as a download (`Content-Disposition: attachment`), typed by what
/// its bytes are, in a sandbox so a PDF's scripts can do nothing on AnyDoor's origin, never cached.
enum AttachmentDownload {
    static func response(_ attachment: RequestAttachment, _ data: Data) -> Response {
        var headers = HTTPFields()
        headers[.contentType] = attachment.kind.mediaType
        headers[.contentDisposition] = disposition(attachment.name)
        headers[.contentSecurityPolicy] = "sandbox; default-src 'none'"
        headers[.cacheControl] = "private, no-store"
        return Response(status: .ok, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(bytes: data)))
    }

    /// `attachment; filename="<ASCII fallback>"; filename*=UTF-8''<percent-encoded>` (RFC 6266, RFC 8187).
    static func disposition(_ name: String) -> String {
        let fallback = String(name.unicodeScalars.map { $0.isASCII && $0.value >= 0x20 && $0 != "\"" && $0 != "\\" ? Character($0) : "_" })
        var allowed = CharacterSet.alphanumerics.intersection(CharacterSet(charactersIn: Unicode.Scalar(0)..<Unicode.Scalar(128)))
        allowed.insert(charactersIn: "!#$&+-.^_`|~")
        let encoded = name.addingPercentEncoding(withAllowedCharacters: allowed) ?? fallback
        return "attachment; filename=\"\(fallback)\"; filename*=UTF-8''\(encoded)"
    }
}

extension RequestPagesController {
    func addAttachmentRoutes(to router: Router<AppRequestContext>) {
        router.post("/my/requests/{reference}/attachments") { request, context in
            let found = try await ownRequest(context)
            let form = try await FormBody.read(request)
            let actor = RequestActor(party: .requester, channel: .online, name: context.actor.auditName)
            if let errors = try await attach(form, to: found, by: actor) {
                return try await renderRequest(context, found, errors: errors, notice: nil, status: .unprocessableContent)
            }
            return Response.redirect(to: "/my/requests/\(found.reference)?done=attached#documents", type: .normal)
        }
        router.get("/my/requests/{reference}/attachments/{attachment}") { _, context in
            let found = try await ownRequest(context)
            return try await download(found, context)
        }
        router.post("/staff/requests/{reference}/attachments") { request, context in
            let found = try await staffRequest(context)
            guard let party = try await party(for: found, context) else { throw HTTPError(.notFound) }
            let form = try await FormBody.read(request)
            let actor = RequestActor(party: party, channel: party == .frontline ? Self.channel(form["channel"], context) : .online, name: context.actor.auditName,
                                     actingFor: party == .frontline ? found.personID.map { "person:\($0)" } : nil)
            if let errors = try await attach(form, to: found, by: actor) {
                return try await renderStaffRequest(context, found, errors: errors, notice: nil, status: .unprocessableContent)
            }
            return Response.redirect(to: "/staff/requests/\(found.reference)?done=attached", type: .normal)
        }
        router.get("/staff/requests/{reference}/attachments/{attachment}") { _, context in
            let found = try await staffRequest(context)
            return try await download(found, context, audited: true)
        }
    }

    /// Checks and stores the form's files; the field errors when there are any (nothing is stored then).
    func attach(_ form: FormBody, to request: ServiceRequest, by actor: RequestActor) async throws -> [FieldError]? {
        let files = form.files["attachments"] ?? []
        guard !files.isEmpty else { return [FieldError(field: "attachments", code: "required", message: "Choose at least one file.")] }
        // The store counts the request's documents in its own transaction (`tooMany`); no count is read here.
        switch AttachmentRules.check(files) {
        case .failure(let error):
            return error.errors
        case .success(let checked):
            do {
                try await requests.attach(checked, to: request.id, by: actor, at: environment.now())
            } catch RequestError.invalid(let errors) {
                return errors
            } catch RequestError.refused {
                return [FieldError(field: "attachments", code: "closed", message: "Documents cannot be added to a request that is decided, closed or withdrawn.")]
            }
            return nil
        }
    }

    /// One document of `request`; staff reading it is audited (a person's own documents are theirs).
    func download(_ request: ServiceRequest, _ context: AppRequestContext, audited: Bool = false) async throws -> Response {
        guard let id = AttachmentID(try context.parameters.require("attachment")), let (attachment, data) = try await requests.attachment(id, of: request.id) else {
            throw HTTPError(.notFound)
        }
        if audited {
            try await identity.audit.append(AuditEntry(at: environment.now(), actor: context.actor.auditName, actingFor: request.personID.map { "person:\($0)" },
                                                       action: "request.attachment-viewed", target: "request:\(request.id)", channel: .online,
                                                       detail: "attachment:\(attachment.id)"))
        }
        return AttachmentDownload.response(attachment, data)
    }

    func attachmentRows(_ request: ServiceRequest, base: String, t: Translator, formats: LocaleFormats) async throws -> [AttachmentRow] {
        try await requests.attachments(of: request.id).map {
            AttachmentRow(name: $0.name, href: "\(base)/attachments/\($0.id)", kind: t("attachments.kind.\($0.kind.rawValue)"), size: formats.fileSize($0.size),
                          when: formats.dateTime($0.createdAt))
        }
    }

    func fileField(_ t: Translator, _ messages: FieldMessages) -> FileField {
        FileField(name: "attachments", label: t("attachments.label"),
                  hint: t.format("attachments.hint", ["count": String(AttachmentRules.maxFilesPerRequest), "size": String(AttachmentRules.maxFileBytes / 1024 / 1024)]),
                  error: messages.message(for: "attachments"))
    }
}
