import AnyDoorCore
import AnyDoorStore
import Foundation

/// The account emails, written from the message catalog in the person's language. Links are paths;
/// the public base address is added by the transport (so nothing here depends on where AnyDoor runs).
struct Mail: Sendable {
    let catalog: MessageCatalog
    let baseURL: String

    private func message(_ template: String, to recipient: String, language: LanguageCode, arguments: [String: String] = [:], id: UUID, at time: Date) -> OutboxMessage {
        let translate = Translator(catalog: catalog, language: language)
        return OutboxMessage(id: id, channel: "email", recipient: recipient, template: template, language: language,
                             subject: translate.format("email.\(template).subject", arguments),
                             body: translate.format("email.\(template).body", arguments), createdAt: time)
    }

    func verifyEmail(to recipient: String, language: LanguageCode, link: String, id: UUID, at time: Date) -> OutboxMessage {
        message("verifyEmail", to: recipient, language: language, arguments: ["link": baseURL + link], id: id, at: time)
    }

    func alreadyRegistered(to recipient: String, language: LanguageCode, id: UUID, at time: Date) -> OutboxMessage {
        message("alreadyRegistered", to: recipient, language: language, arguments: ["link": baseURL + "/password-reset"], id: id, at: time)
    }

    func resetPassword(to recipient: String, language: LanguageCode, link: String, id: UUID, at time: Date) -> OutboxMessage {
        message("resetPassword", to: recipient, language: language, arguments: ["link": baseURL + link], id: id, at: time)
    }

    func passwordChanged(to recipient: String, language: LanguageCode, id: UUID, at time: Date) -> OutboxMessage {
        message("passwordChanged", to: recipient, language: language, id: id, at: time)
    }
}
