import AnyDoorCore
import AnyDoorStore
import Crypto
import Foundation
import Hummingbird

/// The JSON resource of one request, as ministry systems and administrators read it.
struct RequestResource: Codable, Sendable {
    struct Event: Codable, Sendable {
        let seq: Int
        let at: Date
        let kind: String
        let step: String?
        let from: String?
        let to: String?
        let channel: String
        let party: String
        let note: String?
    }

    let id: String
    let reference: String
    let serviceCode: String
    let ministryCode: String
    let status: String
    let statusNote: String?
    let language: String
    let openedChannel: String
    let answers: [String: [String]]
    let description: String?
    let createdAt: Date
    let updatedAt: Date
    let dueAt: Date?
    let overdue: Bool
    let version: Int
    let timeline: [Event]?
    let attachments: [Attachment]?

    /// A document of the request; `href` downloads it (for the same system).
    struct Attachment: Codable, Sendable {
        let id: String
        let name: String
        let mediaType: String
        let size: Int
        let sha256: String
        let createdAt: Date
        let href: String

        enum CodingKeys: String, CodingKey {
            case id, name, size, sha256, href
            case mediaType = "media_type"
            case createdAt = "created_at"
        }
    }

    enum CodingKeys: String, CodingKey {
        case id, reference, status, language, answers, description, overdue, version, timeline, attachments
        case serviceCode = "service_code"
        case ministryCode = "ministry_code"
        case statusNote = "status_note"
        case openedChannel = "opened_channel"
        case createdAt = "created_at"
        case updatedAt = "updated_at"
        case dueAt = "due_at"
    }

    init(_ request: ServiceRequest, timeline: [RequestEvent]?, attachments: [RequestAttachment]? = nil, now: Date) {
        id = request.id.description
        reference = request.reference.description
        serviceCode = request.serviceCode
        ministryCode = request.ministryCode
        status = request.status.rawValue
        statusNote = request.statusNote
        language = request.language.rawValue
        openedChannel = request.openedChannel.rawValue
        answers = request.answers.values
        description = request.description
        createdAt = request.createdAt
        updatedAt = request.updatedAt
        dueAt = request.dueAt
        overdue = request.isOverdue(at: now)
        version = request.version
        self.timeline = timeline?.map {
            Event(seq: $0.seq, at: $0.at, kind: $0.kind.rawValue, step: $0.transition?.rawValue, from: $0.from?.rawValue, to: $0.to?.rawValue,
                  channel: $0.channel.rawValue, party: $0.party.rawValue, note: $0.note)
        }
        self.attachments = attachments?.map {
            Attachment(id: $0.id.description, name: $0.name, mediaType: $0.kind.mediaType, size: $0.size, sha256: $0.sha256, createdAt: $0.createdAt,
                       href: "/api/v1/requests/\(request.id)/attachments/\($0.id)")
        }
    }
}

/// Ministry systems take part in requests through the API (REFERENCE.md section 4): they read the requests
/// of the services their key names, move them through the workflow, add messages and ask the person for more
/// information. Every write needs an `Idempotency-Key`; every call is kept in the message log. Administrators
/// register webhook receivers and replay dead-lettered events.
struct RequestsAPIController: Sendable {
    let requests: SQLRequests
    let outbox: WebhookOutbox
    let log: MessageLog
    let idempotency: IdempotencyKeys
    let clients: SQLAPIClients
    let environment: AnyDoorCore.Environment

    struct StepInput: Decodable, Sendable {
        let step: String
        let note: String?
    }

    struct MessageInput: Decodable, Sendable { let body: String }
    struct QuestionInput: Decodable, Sendable { let question: String }
    struct WebhookInput: Decodable, Sendable { let url: String }

    struct EndpointResource: Codable, Sendable {
        let id: String
        let url: String
        let enabled: Bool
        let disabledReason: String?
        let createdAt: Date
        /// Only when the endpoint is created: never shown again.
        let secret: String?

        enum CodingKeys: String, CodingKey {
            case id, url, enabled, secret
            case disabledReason = "disabled_reason"
            case createdAt = "created_at"
        }

