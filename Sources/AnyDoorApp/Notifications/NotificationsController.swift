import AnyDoorCore
import AnyDoorStore
import Foundation
import Hummingbird

/// `/account/notifications`: how the person hears about their requests (email, text messages, the number).
struct NotificationPreferencesPage: PageModel {
    static let template = "notification-preferences"
    let titleKey = "notifications.title"
    let csrfToken: String
    let email: Bool
    let sms: Bool
    let phone: FormField
    let errors: ErrorSummary
    let notice: String?
}

/// The person's notification choices, and delivery receipts from a GC Notify-compatible service.
struct NotificationsController: Sendable {
    let notifications: SQLNotifications
    let pages: PageRenderer
    let environment: AnyDoorCore.Environment
    /// `ANYDOOR_NOTIFY_CALLBACK_TOKEN`: the bearer token Notify sends with receipts; receipts are refused without it.
    let callbackToken: String?

    struct Receipt: Decodable, Sendable {
        let reference: String?
        let status: String
    }

    func addRoutes(to router: Router<AppRequestContext>) {
        router.get("/account/notifications") { _, context in
            let person = try context.ownPerson()
            return try await render(context, person: person, errors: [], phone: nil, notice: nil)
        }
        router.post("/account/notifications") { request, context in
            let person = try context.ownPerson()
            let form = try await FormBody.read(request)
            do {
                _ = try await notifications.setPreferences(of: person, email: form["email"] == "on", sms: form["sms"] == "on", phone: form["phone"], at: environment.now())
            } catch let error as ValidationError {
                return try await render(context, person: person, errors: error.errors, phone: form["phone"], notice: nil, status: .unprocessableContent,
                                        email: form["email"] == "on", sms: form["sms"] == "on")
            }
            return try await render(context, person: person, errors: [], phone: nil, notice: pages.translator(for: context)("notifications.saved"))
        }
        router.post("/api/v1/notifications/receipts") { request, _ in
            guard let callbackToken, let header = request.headers[.authorization], header.hasPrefix("Bearer "),
                  AdminTokenMiddleware.constantTimeEqual(Array(header.dropFirst(7).utf8), Array(callbackToken.utf8)) else {
                throw Problem(.unauthorized, slug: "unauthorized", title: "Not authenticated", detail: "Send the callback bearer token configured for delivery receipts.")
            }
            let receipt = try await JSONBody.decode(Receipt.self, from: request)
            guard let status = NotificationStatus(rawValue: receipt.status) else {
                throw Problem(.badRequest, slug: "invalid-field", title: "Invalid field", detail: "status must be one of \(NotificationStatus.allCases.map(\.rawValue).joined(separator: ", ")).",
                              errors: [FieldError(field: "status", code: "notAChoice", message: "Unknown status.")])
            }
            guard let reference = receipt.reference, try await notifications.receipt(reference: reference, status: status, at: environment.now()) else {
                throw Problem(.notFound, slug: "not-found", title: "Not found", detail: "No notification has this reference.")
            }
            return Response(status: .noContent)
        }
    }

    func render(_ context: AppRequestContext, person: PersonID, errors: [FieldError], phone: String?, notice: String?, status: HTTPResponse.Status = .ok,
                email: Bool? = nil, sms: Bool? = nil) async throws -> Response {
        let saved = try await notifications.preferences(of: person)
        let t = pages.translator(for: context)
        let messages = FieldMessages(translate: t, errors: errors)
        return pages.render(NotificationPreferencesPage(
            csrfToken: context.csrfToken, email: email ?? saved.email, sms: sms ?? saved.sms,
            phone: FormField(name: "phone", label: t("notifications.phone"), hint: t("notifications.phoneHint"), type: "tel", autocomplete: "tel",
                             value: phone ?? saved.phone ?? "", error: messages.message(for: "phone")),
            errors: messages.summary, notice: notice), context: context, path: "/account/notifications", status: status)
    }
}
