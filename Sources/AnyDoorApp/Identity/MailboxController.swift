import AnyDoorCore
import AnyDoorStore
import Foundation
import Hummingbird

/// `/dev/mailbox`: the local outbox transport's messages, so a developer or a test can follow an
/// emailed link. Only served when enabled (the default on the embedded database); never in production.
struct MailboxController: Sendable {
    let outbox: SQLOutbox
    let pages: PageRenderer
    let enabled: Bool

    func addRoutes(to router: Router<AppRequestContext>) {
        router.get("/dev/mailbox") { _, context in
            guard enabled else { throw HTTPError(.notFound) }
            try context.require(.readDevelopmentMailbox)
            let formats = LocaleFormats(language: context.language)
            let messages = try await outbox.recent().map { message in
                MailboxPage.Message(to: message.recipient, subject: message.subject, body: message.body, sentAt: formats.dateTime(message.createdAt),
                                    lang: message.language.rawValue, dir: message.language.isRightToLeft ? "rtl" : "ltr",
                                    link: message.body.split(whereSeparator: \.isWhitespace).first { $0.hasPrefix("http://") || $0.hasPrefix("https://") }.map(String.init))
            }
            return pages.render(MailboxPage(messages: messages), context: context, path: "/dev/mailbox")
        }
    }
}
