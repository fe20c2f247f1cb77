import AnyDoorCore
import AnyDoorStore
import AsyncHTTPClient
import Foundation
import Logging
import NIOCore
import ServiceLifecycle

/// A notification written out in its language, ready for a transport.
struct RenderedNotification: Sendable, Equatable {
    let id: String
    let kind: String
    let recipient: String
    let template: String
    let language: LanguageCode
    let subject: String
    let body: String
    /// Never personal data: the notification's own id.
    let reference: String
    /// An iCalendar file for an appointment's email (RFC 5545), attached by transports that can.
    var calendar: String? = nil
}

/// What a transport says after handing a notification over.
enum TransportOutcome: Sendable, Equatable {
    /// Accepted; `status` is where it stands now (a local outbox delivers at once; Notify says `sending`).
    case accepted(transportID: String, status: NotificationStatus)
    /// Try again later (rate limit, server error, no answer).
    case retry
    /// Refused for good (bad recipient, bad template): a permanent or technical failure.
    case failed(NotificationStatus)
}

/// How notifications leave AnyDoor (REFERENCE.md section 5).
protocol NotificationTransport: Sendable {
    func send(_ notification: RenderedNotification) async -> TransportOutcome
}

/// The default transport: the local outbox that `/dev/mailbox` shows (emails and text messages alike).
struct LocalOutboxTransport: NotificationTransport {
    let outbox: SQLOutbox
    let database: Database

    func send(_ notification: RenderedNotification) async -> TransportOutcome {
        do {
            let message = OutboxMessage(id: UUID(uuidString: notification.id) ?? UUID(), channel: notification.kind, recipient: notification.recipient,
                                        template: "notify.\(notification.template)", language: notification.language, subject: notification.subject,
                                        body: notification.body, status: NotificationStatus.delivered.rawValue, createdAt: Date())
            try await database.withSQL { sql in try await outbox.enqueue(message, on: sql) }
            return .accepted(transportID: notification.id, status: .delivered)
        } catch {
            return .retry
        }
    }
}

/// A GC Notify-compatible HTTP transport: `POST {base}/v2/notifications/{email|sms}` with
/// `Authorization: ApiKey-v1 <key>`, a generic template per channel whose `((subject))` and `((body))` AnyDoor
/// fills in the person's language, and our notification id as `reference`. Delivery receipts come back to
/// `POST /api/v1/notifications/receipts`.
struct NotifyTransport: NotificationTransport {
    let baseURL: String
    let apiKey: String
    let emailTemplate: String
    let smsTemplate: String
    let client: HTTPClient

    struct Body: Encodable {
        let email_address: String?
        let phone_number: String?
        let template_id: String
        let personalisation: Personalisation
        let reference: String
    }

    /// Notify's personalisation: the texts, and for an appointment the calendar file, sent the way Notify
    /// attaches files (`{"file": base64, "filename", "sending_method": "attach"}`).
    struct Personalisation: Encodable {
        struct File: Encodable { let file: String; let filename: String; let sending_method: String }
        let subject: String?
        let body: String
        let calendar: File?
    }

    struct Answer: Decodable { let id: String }

    func send(_ notification: RenderedNotification) async -> TransportOutcome {
        let email = notification.kind == "email"
        let body = Body(email_address: email ? notification.recipient : nil, phone_number: email ? nil : notification.recipient,
                        template_id: email ? emailTemplate : smsTemplate,
                        personalisation: Personalisation(subject: email ? notification.subject : nil, body: notification.body,
                                                         calendar: email ? notification.calendar.map { .init(file: Data($0.utf8).base64EncodedString(), filename: "appointment.ics", sending_method: "attach") } : nil),
                        reference: notification.reference)
        do {
            var request = HTTPClientRequest(url: baseURL + "/v2/notifications/" + (email ? "email" : "sms"))
            request.method = .POST
            request.headers.add(name: "Authorization", value: "ApiKey-v1 \(apiKey)")
            request.headers.add(name: "Content-Type", value: "application/json")
            request.body = .bytes(ByteBuffer(data: try JSONEncoder().encode(body)))
            let response = try await client.execute(request, timeout: .seconds(10))
            let data = Data(buffer: try await response.body.collect(upTo: 1 << 20))
            switch response.status.code {
            case 200..<300:
                guard let answer = try? JSONDecoder().decode(Answer.self, from: data) else { return .failed(.technicalFailure) }
                return .accepted(transportID: answer.id, status: .sending)
            case 429, 500...599: return .retry
            case 400: return .failed(.permanentFailure)
            default: return .failed(.technicalFailure)
            }
        } catch {
            return .retry
        }
    }
}

