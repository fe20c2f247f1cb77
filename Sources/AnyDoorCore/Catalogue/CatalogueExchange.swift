import Foundation

/// One problem in an import file, located by line so a person can find and fix it.
public struct ExchangeProblem: Sendable, Equatable, CustomStringConvertible {
    public var line: Int
    public var service: String?
    public var field: String
    public var message: String

    public init(line: Int, service: String?, field: String, message: String) {
        self.line = line
        self.service = service
        self.field = field
        self.message = message
    }

    public var description: String { "line \(line)\(service.map { " (\($0))" } ?? ""): \(field): \(message)" }
}

/// A file that cannot be imported; nothing was changed.
public struct ExchangeError: Error, Sendable, Equatable, CustomStringConvertible {
    public var problems: [ExchangeProblem]
    public init(_ problems: [ExchangeProblem]) { self.problems = problems }
    public var description: String { problems.map(\.description).joined(separator: "\n") }
}

/// A service read from an import file, with the line its record starts on.
public struct ImportedService: Sendable {
    public var line: Int
    public var service: ServiceDescription
}

/// The catalogue as JSON-LD: schema.org GovernmentService nodes (REFERENCE.md section 3), with the CPSV-AP
/// properties schema.org has no term for under AnyDoor's own namespace. Each node is written on one line,
/// so import errors can name the line.
public enum CatalogueJSONLD {
    public static let namespace = "https://anydoor.gov.bc.ca/ns/catalogue#"

    static var context: [String: Any] { [
        "@vocab": "https://schema.org/",
        "anydoor": namespace,
        "name": ["@container": "@language"],
        "description": ["@container": "@language"],
        "keywords": ["@container": "@language"],
    ] }

    public static func encode(_ services: [ServiceDescription]) throws -> Data {
        var lines = ["{", "\"@context\": " + String(decoding: try JSONSerialization.data(withJSONObject: context, options: [.sortedKeys, .withoutEscapingSlashes]), as: UTF8.self) + ",", "\"@graph\": ["]
        for (index, service) in services.enumerated() {
            let node = String(decoding: try JSONSerialization.data(withJSONObject: try node(service), options: [.sortedKeys, .withoutEscapingSlashes]), as: UTF8.self)
            lines.append(node + (index == services.count - 1 ? "" : ","))
        }
        lines += ["]", "}", ""]
        return Data(lines.joined(separator: "\n").utf8)
    }

    static func languageMap(_ text: LocalizedText) -> [String: String] {
        Dictionary(uniqueKeysWithValues: text.values.map { ($0.key.rawValue, $0.value) })
    }

    static func node(_ service: ServiceDescription) throws -> [String: Any] {
        func json<T: Encodable>(_ value: T) throws -> Any {
            try JSONSerialization.jsonObject(with: JSONEncoder().encode(value), options: [.fragmentsAllowed])
        }
        var channels: [[String: Any]] = []
        if service.channels.online { channels.append(["@type": "ServiceChannel", "name": "online"]) }
        if let phone = service.channels.phone {
            channels.append(["@type": "ServiceChannel", "name": "phone", "servicePhone": ["@type": "ContactPoint", "telephone": phone.number, "hoursAvailable": phone.hours]])
        }
        if service.channels.inPerson { channels.append(["@type": "ServiceChannel", "name": "in person", "serviceLocation": ["@type": "GovernmentOffice", "name": "Service BC offices"]]) }
        if let mail = service.channels.mail {
            channels.append(["@type": "ServiceChannel", "name": "mail", "servicePostalAddress": ["@type": "PostalAddress", "streetAddress": mail]])
        }
        var node: [String: Any] = [
            "@type": "GovernmentService",
            "identifier": service.code,
            "name": languageMap(service.title),
            "description": languageMap(service.description),
            "keywords": languageMap(service.keywords),
            "provider": ["@type": "GovernmentOrganization", "identifier": service.ministry],
            "serviceType": service.programArea,
            "audience": service.audience.map { ["@type": "Audience", "audienceType": $0.rawValue] },
            "availableChannel": channels,
            "anydoor:eligibility": try json(service.eligibility),
            "anydoor:evidence": try json(service.evidence),
            "anydoor:legalBasis": service.legalBasis,
            "anydoor:lifeEvents": service.lifeEvents,
            "anydoor:requirement": try json(service.requirement),
            "anydoor:fields": try json(service.fields),
            "anydoor:reviewedLanguages": service.reviewedLanguages.map(\.rawValue),
        ]
        if let time = service.processingTime { node["processingTime"] = time }
        if let cost = service.cost {
            node["offers"] = ["@type": "Offer", "price": cost.amount, "priceCurrency": cost.currency]
        } else {
            node["isAccessibleForFree"] = true
        }
        return node
    }

