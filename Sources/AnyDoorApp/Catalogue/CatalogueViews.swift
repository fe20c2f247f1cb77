import AnyDoorCore
import AnyDoorStore
import Foundation
import Mustache

/// A text shown on a page, with its language when that differs from the page's (a fallback to English),
/// so screen readers switch voice and the reader sees why (`<span lang="en">`).
struct ShownText: Sendable, MustacheParent {
    let text: String
    let lang: String?

    init(_ text: LocalizedText, _ language: LanguageCode, fallback: String = "") {
        if let own = text[language] {
            self.text = own
            self.lang = nil
        } else {
            self.text = text[.base] ?? fallback
            self.lang = language == .base || text[.base] == nil ? nil : LanguageCode.base.rawValue
        }
    }

    init(plain: String) {
        text = plain
        lang = nil
    }

    /// A text written in `language` on a page in `page` (a language's own name, for instance).
    init(_ text: String, in language: LanguageCode, page: LanguageCode) {
        self.text = text
        lang = language == page ? nil : language.rawValue
    }

    var isFallback: Bool { lang != nil }

    func child(named name: String) -> Any? {
        switch name {
        case "text": text
        case "lang": lang
        default: nil
        }
    }
}

/// A service in a list: title, summary and link.
struct ServiceCard: Sendable, MustacheParent {
    let code: String
    let title: ShownText
    let summary: ShownText
    let ministry: ShownText

    init(_ document: ServiceDescription, language: LanguageCode, ministryNames: [String: ShownText]) {
        code = document.code
        title = ShownText(document.title, language, fallback: document.code)
        summary = ShownText(document.description, language)
        ministry = ministryNames[document.ministry] ?? ShownText(plain: document.ministry)
    }

    func child(named name: String) -> Any? {
        switch name {
        case "code": code
        case "title": title
        case "summary": summary
        case "ministry": ministry
        default: nil
        }
    }
}

/// A life event as a card or heading.
struct LifeEventCard: Sendable, MustacheParent {
    let code: String
    let title: ShownText
    let description: ShownText

    init(_ event: LifeEvent, language: LanguageCode) {
        code = event.code
        title = ShownText(event.title, language, fallback: event.code)
        description = ShownText(event.description, language)
    }

    func child(named name: String) -> Any? {
        switch name {
        case "code": code
        case "title": title
        case "description": description
        default: nil
        }
    }
}

/// An option of a filter's select list.
struct FilterOption: Sendable, MustacheParent {
    let value: String
    let label: String
    let selected: Bool

    func child(named name: String) -> Any? {
        switch name {
        case "value": value
        case "label": label
        case "selected": selected
        default: nil
        }
    }
}

/// schema.org GovernmentService markup for a service page (REFERENCE.md section 3).
enum ServiceJSONLD {
    static func encode(_ document: ServiceDescription, language: LanguageCode, ministryName: String, baseURL: String) -> String? {
        var object: [String: JSONLD] = [
            "@context": .string("https://schema.org"),
            "@type": .string("GovernmentService"),
            "identifier": .string(document.code),
            "name": .string(document.title.resolved(for: language) ?? document.code),
            "description": .string(document.description.resolved(for: language) ?? ""),
            "url": .string("\(baseURL)/services/\(document.code)"),
            "inLanguage": .string(document.title[language] != nil ? language.rawValue : LanguageCode.base.rawValue),
            "serviceType": .string(document.programArea),
            "provider": .object(["@type": .string("GovernmentOrganization"), "name": .string(ministryName), "identifier": .string(document.ministry)]),
            "areaServed": .object(["@type": .string("AdministrativeArea"), "name": .string("British Columbia")]),
            "audience": .array(document.audience.map { .object(["@type": .string("Audience"), "audienceType": .string($0.rawValue)]) }),
        ]
        if let time = document.processingTime { object["processingTime"] = .string(time) }
        let languages: [JSONLD] = LanguageCode.allCases.filter { document.title[$0] != nil }.map { .string($0.rawValue) }
        var channels: [JSONLD] = []
        if document.channels.online {
            channels.append(.object(["@type": .string("ServiceChannel"), "name": .string("online"), "serviceUrl": .string("\(baseURL)/services/\(document.code)"),
                                     "availableLanguage": .array(languages)]))
        }
        if let phone = document.channels.phone {
            channels.append(.object(["@type": .string("ServiceChannel"), "name": .string("phone"),
                                     "servicePhone": .object(["@type": .string("ContactPoint"), "telephone": .string(phone.number), "hoursAvailable": .string(phone.hours)]),
                                     "availableLanguage": .array(languages)]))
        }
        if document.channels.inPerson {
            channels.append(.object(["@type": .string("ServiceChannel"), "name": .string("in person"),
                                     "serviceLocation": .object(["@type": .string("GovernmentOffice"), "name": .string("Service BC offices")]),
                                     "availableLanguage": .array(languages)]))
        }
        if let mail = document.channels.mail {
            channels.append(.object(["@type": .string("ServiceChannel"), "name": .string("mail"),
                                     "servicePostalAddress": .object(["@type": .string("PostalAddress"), "streetAddress": .string(mail)])]))
        }
        object["availableChannel"] = .array(channels)
        if let cost = document.cost {
            object["offers"] = .object(["@type": .string("Offer"), "price": .string(cost.amount), "priceCurrency": .string(cost.currency)])
        } else {
            object["isAccessibleForFree"] = .bool(true)
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys // slashes stay escaped: "<\/script>" can never close the element
        return (try? encoder.encode(JSONLD.object(object))).map { String(decoding: $0, as: UTF8.self) }
    }

    indirect enum JSONLD: Encodable {
        case string(String), bool(Bool), array([JSONLD]), object([String: JSONLD])

        func encode(to encoder: any Encoder) throws {
            var container = encoder.singleValueContainer()
            switch self {
            case .string(let text): try container.encode(text)
            case .bool(let flag): try container.encode(flag)
            case .array(let items): try container.encode(items)
            case .object(let members): try container.encode(members)
            }
        }
    }
}
