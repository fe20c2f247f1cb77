import AnyDoorCore
import Foundation
import Testing

@Suite struct CatalogueExchangeTests {
    static func services() -> [ServiceDescription] {
        var first = completeService()
        first.description[.farsi] = "گواهینامه را تمدید کنید، \"فوری\"\nخط دوم"
        first.eligibility.append(LocalizedText([.english: "Second, with a comma", .korean: "두 번째"]))
        var second = completeService(code: "register-birth")
        second.cost = nil
        second.channels = ServiceChannels(online: false, phone: nil, inPerson: true, mail: "PO Box 9657, Victoria BC")
        second.reviewedLanguages = [.french]
        return [first, second]
    }

    @Test func jsonLDRoundTripsEveryFieldAndIsSchemaOrg() throws {
        let data = try CatalogueJSONLD.encode(Self.services())
        let decoded = try CatalogueJSONLD.decode(data).map(\.service)
        #expect(decoded == Self.services())
        let root = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        let node = try #require((root["@graph"] as? [[String: Any]])?.first)
        #expect(node["@type"] as? String == "GovernmentService")
        #expect((node["provider"] as? [String: Any])?["identifier"] as? String == "MOTT")
        #expect((node["offers"] as? [String: Any])?["priceCurrency"] as? String == "CAD")
        #expect(((root["@context"] as? [String: Any])?["name"] as? [String: String])?["@container"] == "@language")
    }

    @Test func csvRoundTripsEveryFieldWithQuotesCommasAndNewlines() throws {
        let data = try CatalogueCSV.encode(Self.services())
        let decoded = try CatalogueCSV.decode(data)
        #expect(decoded.map(\.service) == Self.services())
        // Records start on their physical lines even when a cell spans two lines.
        #expect(decoded.map(\.line) == [2, 6]) // the Farsi description and two eligibility cells hold a line break each
    }

    @Test func badRecordsAreReportedByLineAndField() throws {
        var text = String(decoding: try CatalogueCSV.encode(Self.services()), as: UTF8.self)
        text = text.replacingOccurrences(of: "\r\nregister-birth,", with: "\r\nregister-birth,").replacingOccurrences(of: #",no,,,yes,"PO Box"#, with: #",maybe,,,yes,"PO Box"#)
        #expect(throws: ExchangeError([ExchangeProblem(line: 6, service: "register-birth", field: "online", message: "Use yes or no.")])) {
            try CatalogueCSV.decode(Data(text.utf8))
        }
        #expect(throws: ExchangeError([ExchangeProblem(line: 1, service: nil, field: "colour", message: "Unknown column.")])) {
            try CatalogueCSV.decode(Data("code,ministry,title_en,colour\r\nx,MOTT,X,red\r\n".utf8))
        }
        #expect(throws: ExchangeError([ExchangeProblem(line: 2, service: nil, field: "record", message: "Expected 3 cells, found 2.")])) {
            try CatalogueCSV.decode(Data("code,ministry,title_en\nx,MOTT\n".utf8))
        }
        #expect(throws: ExchangeError([ExchangeProblem(line: 2, service: nil, field: "file", message: "A quoted cell is never closed.")])) {
            try CatalogueCSV.decode(Data("code,ministry,title_en\nx,MOTT,\"open\n".utf8))
        }
        let jsonLD = String(decoding: try CatalogueJSONLD.encode(Self.services()), as: UTF8.self)
            .replacingOccurrences(of: #""audienceType":"people""#, with: #""audienceType":"everyone""#)
        #expect(throws: ExchangeError([
            ExchangeProblem(line: 4, service: "renew-drivers-licence", field: "audience[0].audienceType", message: "Use people, businesses or public-sector."),
            ExchangeProblem(line: 5, service: "register-birth", field: "audience[0].audienceType", message: "Use people, businesses or public-sector."),
        ])) { try CatalogueJSONLD.decode(Data(jsonLD.utf8)) }
        #expect(throws: ExchangeError.self) { try CatalogueJSONLD.decode(Data("[1, 2".utf8)) }
    }
}