    /// Reads a JSON-LD catalogue written by ``encode(_:)`` (or by hand to the same shape).
    public static func decode(_ data: Data) throws(ExchangeError) -> [ImportedService] {
        guard let text = String(data: data, encoding: .utf8) else {
            throw ExchangeError([ExchangeProblem(line: 1, service: nil, field: "file", message: "The file is not UTF-8 text.")])
        }
        let root: Any
        do {
            root = try JSONSerialization.jsonObject(with: data)
        } catch {
            throw ExchangeError([ExchangeProblem(line: 1, service: nil, field: "file", message: "The file is not valid JSON (\(error.localizedDescription)).")])
        }
        guard let object = root as? [String: Any], let graph = object["@graph"] as? [Any] else {
            throw ExchangeError([ExchangeProblem(line: 1, service: nil, field: "@graph", message: "Expected a JSON-LD object with an @graph array of GovernmentService nodes.")])
        }
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        var services: [ImportedService] = []
        var problems: [ExchangeProblem] = []
        var searchFrom = 0
        for (index, item) in graph.enumerated() {
            let code = ((item as? [String: Any])?["identifier"] as? String) ?? ""
            // The node's line: the first line from here on naming its identifier.
            var line = 1
            if let found = lines[searchFrom...].firstIndex(where: { $0.contains("\"identifier\":\"\(code)\"") || $0.contains("\"identifier\": \"\(code)\"") }) {
                line = found + 1
                searchFrom = found
            }
            guard let node = item as? [String: Any] else {
                problems.append(ExchangeProblem(line: line, service: nil, field: "@graph[\(index)]", message: "Each node must be an object."))
                continue
            }
            do {
                services.append(ImportedService(line: line, service: try service(node)))
            } catch let error as NodeError {
                problems.append(ExchangeProblem(line: line, service: code.isEmpty ? nil : code, field: error.field, message: error.message))
            } catch {
                problems.append(ExchangeProblem(line: line, service: code.isEmpty ? nil : code, field: "node", message: "\(error)"))
            }
        }
        if !problems.isEmpty { throw ExchangeError(problems) }
        return services
    }

    struct NodeError: Error { var field: String; var message: String }

