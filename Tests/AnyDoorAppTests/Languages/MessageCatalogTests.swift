@testable import AnyDoorApp
import AnyDoorCore
import AnyDoorStore
import Foundation
import Testing

/// The interface catalogs: every language has every key, no key is unused, placeholders survive
/// translation, and what templates ask for exists.
@Suite struct MessageCatalogTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let resources = root.appendingPathComponent("Sources/AnyDoorApp/Resources")

    static func load(_ language: LanguageCode) throws -> MessageCatalog.CatalogFile {
        let url = resources.appendingPathComponent("Locales/\(language.rawValue).json")
        return try JSONDecoder().decode(MessageCatalog.CatalogFile.self, from: Data(contentsOf: url))
    }

    static func placeholders(_ text: String) -> [String] {
        MessageFormat.argumentNames(text).sorted()
    }

    /// Keys the code builds at run time from a known set of values.
    static var dynamicKeys: Set<String> {
        var keys = Set<String>()
        StaffRole.allCases.forEach { keys.insert("role.\($0.rawValue)") }
        AssuranceLevel.allCases.forEach { keys.insert("assurance.level\($0.rawValue)") }
        EvidenceType.allCases.forEach { keys.insert("evidence.\($0.rawValue)") }
        CheckMethod.allCases.forEach { keys.insert("method.\($0.rawValue)") }
        Relationship.allCases.forEach { keys.insert("relationship.\($0.rawValue)") }
        AccessPurpose.allCases.forEach { keys.insert("purpose.\($0.rawValue)") }
        RepresentationScope.allCases.forEach { keys.insert("scope.\($0.rawValue)") }
        PrivacyController.correctableFields.forEach { keys.insert("corrections.field.\($0)") }
        PrivacyController.correctionStatuses.forEach { keys.insert("corrections.status.\($0)") }
        Audience.allCases.forEach { keys.insert("audience.\($0.rawValue)") }
        ChannelKind.allCases.forEach { keys.insert("channel.\($0.rawValue)") }
        ["year", "month", "week", "day", "hour", "minute"].forEach { keys.insert("duration.\($0)") } // ISODuration.displayUnit
        DraftState.allCases.forEach { keys.insert("staffCatalogue.state.\($0.rawValue)") }
        keys.insert("staffCatalogue.state.published"); keys.insert("staffCatalogue.state.retired")
        ["saved", "submitted", "sent-back", "published", "retired"].forEach { keys.insert("staffCatalogue.done.\($0)") } // CatalogueStaffController redirects
        [AuthenticationLevel.singleFactor, .multiFactor].forEach { keys.insert("staffCatalogue.authentication.\($0.rawValue)") }
        RequestStatus.allCases.forEach { keys.insert("requestStatus.\($0.rawValue)"); keys.insert("request.next.\($0.rawValue)") }
        RequestTransition.allCases.forEach { keys.insert("step.\($0.rawValue)") }
        [RequestEvent.Kind.opened, .message, .contact, .assigned, .attachment].forEach { keys.insert("request.event.\($0.rawValue)") }
        Channel.allCases.forEach { keys.insert("channel.\($0.rawValue)") }
        ["sent", "message", "withdrawn", "attached"].forEach { keys.insert("request.done.\($0)") } // RequestPagesController redirects
        ["step", "contact", "opened", "attached"].forEach { keys.insert("staffRequest.done.\($0)") }
        AttachmentKind.allCases.forEach { keys.insert("attachments.kind.\($0.rawValue)") }
        ["replayed", "enabled"].forEach { keys.insert("webhooks.done.\($0)") }
        for template in ["submitted", "status-changed", "message-added", "information-requested"] { // SQLRequests' notifications
            ["subject", "body", "sms"].forEach { keys.insert("notify.\(template).\($0)") }
        }
        // The counter and the contact centre.
        for template in ["appointment-booked", "appointment-changed", "appointment-cancelled", "appointment-reminder", "come-in"] { // SQLAppointments, SQLQueue
            ["subject", "body", "sms"].forEach { keys.insert("notify.\(template).\($0)") }
        }
        BCHolidays.holidays(in: 2030).forEach { keys.insert("holiday.\($0.key)") }
        (1...7).forEach { keys.insert("weekday.\($0)") }
        PriorityReason.allCases.forEach { keys.insert("priority.\($0.rawValue)") }
        TicketStatus.allCases.forEach { keys.insert("ticketStatus.\($0.rawValue)") }
        [Appointment.Status.booked, .cancelled, .checkedIn, .attended, .noShow].forEach { keys.insert("appointmentStatus.\($0.rawValue)") }
        CallOutcome.allCases.forEach { keys.insert("callOutcome.\($0.rawValue)") }
        InterpreterStatus.allCases.forEach { keys.insert("interpreterStatus.\($0.rawValue)") }
        CallerVerification.Question.allCases.forEach { keys.insert("contact.question.\($0.rawValue)") }
        ContactCentreController.reasons.forEach { keys.insert("contact.reason.\($0)") }
        ["ticket", "appointment", "contact"].forEach { keys.insert("interpreters.source.\($0)") } // interpreter request sources
        for template in ["verifyEmail", "alreadyRegistered", "resetPassword", "passwordChanged"] {
            keys.insert("email.\(template).subject"); keys.insert("email.\(template).body")
        }
        return keys
    }

    /// Families whose keys are looked up from stored codes (audit actions, field errors).
    static let dynamicPrefixes = ["activity.", "errors."]

    static func sourceText() throws -> String {
        var text = ""
        let enumerator = FileManager.default.enumerator(at: root.appendingPathComponent("Sources/AnyDoorApp"), includingPropertiesForKeys: nil)
        while let url = enumerator?.nextObject() as? URL {
            if ["swift", "mustache"].contains(url.pathExtension) { text += try String(contentsOf: url, encoding: .utf8) }
        }
        return text
    }

    @Test(arguments: LanguageCode.allCases)
    func everyLanguageHasExactlyTheEnglishKeysWithTheSamePlaceholders(_ language: LanguageCode) throws {
        let english = try Self.load(.english)
        let catalog = try Self.load(language)
        #expect(catalog.language == language.rawValue)
        let missing = Set(english.messages.keys).subtracting(catalog.messages.keys)
        let extra = Set(catalog.messages.keys).subtracting(english.messages.keys)
        #expect(missing.isEmpty, "\(language.rawValue) lacks \(missing.sorted())")
        #expect(extra.isEmpty, "\(language.rawValue) has keys English does not: \(extra.sorted())")
        for (key, entry) in catalog.messages {
            guard let source = english.messages[key] else { continue }
            #expect(Self.placeholders(entry.text) == Self.placeholders(source.text), "\(language.rawValue) \(key) breaks a placeholder")
            // Every message must parse as ICU MessageFormat in its own language.
            let sample = Dictionary(uniqueKeysWithValues: Self.placeholders(source.text).map { ($0, "3") })
            #expect((try? MessageFormat(language: language).format(entry.text, sample)) != nil, "\(language.rawValue) \(key) is not a valid message")
            #expect(!entry.text.trimmingCharacters(in: .whitespaces).isEmpty, "\(language.rawValue) \(key) is empty")
            if language != .english {
                #expect(entry.status != .source, "\(language.rawValue) \(key) is marked as source")
                // A copy of the English is a missed translation, except a proper name or a pure number format
                // ("{value}%") that many languages write the same way.
                #expect(entry.text != source.text || ["site.name", "translations.percent", "request.byServiceBC", "channel.system"].contains(key), "\(language.rawValue) \(key) is a copy of the English")
            }
        }
    }

    @Test func everyKeyIsUsedAndEveryKeyUsedExists() throws {
        let english = try Self.load(.english)
        let sources = try Self.sourceText()
        // Keys asked for: {{t.key}} in templates, literals passed to the translator, page title keys.
        let explicit = Set(Browser.allMatches(#"\{\{[#^/]?t\.([A-Za-z0-9_.]+)\}\}"#, in: sources)
            + Browser.allMatches(#"(?<![A-Za-z])(?:t|translate|format)\("([a-z][A-Za-z0-9_.]+)""#, in: sources)
            + Browser.allMatches(#"titleKey: "([a-z][A-Za-z0-9_.]+)""#, in: sources))
        let unknown = explicit.filter { english.messages[$0] == nil && !Self.dynamicPrefixes.contains(where: $0.hasPrefix) }
        #expect(unknown.isEmpty, "used but not in en.json: \(unknown.sorted())")
        // Keys used anywhere: the above, and any string literal in the code that names a key.
        let used = explicit.union(Browser.allMatches(#""([a-z][A-Za-z0-9]*\.[A-Za-z0-9_.]+)""#, in: sources))
        let unused = Set(english.messages.keys).subtracting(used).subtracting(Self.dynamicKeys)
            .filter { key in !Self.dynamicPrefixes.contains(where: key.hasPrefix) }
        #expect(unused.isEmpty, "in en.json but used nowhere: \(unused.sorted())")
    }

    @Test func theCatalogFallsBackToEnglishAndShowsTheKeyWhenEvenThatIsMissing() {
        let catalog = MessageCatalog(messages: [.english: ["a.b": "English"], .french: [:]])
        #expect(catalog.message("a.b", in: .french) == "English")
        #expect(catalog.message("missing.key", in: .french) == "missing.key")
    }
}