/// Sends the notification outbox: claims what is due, writes each from the message catalog in the request's
/// language, hands it to the transport, records the outcome. Retries after 1, 5, 30 minutes, then gives up
/// (`technical-failure`).
struct NotificationDispatcher: Service {
    let notifications: SQLNotifications
    let catalogue: SQLCatalogue
    let catalog: MessageCatalog
    let transport: any NotificationTransport
    let baseURL: String
    let logger: Logger
    var interval: Duration = .seconds(1)

    static let retryDelays: [TimeInterval] = [60, 300, 1800]

    func run() async throws {
        try? await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                let sent = (try? await pass()) ?? 0
                if sent == 0 { try await Task.sleep(for: interval) }
            }
        }
    }

    func render(_ notification: PendingNotification) async throws -> RenderedNotification {
        let t = Translator(catalog: catalog, language: notification.language)
        let data = notification.personalisation
        let code = data["service_code"] ?? ""
        let service = try await catalogue.published(code)?.document.title.resolved(for: notification.language) ?? code
        let reference = data["reference"] ?? ""
        var arguments = ["reference": reference, "service": service, "status": t("requestStatus.\(data["status"] ?? "")"),
                         "link": baseURL + (data["link"] ?? "/my/requests/" + reference)]
        for key in ["ticket", "position"] { if let value = data[key] { arguments[key] = value } }
        if let town = data["office"] { arguments["office"] = t.format("office.name", ["town": town]) }
        var calendar: String?
        if let start = data["starts_at"].flatMap(Double.init).map(Date.init(timeIntervalSince1970:)) {
            let zone = data["zone"].flatMap(TimeZone.init(identifier:)) ?? TimeZone(identifier: "America/Vancouver")!
            arguments["time"] = LocaleFormats(language: notification.language, timeZone: zone).dateTime(start)
            arguments["calendar"] = baseURL + (data["ics"] ?? "")
            if notification.kind == "email", let end = data["ends_at"].flatMap(Double.init).map(Date.init(timeIntervalSince1970:)), let id = data["appointment_id"] {
                calendar = ICalendarEvent(uid: "\(id)@anydoor", start: start, end: end, stamp: notification.createdAt,
                                          summary: t.format("appointment.calendarSummary", ["service": service]), location: arguments["office"] ?? "",
                                          description: t.format("appointment.calendarDescription", ["code": AppointmentsController.confirmation(AppointmentID(id) ?? AppointmentID(rawValue: UUID()))]),
                                          cancelled: notification.template == "appointment-cancelled", sequence: Int(data["sequence"] ?? "0") ?? 0).text
            }
        }
        let key = "notify.\(notification.template)"
        var rendered = RenderedNotification(id: notification.id, kind: notification.kind, recipient: notification.recipient, template: notification.template,
                                            language: notification.language, subject: t.format("\(key).subject", arguments),
                                            body: t.format(notification.kind == "sms" ? "\(key).sms" : "\(key).body", arguments), reference: notification.reference)
        rendered.calendar = calendar
        return rendered
    }

    @discardableResult
    func pass(now: @escaping @Sendable () -> Date = { Date() }) async throws -> Int {
        let due = try await notifications.claim(limit: 20, lease: 60, now: now())
        for notification in due {
            let outcome = await transport.send(try await render(notification))
            switch outcome {
            case .accepted(let id, let status):
                try await notifications.recordSend(notification.id, status: status, transportID: id, retryAt: nil, at: now())
            case .failed(let status):
                try await notifications.recordSend(notification.id, status: status, transportID: nil, retryAt: nil, at: now())
                logger.warning("notification refused by transport", metadata: ["notification": "\(notification.id)", "status": "\(status.rawValue)"])
            case .retry:
                if notification.attempts < Self.retryDelays.count {
                    try await notifications.recordSend(notification.id, status: nil, transportID: nil, retryAt: now().addingTimeInterval(Self.retryDelays[notification.attempts]), at: now())
                } else {
                    try await notifications.recordSend(notification.id, status: .technicalFailure, transportID: nil, retryAt: nil, at: now())
                }
            }
        }
        return due.count
    }
}
