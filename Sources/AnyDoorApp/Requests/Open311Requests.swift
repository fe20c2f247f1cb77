import AnyDoorCore
import AnyDoorStore
import Foundation
import Hummingbird

/// Open311 GeoReport v2 requests (REFERENCE.md section 2): `POST requests`, `GET requests`,
/// `GET requests/{id}`, `GET tokens/{token}`, in XML and JSON, on the same requests as every other door.
///
/// `service_request_id` is the request's reference number (`4K7M-2QX9-T`). Only POST needs `api_key`, as the
/// specification says; but these are government service requests, not potholes, so a GET without the key of
/// the client that opened a request lists only requests opened through Open311 and leaves out every field that
/// could identify someone (`description`, `address`, `address_id`, `zipcode`, `lat`, `long`, `status_notes`).
/// With that client's `api_key`, GET returns every field it sent.
struct Open311Requests: Sendable {
    let requests: SQLRequests
    let catalogue: SQLCatalogue
    let clients: SQLAPIClients
    let ministries: MinistryService
    let environment: AnyDoorCore.Environment

    static let maximumDays = 90
    static let maximumItems = 1000

    func addRoutes(to router: Router<AppRequestContext>) {
        router.post("/open311/v2/{file}") { request, context in
            let (name, format) = Open311Format.split(try context.parameters.require("file"))
            guard let format else { return Open311Format.json.error(.notFound, "Use .json or .xml.") }
            guard name == "requests" else { return format.error(.notFound, "There is no Open311 resource '\(name)' to POST to.") }
            if let problem = Open311Controller.jurisdictionProblem(request) { return format.error(.notFound, problem) }
            return try await create(request, format: format, context: context)
        }
        router.get("/open311/v2/requests/{file}") { request, context in
            let (id, format) = Open311Format.split(try context.parameters.require("file"))
            guard let format else { return Open311Format.json.error(.notFound, "Use .json or .xml.") }
            if let problem = Open311Controller.jurisdictionProblem(request) { return format.error(.notFound, problem) }
            let caller = try await caller(request)
            guard let reference = ReferenceNumber(id), let found = try await requests.find(reference: reference), Self.visible(found) else {
                return format.error(.notFound, "There is no service request '\(id)'.")
            }
            return try await respond([found], caller: caller, format: format, language: context.language)
        }
        router.get("/open311/v2/tokens/{file}") { request, context in
            let (token, format) = Open311Format.split(try context.parameters.require("file"))
            guard let format else { return Open311Format.json.error(.notFound, "Use .json or .xml.") }
            if let problem = Open311Controller.jurisdictionProblem(request) { return format.error(.notFound, problem) }
            guard !token.isEmpty, let found = try await requests.find(token: token) else { return format.error(.notFound, "There is no token '\(token)'.") }
            return format.response(root: "service_requests", .array(item: "request", [
                .object([("service_request_id", .string(found.reference.description)), ("token", .string(token))]),
            ]))
        }
    }

    /// The client whose `api_key` (query or form) came with a GET, if any and valid.
    func caller(_ request: Request) async throws -> SQLAPIClients.Client? {
        guard let key = request.formParameter("api_key"), !key.isEmpty else { return nil }
        return try await AdminTokenMiddleware.client(forKey: key, clients: clients)
    }

    /// Open311 shows only requests opened through Open311 (a caller sees its own in full: `isOwn`).
    static func visible(_ request: ServiceRequest) -> Bool { request.clientID != nil }

    static func isOwn(_ request: ServiceRequest, _ caller: SQLAPIClients.Client?) -> Bool {
        request.clientID != nil && request.clientID == caller?.id
    }