    static func service(_ node: [String: Any]) throws -> ServiceDescription {
        guard node["@type"] as? String == "GovernmentService" else { throw NodeError(field: "@type", message: "Each node must be a GovernmentService.") }
        func text(_ key: String) throws -> LocalizedText {
            guard let raw = node[key] else { return LocalizedText() }
            guard let map = raw as? [String: String] else { throw NodeError(field: key, message: "Expected a language map such as {\"en\": \"…\"}.") }
            var values: [LanguageCode: String] = [:]
            for (tag, value) in map {
                guard let language = LanguageCode(rawValue: tag) else { throw NodeError(field: "\(key).\(tag)", message: "'\(tag)' is not a language AnyDoor serves.") }
                values[language] = value
            }
            return LocalizedText(values)
        }
        func decode<T: Decodable>(_ type: T.Type, _ key: String, default value: T) throws -> T {
            guard let raw = node[key] else { return value }
            do {
                return try JSONDecoder().decode(T.self, from: JSONSerialization.data(withJSONObject: raw, options: [.fragmentsAllowed]))
            } catch {
                throw NodeError(field: key, message: "Not in the expected shape (\(describe(error))).")
            }
        }
        var service = ServiceDescription(code: node["identifier"] as? String ?? "")
        service.title = try text("name")
        service.description = try text("description")
        service.keywords = try text("keywords")
        service.ministry = (node["provider"] as? [String: Any])?["identifier"] as? String ?? ""
        service.programArea = node["serviceType"] as? String ?? ""
        for (index, audience) in (node["audience"] as? [[String: Any]] ?? []).enumerated() {
            guard let kind = (audience["audienceType"] as? String).flatMap(Audience.init(rawValue:)) else {
                throw NodeError(field: "audience[\(index)].audienceType", message: "Use people, businesses or public-sector.")
            }
            service.audience.append(kind)
        }
        for (index, channel) in (node["availableChannel"] as? [[String: Any]] ?? []).enumerated() {
            switch channel["name"] as? String {
            case "online": service.channels.online = true
            case "in person": service.channels.inPerson = true
            case "phone":
                let phone = channel["servicePhone"] as? [String: Any]
                service.channels.phone = PhoneChannel(number: phone?["telephone"] as? String ?? "", hours: phone?["hoursAvailable"] as? String ?? "")
            case "mail":
                service.channels.mail = (channel["servicePostalAddress"] as? [String: Any])?["streetAddress"] as? String ?? ""
            default:
                throw NodeError(field: "availableChannel[\(index)].name", message: "Use online, phone, in person or mail.")
            }
        }
        if let offer = node["offers"] as? [String: Any] {
            service.cost = ServiceCost(amount: (offer["price"] as? String) ?? (offer["price"] as? NSNumber)?.stringValue ?? "", currency: offer["priceCurrency"] as? String ?? "CAD")
        }
        service.processingTime = node["processingTime"] as? String
        service.eligibility = try decode([LocalizedText].self, "anydoor:eligibility", default: [])
        service.evidence = try decode([LocalizedText].self, "anydoor:evidence", default: [])
        service.legalBasis = try decode([String].self, "anydoor:legalBasis", default: [])
        service.lifeEvents = try decode([String].self, "anydoor:lifeEvents", default: [])
        service.requirement = try decode(ServiceAccessRequirement.self, "anydoor:requirement", default: .default)
        service.fields = try decode([FormField].self, "anydoor:fields", default: [])
        service.reviewedLanguages = try decode([LanguageCode].self, "anydoor:reviewedLanguages", default: [])
        return service
    }

    static func describe(_ error: any Error) -> String {
        guard let error = error as? DecodingError else { return "\(error)" }
        switch error {
        case .keyNotFound(let key, let context): return "missing \((context.codingPath + [key]).map(\.stringValue).joined(separator: "."))"
        case .typeMismatch(_, let context), .valueNotFound(_, let context), .dataCorrupted(let context):
            return "\(context.codingPath.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }.joined(separator: ".")): \(context.debugDescription)"
        @unknown default: return "\(error)"
        }
    }
}

/// The catalogue as CSV (RFC 4180, UTF-8, header row): one service per record; lists inside a cell are one
/// item per line; per-language texts in `title_<lang>`-style columns; the request form's fields as JSON.
public enum CatalogueCSV {
    static let fixed = ["code", "ministry", "program_area", "audience", "life_events", "online", "phone_number", "phone_hours", "in_person", "mail",
                        "cost", "currency", "processing_time", "legal_basis", "assurance", "authentication", "reviewed_languages", "fields_json"]
    static let perLanguage = ["title", "description", "keywords", "eligibility", "evidence"]

    public static var header: [String] {
        fixed + LanguageCode.allCases.flatMap { language in perLanguage.map { "\($0)_\(language.rawValue)" } }
    }

    public static func encode(_ services: [ServiceDescription]) throws -> Data {
        var rows = [header]
        for service in services {
            var row: [String] = [
                service.code, service.ministry, service.programArea, service.audience.map(\.rawValue).joined(separator: "\n"),
                service.lifeEvents.joined(separator: "\n"), service.channels.online ? "yes" : "no", service.channels.phone?.number ?? "",
                service.channels.phone?.hours ?? "", service.channels.inPerson ? "yes" : "no", service.channels.mail ?? "",
                service.cost?.amount ?? "", service.cost?.currency ?? "", service.processingTime ?? "", service.legalBasis.joined(separator: "\n"),
                String(service.requirement.assurance.rawValue), String(service.requirement.authentication.rawValue),
                service.reviewedLanguages.map(\.rawValue).joined(separator: "\n"),
                service.fields.isEmpty ? "" : String(decoding: try JSONEncoder().encode(service.fields), as: UTF8.self),
            ]
            for language in LanguageCode.allCases {
                // Items keep their positions (an empty line for an item not in this language); no item at all is an empty cell.
                func items(_ list: [LocalizedText]) -> String {
                    let texts = list.map { $0[language] ?? "" }
                    return texts.allSatisfy(\.isEmpty) ? "" : texts.joined(separator: "\n")
                }
                row += [service.title[language] ?? "", service.description[language] ?? "", service.keywords[language] ?? "",
                        items(service.eligibility), items(service.evidence)]
            }
            rows.append(row)
        }
        return Data(rows.map { $0.map(quote).joined(separator: ",") + "\r\n" }.joined().utf8)
    }