        init(_ endpoint: WebhookEndpoint, showSecret: Bool) {
            id = endpoint.id
            url = endpoint.url
            enabled = endpoint.enabled
            disabledReason = endpoint.disabledReason
            createdAt = endpoint.createdAt
            secret = showSecret ? endpoint.secret : nil
        }
    }

    struct EventResource: Codable, Sendable {
        let id: String
        let type: String
        let requestID: String
        let sequence: Int
        let state: String
        let attempts: Int
        let lastStatus: Int?
        let lastError: String?
        let nextAttemptAt: Date

        enum CodingKeys: String, CodingKey {
            case id, type, sequence, state, attempts
            case requestID = "request_id"
            case lastStatus = "last_status"
            case lastError = "last_error"
            case nextAttemptAt = "next_attempt_at"
        }

        init(_ event: OutboxEvent) {
            id = event.id
            type = event.type
            requestID = event.requestID
            sequence = event.requestSeq
            state = event.state
            attempts = event.attempts
            lastStatus = event.lastStatus
            lastError = event.lastError
            nextAttemptAt = event.nextAttemptAt
        }
    }

    struct Items<Item: Codable & Sendable>: Codable, Sendable { let items: [Item] }

    func addRoutes(to router: Router<AppRequestContext>) {
        let group = router.group("/api/v1/requests")
        group.get { request, context in
            guard case .apiClient(_, let services) = context.actor else { try context.require(.readOwnClient); throw HTTPError(.forbidden) }
            var filter = SQLRequests.Filter()
            let asked = request.uri.queryParameters.get("service").map { [$0] } ?? []
            filter.services = asked.isEmpty ? services.sorted() : asked.filter { services.contains($0) }
            if filter.services.isEmpty { return try APIResponse.json(Items<RequestResource>(items: [])) }
            if let status = request.uri.queryParameters.get("status"), !status.isEmpty {
                guard let parsed = RequestStatus(rawValue: status) else {
                    throw Problem(.badRequest, slug: "invalid-field", title: "Invalid field", detail: "status must be one of \(RequestStatus.allCases.map(\.rawValue).joined(separator: ", ")).",
                                  errors: [FieldError(field: "status", code: "notAChoice", message: "Unknown status.")])
                }
                filter.statuses = [parsed]
            }
            filter.limit = min(max(Int(request.uri.queryParameters.get("limit") ?? "") ?? 100, 1), 1000)
            let now = environment.now()
            return try APIResponse.json(Items(items: try await requests.list(filter).map { RequestResource($0, timeline: nil, now: now) }))
        }
        group.get("{id}") { _, context in
            let found = try await authorised(context)
            return try APIResponse.json(RequestResource(found, timeline: try await requests.timeline(found.id), attachments: try await requests.attachments(of: found.id),
                                                        now: environment.now()))
        }
        group.get("{id}/attachments/{attachment}") { _, context in
            let found = try await authorised(context)
            guard let id = AttachmentID(try context.parameters.require("attachment")),
                  let (attachment, data) = try await requests.attachment(id, of: found.id) else {
                throw Problem(.notFound, slug: "not-found", title: "Not found", detail: "The request has no such attachment.")
            }
            return AttachmentDownload.response(attachment, data)
        }
        group.post("{id}/transitions") { request, context in
            try await write(request, context) { found, body, actor in
                let input = try Self.decode(StepInput.self, body)
                guard let step = RequestTransition(rawValue: input.step) else {
                    throw Problem(.badRequest, slug: "invalid-field", title: "Invalid field",
                                  detail: "step must be one of \(RequestWorkflow.available(from: found.status, to: .ministry).map(\.rawValue).joined(separator: ", ")) for a request that is \(found.status.rawValue).",
                                  errors: [FieldError(field: "step", code: "notAChoice", message: "Unknown step.")])
                }
                return try await requests.transition(found.id, step, by: actor, note: input.note, at: environment.now())
            }
        }
        group.post("{id}/messages") { request, context in
            try await write(request, context) { found, body, actor in
                let input = try Self.decode(MessageInput.self, body)
                return try await requests.addMessage(found.id, body: input.body, by: actor, at: environment.now())
            }
        }
        group.post("{id}/information-requests") { request, context in
            try await write(request, context) { found, body, actor in
                let input = try Self.decode(QuestionInput.self, body)
                return try await requests.transition(found.id, .requestInformation, by: actor, note: input.question, at: environment.now())
            }
        }

        let clientsGroup = router.group("/api/v1/clients/{id}/webhooks")
        clientsGroup.get { _, context in
            try context.require(.manageAPIKeys)
            let id = try clientID(context)
            return try APIResponse.json(Items(items: try await outbox.endpoints(client: id).map { EndpointResource($0, showSecret: false) }))
        }
        clientsGroup.post { request, context in
            try context.require(.manageAPIKeys)
            let id = try clientID(context)
            guard try await clients.find(id) != nil else { throw Problem(.notFound, slug: "not-found", title: "Not found", detail: "No such API client.") }
            let input = try await JSONBody.decode(WebhookInput.self, from: request)
            do {
                let endpoint = try await outbox.register(client: id, url: input.url, actor: context.actor.auditName, at: environment.now())
                return try APIResponse.json(EndpointResource(endpoint, showSecret: true), status: .created)
            } catch let error as RequestError {
                throw Problem(error)
            }
        }
        let events = router.group("/api/v1/webhooks")
        events.get("events") { request, context in
            try context.require(.manageAPIKeys)
            let state = request.uri.queryParameters.get("state").flatMap { $0.isEmpty ? nil : $0 }
            if let state, !["pending", "delivered", "dead"].contains(state) {
                throw Problem(.badRequest, slug: "invalid-field", title: "Invalid field", detail: "state must be pending, delivered or dead.",
                              errors: [FieldError(field: "state", code: "notAChoice", message: "Unknown state.")])
            }
            return try APIResponse.json(Items(items: try await outbox.events(state: state).map(EventResource.init)))
        }
        events.post("events/{event}/replay") { _, context in
            try context.require(.manageAPIKeys)
            let id = try context.parameters.require("event")
            do {
                try await outbox.replay(id, actor: context.actor.auditName, at: environment.now())
            } catch let error as RequestError {
                throw Problem(error)
            }
            return Response(status: .noContent)
        }
        events.post("endpoints/{endpoint}/enable") { _, context in
            try context.require(.manageAPIKeys)
            let id = try context.parameters.require("endpoint")
            guard try await outbox.endpoints().contains(where: { $0.id == id }) else {
                throw Problem(.notFound, slug: "not-found", title: "Not found", detail: "No such webhook endpoint.")
            }
            try await outbox.enable(id, actor: context.actor.auditName, at: environment.now())
            return Response(status: .noContent)
        }
    }