    func create(_ request: Request, format: Open311Format, context: AppRequestContext) async throws -> Response {
        let form = try await FormBody.read(request)
        guard let key = form.values["api_key"]?.first, !key.isEmpty else { return format.error(.forbidden, "api_key is required.") }
        guard let client = try await AdminTokenMiddleware.client(forKey: key, clients: clients) else { return format.error(.forbidden, "api_key is not valid.") }
        let code = form["service_code"].trimmingCharacters(in: .whitespaces)
        guard !code.isEmpty else { return format.error(.badRequest, "service_code is required.") }
        guard let service = try await catalogue.published(code), !service.retired else {
            return format.error(.notFound, "There is no service with service_code '\(code)'.")
        }
        guard client.services.contains(code) else { return format.error(.forbidden, "This api_key may not open requests for '\(code)'.") }
        var problems: [String] = []
        func number(_ name: String) -> Double? {
            let text = form[name].trimmingCharacters(in: .whitespaces)
            guard !text.isEmpty else { return nil }
            guard let value = Double(text), value.isFinite else { problems.append("\(name) must be a decimal number."); return nil }
            return value
        }
        let lat = number("lat"), long = number("long")
        if (lat == nil) != (long == nil), problems.isEmpty { problems.append("lat and long go together: send both or neither.") }
        let location = RequestLocation(address: Self.text(form["address_string"]), addressID: Self.text(form["address_id"]), lat: lat, long: long)
        if location.isEmpty, problems.isEmpty { problems.append("A location is required: lat and long, address_string, or address_id.") }
        let answers = Self.attributes(form.values)
        let contact = RequestContact(firstName: Self.text(form["first_name"]), lastName: Self.text(form["last_name"]),
                                     email: Self.text(form["email"]), phone: Self.text(form["phone"]))
        let open = OpenRequest(service: service.document, personID: nil, clientID: client.id, language: context.language, channel: .api, party: .requester,
                               actor: "client:\(client.id)", answers: answers, description: Self.text(form["description"]), location: location,
                               contact: contact, token: UUID().uuidString.lowercased())
        problems += open.problems().map { error in
            error.field.hasPrefix("answers.") ? Self.describe(error, field: String(error.field.dropFirst("answers.".count))) : error.message
        }
        if !problems.isEmpty { return format.error(.badRequest, problems.joined(separator: " ")) }
        let created = try await requests.open(open, at: environment.now())
        return format.response(root: "service_requests", .array(item: "request", [
            .object([
                ("service_request_id", .string(created.reference.description)),
                ("token", .string(created.token ?? "")),
                ("service_notice", .string(Self.notice(service.document))),
                ("account_id", .null),
            ]),
        ]), status: .created)
    }

    static func text(_ value: String) -> String? {
        let trimmed = value.trimmingCharacters(in: .whitespacesAndNewlines)
        return trimmed.isEmpty ? nil : trimmed
    }

    /// `attribute[code]=v` and `attribute[code][]=v` into answers.
    static func attributes(_ values: [String: [String]]) -> RequestAnswers {
        var answers: [String: [String]] = [:]
        for (name, given) in values where name.hasPrefix("attribute[") {
            var code = String(name.dropFirst("attribute[".count))
            if code.hasSuffix("][]") { code.removeLast(3) } else if code.hasSuffix("]") { code.removeLast() } else { continue }
            answers[code, default: []] += given
        }
        return RequestAnswers(answers)
    }

    static func describe(_ error: FieldError, field code: String) -> String {
        switch error.code {
        case "required": "attribute[\(code)] is required."
        case "unknownField": "attribute[\(code)] is not an attribute of this service."
        default: "attribute[\(code)]: \(error.message)"
        }
    }

    /// What the requester should know: when to expect an answer, from the processing-time standard.
    static func notice(_ service: ServiceDescription) -> String {
        guard let time = service.processingTime.flatMap(ISODuration.init) else { return "" }
        let (unit, count) = time.displayUnit
        return "The ministry's standard is an answer within \(count) \(unit)\(count == 1 ? "" : "s")."
    }