    static func quote(_ cell: String) -> String {
        guard cell.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return cell }
        return "\"" + cell.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    /// RFC 4180 records with the line each starts on.
    static func records(_ text: String) throws(ExchangeError) -> [(line: Int, cells: [String])] {
        var records: [(Int, [String])] = []
        var cells: [String] = [], cell = "", inQuotes = false, line = 1, recordLine = 1, afterQuote = false
        var characters = Array(text)
        if characters.first == "\u{FEFF}" { characters.removeFirst() }
        var index = 0
        while index < characters.count {
            let character = characters[index]
            if inQuotes {
                if character == "\"" {
                    if index + 1 < characters.count, characters[index + 1] == "\"" { cell.append("\""); index += 1 } else { inQuotes = false; afterQuote = true }
                } else {
                    if character == "\n" || character == "\r\n" { line += 1 }
                    cell.append(character)
                }
            } else if character == "\"" {
                guard cell.isEmpty, !afterQuote else {
                    throw ExchangeError([ExchangeProblem(line: line, service: nil, field: "file", message: "A quote inside an unquoted cell; quote the whole cell and double the quote.")])
                }
                inQuotes = true
            } else if character == "," {
                cells.append(cell); cell = ""; afterQuote = false
            } else if character == "\n" || character == "\r\n" || character == "\r" {
                cells.append(cell); cell = ""; afterQuote = false
                if !(cells.count == 1 && cells[0].isEmpty) { records.append((recordLine, cells)) }
                cells = []
                line += 1
                recordLine = line
            } else {
                guard !afterQuote else {
                    throw ExchangeError([ExchangeProblem(line: line, service: nil, field: "file", message: "Text after a closing quote.")])
                }
                cell.append(character)
            }
            index += 1
        }
        if inQuotes { throw ExchangeError([ExchangeProblem(line: recordLine, service: nil, field: "file", message: "A quoted cell is never closed.")]) }
        if !cell.isEmpty || !cells.isEmpty { cells.append(cell); records.append((recordLine, cells)) }
        return records
    }