    func clientID(_ context: AppRequestContext) throws -> APIClientID {
        guard let id = APIClientID(try context.parameters.require("id")) else {
            throw Problem(.notFound, slug: "not-found", title: "Not found", detail: "No such API client.")
        }
        return id
    }

    /// The request named in the path, if the calling system's key names its service. Unknown and not-yours
    /// answer alike (404), so a key cannot probe for other ministries' requests.
    func authorised(_ context: AppRequestContext) async throws -> ServiceRequest {
        guard case .apiClient = context.actor else { try context.require(.readOwnClient); throw HTTPError(.forbidden) }
        guard let id = RequestID(try context.parameters.require("id")), let found = try await requests.find(id),
              AccessPolicy.decide(context.actor, .callService(found.serviceCode)) == .allow else {
            throw Problem(.notFound, slug: "not-found", title: "Not found", detail: "No such request for this system's services.")
        }
        return found
    }

    static func decode<Value: Decodable>(_ type: Value.Type, _ body: Data) throws -> Value {
        guard !body.isEmpty else { throw Problem(.badRequest, slug: "malformed-json", title: "Malformed JSON", detail: "The request body is empty; send a JSON object.") }
        do {
            return try JSONDecoder().decode(Value.self, from: body)
        } catch let error as DecodingError {
            throw Problem(decodingError: error)
        }
    }