    /// `GET requests.{fmt}`: `service_request_id` (comma list) overrides every other filter; otherwise
    /// `service_code`, `status`, and `start_date`/`end_date` spanning at most 90 days (default: the last 90),
    /// at most 1000 items. An empty parameter is the same as an absent one.
    func list(_ request: Request, format: Open311Format, context: AppRequestContext) async throws -> Response {
        let caller = try await caller(request)
        func parameter(_ name: String) -> String? {
            let value = request.formParameter(name)?.trimmingCharacters(in: .whitespaces)
            return value?.isEmpty == false ? value : nil
        }
        var filter = SQLRequests.Filter()
        filter.limit = Self.maximumItems
        var statusFilter: String?
        if let ids = parameter("service_request_id") {
            var wanted: [ReferenceNumber] = []
            for id in ids.split(separator: ",") {
                guard let reference = ReferenceNumber(String(id)) else { return format.error(.badRequest, "service_request_id '\(id)' is not a request id.") }
                wanted.append(reference)
            }
            var found: [ServiceRequest] = []
            for reference in wanted { if let request = try await requests.find(reference: reference), Self.visible(request) { found.append(request) } }
            return try await respond(found, caller: caller, format: format, language: context.language)
        }
        if let code = parameter("service_code") { filter.services = code.split(separator: ",").map(String.init) }
        if let status = parameter("status") {
            guard ["open", "closed"].contains(status) else { return format.error(.badRequest, "status must be open or closed.") }
            statusFilter = status
        }
        let now = environment.now()
        var start: Date?, end: Date?
        for (name, target) in [("start_date", 0), ("end_date", 1)] {
            guard let text = parameter(name) else { continue }
            guard let date = RequestAnswers.dateTime(text) else { return format.error(.badRequest, "\(name) must be a date and time in ISO 8601 with a zone.") }
            if target == 0 { start = date } else { end = date }
        }
        let span = TimeInterval(Self.maximumDays * 86400)
        switch (start, end) {
        case (let start?, let end?):
            guard end >= start else { return format.error(.badRequest, "end_date is before start_date.") }
            guard end.timeIntervalSince(start) <= span else { return format.error(.badRequest, "start_date and end_date may span at most \(Self.maximumDays) days.") }
        case (let start?, nil): end = start.addingTimeInterval(span)
        case (nil, let end?): start = end.addingTimeInterval(-span)
        case (nil, nil): start = now.addingTimeInterval(-span); end = now
        }
        filter.createdFrom = start
        filter.createdBefore = end?.addingTimeInterval(0.001)
        if let statusFilter { filter.statuses = RequestStatus.allCases.filter { $0.open311 == statusFilter } }
        let found = try await requests.list(filter).filter(Self.visible)
        return try await respond(found, caller: caller, format: format, language: context.language)
    }

    func respond(_ found: [ServiceRequest], caller: SQLAPIClients.Client?, format: Open311Format, language: LanguageCode) async throws -> Response {
        // Agency names once per answer, not once per request (a listing holds up to 1000).
        let agencies = Dictionary(uniqueKeysWithValues: try await ministries.list().map { ($0.code.rawValue, $0.names.resolved(for: language) ?? $0.code.rawValue) })
        var items: [Open311Value] = []
        for request in found { items.append(try await value(request, full: Self.isOwn(request, caller), agencies: agencies, language: language)) }
        return format.response(root: "service_requests", .array(item: "request", items))
    }

    /// One request in GeoReport v2 fields. Ids and codes are strings; dates ISO 8601 with a zone.
    func value(_ request: ServiceRequest, full: Bool, agencies: [String: String], language: LanguageCode) async throws -> Open311Value {
        let iso = ISO8601DateFormatter()
        let service = try await catalogue.published(request.serviceCode)
        func optional(_ text: String?) -> Open311Value { text.map(Open311Value.string) ?? .null }
        func number(_ value: Double?) -> Open311Value { value.map(Open311Value.double) ?? .null }
        let location = full ? request.location : nil
        return .object([
            ("service_request_id", .string(request.reference.description)),
            ("status", .string(request.status.open311)),
            ("status_notes", full ? optional(request.statusNote) : .null),
            ("service_name", .string(service?.document.title.resolved(for: language) ?? request.serviceCode)),
            ("service_code", .string(request.serviceCode)),
            ("description", full ? optional(request.description) : .null),
            ("agency_responsible", .string(agencies[request.ministryCode] ?? request.ministryCode)),
            ("service_notice", .string(service.map { Self.notice($0.document) } ?? "")),
            ("requested_datetime", .string(iso.string(from: request.createdAt))),
            ("updated_datetime", .string(iso.string(from: request.updatedAt))),
            ("expected_datetime", optional(request.dueAt.map(iso.string(from:)))),
            ("address", optional(location?.address)),
            ("address_id", optional(location?.addressID)),
            ("zipcode", optional(location?.zipcode)),
            ("lat", number(location?.lat)),
            ("long", number(location?.long)),
            ("media_url", .null),
        ])
    }
}