    public static func decode(_ data: Data) throws(ExchangeError) -> [ImportedService] {
        guard let text = String(data: data, encoding: .utf8) else {
            throw ExchangeError([ExchangeProblem(line: 1, service: nil, field: "file", message: "The file is not UTF-8 text.")])
        }
        let records = try records(text)
        guard let head = records.first else { throw ExchangeError([ExchangeProblem(line: 1, service: nil, field: "file", message: "The file is empty.")]) }
        let columns = head.cells
        let known = Set(header)
        var problems: [ExchangeProblem] = []
        for column in columns where !known.contains(column) {
            problems.append(ExchangeProblem(line: head.line, service: nil, field: column, message: "Unknown column."))
        }
        for column in ["code", "ministry", "title_en"] where !columns.contains(column) {
            problems.append(ExchangeProblem(line: head.line, service: nil, field: column, message: "The header must have this column."))
        }
        if !problems.isEmpty { throw ExchangeError(problems) }
        var services: [ImportedService] = []
        for record in records.dropFirst() {
            guard record.cells.count == columns.count else {
                problems.append(ExchangeProblem(line: record.line, service: nil, field: "record", message: "Expected \(columns.count) cells, found \(record.cells.count)."))
                continue
            }
            var cell: [String: String] = [:]
            for (column, value) in zip(columns, record.cells) { cell[column] = value }
            let code = cell["code"] ?? ""
            func list(_ name: String) -> [String] { (cell[name] ?? "").split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty } }
            func flag(_ name: String) -> Bool? {
                switch (cell[name] ?? "").lowercased() { case "yes", "true", "1": true; case "no", "false", "0", "": false; default: nil }
            }
            var service = ServiceDescription(code: code, ministry: cell["ministry"] ?? "", programArea: cell["program_area"] ?? "")
            var recordProblems: [ExchangeProblem] = []
            func problem(_ field: String, _ message: String) { recordProblems.append(ExchangeProblem(line: record.line, service: code.isEmpty ? nil : code, field: field, message: message)) }
            for value in list("audience") {
                if let audience = Audience(rawValue: value) { service.audience.append(audience) } else { problem("audience", "'\(value)' is not people, businesses or public-sector.") }
            }
            service.lifeEvents = list("life_events")
            guard let online = flag("online"), let inPerson = flag("in_person") else {
                problem(flag("online") == nil ? "online" : "in_person", "Use yes or no.")
                problems += recordProblems
                continue
            }
            let phoneNumber = cell["phone_number"] ?? "", phoneHours = cell["phone_hours"] ?? "", mail = cell["mail"] ?? ""
            service.channels = ServiceChannels(online: online, phone: phoneNumber.isEmpty && phoneHours.isEmpty ? nil : PhoneChannel(number: phoneNumber, hours: phoneHours),
                                               inPerson: inPerson, mail: mail.isEmpty ? nil : mail)
            if let amount = cell["cost"], !amount.isEmpty { service.cost = ServiceCost(amount: amount, currency: (cell["currency"] ?? "").isEmpty ? "CAD" : cell["currency"]!) }
            service.processingTime = (cell["processing_time"] ?? "").isEmpty ? nil : cell["processing_time"]
            service.legalBasis = list("legal_basis")
            if let raw = cell["assurance"], !raw.isEmpty {
                if let level = Int(raw).flatMap(AssuranceLevel.init(rawValue:)) { service.requirement.assurance = level } else { problem("assurance", "Use 1, 2 or 3.") }
            }
            if let raw = cell["authentication"], !raw.isEmpty {
                if let level = Int(raw).flatMap(AuthenticationLevel.init(rawValue:)) { service.requirement.authentication = level } else { problem("authentication", "Use 1 or 2.") }
            }
            for tag in list("reviewed_languages") {
                if let language = LanguageCode(rawValue: tag) { service.reviewedLanguages.append(language) } else { problem("reviewed_languages", "'\(tag)' is not a language AnyDoor serves.") }
            }
            if let json = cell["fields_json"], !json.isEmpty {
                do { service.fields = try JSONDecoder().decode([FormField].self, from: Data(json.utf8)) } catch { problem("fields_json", "Not a JSON array of fields (\(CatalogueJSONLD.describe(error))).") }
            }
            var eligibility: [[LanguageCode: String]] = [], evidence: [[LanguageCode: String]] = []
            for language in LanguageCode.allCases {
                let tag = language.rawValue
                if let value = cell["title_\(tag)"], !value.isEmpty { service.title[language] = value }
                if let value = cell["description_\(tag)"], !value.isEmpty { service.description[language] = value }
                if let value = cell["keywords_\(tag)"], !value.isEmpty { service.keywords[language] = value }
                for (name, target) in [("eligibility", 0), ("evidence", 1)] {
                    let raw = cell["\(name)_\(tag)"] ?? ""
                    let items = raw.isEmpty ? [] : raw.split(separator: "\n", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .init(charactersIn: "\r")) }
                    for (index, item) in items.enumerated() where !item.trimmingCharacters(in: .whitespaces).isEmpty {
                        if target == 0 {
                            while eligibility.count <= index { eligibility.append([:]) }
                            eligibility[index][language] = item
                        } else {
                            while evidence.count <= index { evidence.append([:]) }
                            evidence[index][language] = item
                        }
                    }
                }
            }
            service.eligibility = eligibility.map(LocalizedText.init)
            service.evidence = evidence.map(LocalizedText.init)
            if recordProblems.isEmpty { services.append(ImportedService(line: record.line, service: service)) } else { problems += recordProblems }
        }
        if !problems.isEmpty { throw ExchangeError(problems) }
        return services
    }
}
