import AnyDoorCore
import Foundation

/// The demo catalogue (Resources/DemoData/catalogue): English service descriptions in batches, life
/// events, and one translation file per language and batch in the translators' exchange format
/// (``CatalogueTranslation``). Every service is published through the same validation as a steward's publish.
public enum DemoCatalogue {
    /// The English source format the demo batches are written in.
    struct SourceService: Decodable {
        struct Channels: Decodable { var online: Bool; var phone: PhoneChannel?; var inPerson: Bool; var mail: String? }
        struct Field: Decodable {
            struct Value: Decodable { var key: String; var name: String }
            var code: String; var datatype: FieldDatatype; var required: Bool?; var label: String; var help: String?; var values: [Value]?
        }
        var code: String, ministry: String, programArea: String, title: String, description: String
        var keywords: [String], audience: [Audience], lifeEvents: [String], channels: Channels
        var eligibility: [String], evidence: [String], cost: ServiceCost?, processingTime: String?, legalBasis: [String]
        var requirement: ServiceAccessRequirement, fields: [Field]

        var description_: ServiceDescription {
            func english(_ text: String) -> LocalizedText { LocalizedText([.base: text]) }
            return ServiceDescription(
                code: code, title: english(title), description: english(description), ministry: ministry, programArea: programArea,
                channels: ServiceChannels(online: channels.online, phone: channels.phone, inPerson: channels.inPerson, mail: channels.mail),
                eligibility: eligibility.map(english), evidence: evidence.map(english), cost: cost, processingTime: processingTime,
                legalBasis: legalBasis, audience: audience, lifeEvents: lifeEvents, keywords: english(keywords.joined(separator: ", ")),
                requirement: requirement,
                fields: fields.map { field in
                    FormField(code: field.code, datatype: field.datatype, required: field.required ?? false, label: english(field.label),
                              help: field.help.map(english) ?? LocalizedText(),
                              values: (field.values ?? []).map { FieldValue(key: $0.key, name: english($0.name)) })
                })
        }
    }

    struct SourceLifeEvents: Decodable {
        struct Event: Decodable { var code: String; var position: Int; var title: String; var description: String }
        var lifeEvents: [Event]
    }

    static func files(_ folder: String) -> [URL] {
        guard let url = Bundle.module.url(forResource: "Resources/DemoData/catalogue" + (folder.isEmpty ? "" : "/\(folder)"), withExtension: nil),
              let names = try? FileManager.default.contentsOfDirectory(atPath: url.path) else { return [] }
        return names.filter { $0.hasSuffix(".json") }.sorted().map { url.appendingPathComponent($0) }
    }

    /// The demo life events and services, with every translation applied.
    public static func load() throws -> (lifeEvents: [LifeEvent], services: [ServiceDescription]) {
        let root = files("")
        let decoder = JSONDecoder()
        var services: [ServiceDescription] = []
        var lifeEvents: [LifeEvent] = []
        for url in root {
            let data = try Data(contentsOf: url)
            if url.lastPathComponent == "life-events.json" {
                lifeEvents = try decoder.decode(SourceLifeEvents.self, from: data).lifeEvents.map {
                    LifeEvent(code: $0.code, title: LocalizedText([.base: $0.title]), description: LocalizedText([.base: $0.description]), position: $0.position)
                }
            } else if url.lastPathComponent.hasPrefix("services-") {
                struct Batch: Decodable { var services: [SourceService] }
                do {
                    services += try decoder.decode(Batch.self, from: data).services.map(\.description_)
                } catch {
                    throw DemoDataError.invalid(url.lastPathComponent, String(describing: error))
                }
            }
        }
        guard !services.isEmpty else { throw DemoDataError.missingFile("catalogue/services-*.json") }
        for url in files("translations") {
            let translation: CatalogueTranslation
            do {
                translation = try decoder.decode(CatalogueTranslation.self, from: Data(contentsOf: url))
            } catch {
                throw DemoDataError.invalid(url.lastPathComponent, String(describing: error))
            }
            for index in services.indices {
                if let text = translation.services[services[index].code] { translation.apply(text, to: &services[index]) }
            }
            for index in lifeEvents.indices {
                if let text = translation.lifeEvents?[lifeEvents[index].code] {
                    lifeEvents[index].title[translation.language] = text.title
                    lifeEvents[index].description[translation.language] = text.description
                }
            }
        }
        return (lifeEvents, services)
    }
}

/// The translators' exchange format: one language, the texts of many services, keyed by service and field
/// code. `anydoor catalogue translations export` writes it with the English beside each text; import reads it.
public struct CatalogueTranslation: Codable, Sendable {
    public struct ServiceText: Codable, Sendable {
        public struct FieldText: Codable, Sendable {
            public var label: String?
            public var help: String?
            public var values: [String: String]?

            public init(label: String? = nil, help: String? = nil, values: [String: String]? = nil) {
                self.label = label
                self.help = help
                self.values = values
            }
        }
        public var title: String?
        public var description: String?
        public var keywords: String?
        public var eligibility: [String]?
        public var evidence: [String]?
        public var fields: [String: FieldText]?
        /// In an export: the English text to translate from. Ignored on import.
        public var english: SourceText?