    /// A ministry system's write: idempotent by `Idempotency-Key`, kept in the message log, answered with the
    /// request as it now is.
    func write(_ request: Request, _ context: AppRequestContext,
               _ body: @Sendable (ServiceRequest, Data, RequestActor) async throws -> ServiceRequest) async throws -> Response {
        let found = try await authorised(context)
        guard let client = context.actor.apiClientID else { throw HTTPError(.forbidden) }
        guard let key = request.headers[.init("Idempotency-Key")!], !key.isEmpty, key.count <= 255 else {
            throw Problem(.badRequest, slug: "idempotency-key-required", title: "Idempotency-Key required",
                          detail: "Send an Idempotency-Key header (up to 255 characters, unique per change) with every write.")
        }
        var request = request
        let data = Data(buffer: try await request.collectBody(upTo: 1 << 20))
        var fingerprint = Data("\(request.method.rawValue) \(request.uri.path)\n".utf8)
        fingerprint.append(data)
        let hash = MessageLog.digest(fingerprint)
        let clientName = client.description
        let (status, text): (Int, String)
        switch try await idempotency.start(client: clientName, key: key, requestHash: hash, at: environment.now()) {
        case .replay(let storedStatus, let storedBody):
            return Self.response(status: storedStatus, body: storedBody, replayed: true)
        case .differentPayload:
            throw Problem(.unprocessableContent, slug: "idempotency-key-reused", title: "Idempotency-Key reused",
                          detail: "This Idempotency-Key was used for a different request; use a new key for a new change.")
        case .inFlight:
            throw Problem(.conflict, slug: "idempotency-key-in-flight", title: "Request in progress",
                          detail: "A request with this Idempotency-Key is still being processed; retry shortly.")
        case .proceed:
            do {
                let actor = RequestActor(party: .ministry, channel: .api, name: context.actor.auditName)
                let changed = try await body(found, data, actor)
                let resource = RequestResource(changed, timeline: try await requests.timeline(changed.id), now: environment.now())
                (status, text) = (200, String(buffer: try APIResponse.encode(resource)))
            } catch let error as RequestError {
                let problem = Problem(error)
                (status, text) = (problem.status, String(buffer: try APIResponse.encode(problem)))
            } catch let problem as Problem where problem.status < 500 {
                (status, text) = (problem.status, String(buffer: try APIResponse.encode(problem)))
            } catch {
                try? await idempotency.abandon(client: clientName, key: key)
                throw error
            }
            try await idempotency.finish(client: clientName, key: key, status: status, body: text)
        }
        try await log.append(at: environment.now(), clientID: clientName, direction: "in", method: request.method.rawValue,
                             target: "/api/v1/requests/{id}/" + (request.uri.path.split(separator: "/").last.map(String.init) ?? ""),
                             messageID: key, request: data, status: status, response: Data(text.utf8))
        return Self.response(status: status, body: text, replayed: false)
    }

    static func response(status: Int, body: String, replayed: Bool) -> Response {
        var headers: HTTPFields = [.contentType: status < 300 ? "application/json" : Problem.mediaType]
        if replayed { headers[.init("Idempotent-Replayed")!] = "true" }
        return Response(status: .init(code: status), headers: headers, body: .init(byteBuffer: ByteBuffer(string: body)))
    }
}

extension Problem {
    /// The API's answer to a refused request operation.
    init(_ error: RequestError) {
        switch error {
        case .notFound:
            self.init(.notFound, slug: "not-found", title: "Not found", detail: "No such request.")
        case .invalid(let errors):
            self.init(.badRequest, slug: "invalid-field", title: "Invalid request", detail: errors.map(\.message).joined(separator: " "), errors: errors)
        case .refused(let refusal):
            self.init(.conflict, slug: "transition-not-allowed", title: "Step not allowed", detail: refusal.description)
        case .changedMeanwhile:
            self.init(.conflict, slug: "changed-meanwhile", title: "Changed meanwhile", detail: error.description)
        }
    }
}