        public init(title: String? = nil, description: String? = nil, keywords: String? = nil, eligibility: [String]? = nil,
                    evidence: [String]? = nil, fields: [String: FieldText]? = nil, english: SourceText? = nil) {
            self.title = title
            self.description = description
            self.keywords = keywords
            self.eligibility = eligibility
            self.evidence = evidence
            self.fields = fields
            self.english = english
        }
    }
    /// The English source beside a text to translate.
    public struct SourceText: Codable, Sendable {
        public var title: String?
        public var description: String?
        public var keywords: String?
        public var eligibility: [String]?
        public var evidence: [String]?
        public var fields: [String: ServiceText.FieldText]?
    }
    public struct EventText: Codable, Sendable {
        public var title: String
        public var description: String
    }

    public var language: LanguageCode
    /// `draft` for machine-drafted or unreviewed text, `reviewed` once a translator has checked it.
    public var status: TranslationStatus
    public var services: [String: ServiceText]
    public var lifeEvents: [String: EventText]?

    public init(language: LanguageCode, status: TranslationStatus, services: [String: ServiceText], lifeEvents: [String: EventText]? = nil) {
        self.language = language
        self.status = status
        self.services = services
        self.lifeEvents = lifeEvents
    }

    /// The texts of `service` in `language` (empty members where there is none), with the English beside them.
    public static func export(_ service: ServiceDescription, language: LanguageCode) -> ServiceText {
        func fields(_ language: LanguageCode) -> [String: ServiceText.FieldText] {
            Dictionary(uniqueKeysWithValues: service.fields.map { field in
                (field.code, ServiceText.FieldText(label: field.label[language] ?? "", help: field.help.values.isEmpty ? nil : field.help[language] ?? "",
                                                   values: field.values.isEmpty ? nil : Dictionary(uniqueKeysWithValues: field.values.map { ($0.key, $0.name[language] ?? "") })))
            })
        }
        var text = ServiceText(title: service.title[language] ?? "", description: service.description[language] ?? "", keywords: service.keywords[language] ?? "",
                               eligibility: service.eligibility.map { $0[language] ?? "" }, evidence: service.evidence.map { $0[language] ?? "" },
                               fields: service.fields.isEmpty ? nil : fields(language))
        text.english = SourceText(title: service.title[.base], description: service.description[.base], keywords: service.keywords[.base],
                                  eligibility: service.eligibility.map { $0[.base] ?? "" }, evidence: service.evidence.map { $0[.base] ?? "" },
                                  fields: service.fields.isEmpty ? nil : fields(.base))
        return text
    }

    /// Problems that stop `text` from applying to `service`: lists of another length, unknown field codes or keys.
    public func problems(_ text: ServiceText, for service: ServiceDescription) -> [String] {
        var problems: [String] = []
        if let items = text.eligibility, items.count != service.eligibility.count {
            problems.append("eligibility has \(items.count) items; the English has \(service.eligibility.count)")
        }
        if let items = text.evidence, items.count != service.evidence.count {
            problems.append("evidence has \(items.count) items; the English has \(service.evidence.count)")
        }
        for (code, field) in text.fields ?? [:] {
            guard let known = service.fields.first(where: { $0.code == code }) else { problems.append("no field '\(code)'"); continue }
            for key in (field.values ?? [:]).keys where !known.values.contains(where: { $0.key == key }) {
                problems.append("field '\(code)' has no choice '\(key)'")
            }
        }
        return problems
    }

    /// Writes one service's texts in this language into `service`. Lists (eligibility, evidence) are
    /// matched by position and must have the English list's length.
    public func apply(_ text: ServiceText, to service: inout ServiceDescription) {
        let language = self.language
        // An empty text means "not translated yet" (as an export leaves it): it never replaces anything.
        func given(_ text: String?) -> String? { text.flatMap { $0.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty ? nil : $0 } }
        if let title = given(text.title) { service.title[language] = title }
        if let description = given(text.description) { service.description[language] = description }
        if let keywords = given(text.keywords) { service.keywords[language] = keywords }
        for (index, item) in (text.eligibility ?? []).enumerated() where index < service.eligibility.count { if let item = given(item) { service.eligibility[index][language] = item } }
        for (index, item) in (text.evidence ?? []).enumerated() where index < service.evidence.count { if let item = given(item) { service.evidence[index][language] = item } }
        for (index, field) in service.fields.enumerated() {
            guard let fieldText = text.fields?[field.code] else { continue }
            if let label = given(fieldText.label) { service.fields[index].label[language] = label }
            if let help = given(fieldText.help), !field.help.values.isEmpty { service.fields[index].help[language] = help }
            for (valueIndex, value) in field.values.enumerated() {
                if let name = given(fieldText.values?[value.key]) { service.fields[index].values[valueIndex].name[language] = name }
            }
        }
        service.reviewedLanguages.removeAll { $0 == language }
        if status == .reviewed { service.reviewedLanguages.append(language) }
    }
}
