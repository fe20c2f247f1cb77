import AnyDoorCore
import Foundation
import Testing

/// A description that meets the standard; tests break one thing at a time.
func completeService(code: String = "renew-drivers-licence") -> ServiceDescription {
    ServiceDescription(
        code: code,
        title: LocalizedText([.english: "Renew a driver's licence", .french: "Renouveler un permis de conduire"]),
        description: LocalizedText([.english: "Renew your BC driver's licence before it expires."]),
        ministry: "MOTT", programArea: "Driver licensing",
        channels: ServiceChannels(online: true, phone: PhoneChannel(number: "1 800 663-7867", hours: "Mo-Fr 07:30-17:00"), inPerson: true),
        eligibility: [LocalizedText([.english: "You hold a BC driver's licence."])],
        evidence: [LocalizedText([.english: "Your current licence"])],
        cost: ServiceCost(amount: "75.00"), processingTime: "P10D",
        legalBasis: ["Motor Vehicle Act, RSBC 1996, c. 318"], audience: [.people], lifeEvents: ["moving-to-bc"],
        keywords: LocalizedText([.english: "driving, licence"]),
        fields: [FormField(code: "reason", datatype: .singlevaluelist, required: true, label: LocalizedText([.english: "Why?"]),
                           values: [FieldValue(key: "expiring", name: LocalizedText([.english: "It expires"]))])]
    )
}

let catalogueContext = CatalogueContext(ministries: ["MOTT", "HLTH"], lifeEvents: ["moving-to-bc"])

@Suite struct CatalogueRulesTests {
    @Test func aCompleteDescriptionCanBePublished() {
        #expect(CatalogueRules.publishProblems(completeService(), context: catalogueContext).isEmpty)
    }

    @Test func publishingWithoutRequiredFieldsNamesEachField() {
        // CPSV-AP's mandatory properties (identifier, name, description, competent authority) and ours.
        let empty = ServiceDescription(code: "")
        let fields = CatalogueRules.publishProblems(empty, context: catalogueContext).map(\.field)
        for expected in ["code", "title.en", "description.en", "ministry", "programArea", "channels", "audience", "processingTime"] {
            #expect(fields.contains(expected), "\(expected) should be named")
        }
        let codes = Dictionary(CatalogueRules.publishProblems(empty, context: catalogueContext).map { ($0.field, $0.code) }, uniquingKeysWith: { a, _ in a })
        #expect(codes["title.en"] == "required")
        #expect(codes["ministry"] == "required")
    }

    @Test func eachInvalidValueIsNamedWithItsPath() {
        var service = completeService()
        service.ministry = "NOPE"
        service.processingTime = "ten days"
        service.cost = ServiceCost(amount: "-5", currency: "dollars")
        service.channels = ServiceChannels(online: true, phone: nil, inPerson: false)
        service.lifeEvents = ["winning-the-lottery"]
        service.fields.append(FormField(code: "reason", datatype: .string, label: LocalizedText([.english: "Again"])))
        service.fields.append(FormField(code: "colour", datatype: .multivaluelist, label: LocalizedText([.french: "Couleur"])))
        service.title[.korean] = "  "
        let problems = CatalogueRules.publishProblems(service, context: catalogueContext)
        let named = Set(problems.map { "\($0.field):\($0.code)" })
        #expect(named == [
            "ministry:unknown", "processingTime:invalidFormat", "cost.amount:invalidFormat", "cost.currency:invalidFormat",
            "channels:required", "lifeEvents:unknown", "fields[1].code:duplicate", "fields[2].label.en:required",
            "fields[2].values:required", "title.ko:empty",
        ])
    }

    @Test func aServiceReachableOnlyByMailOrOnlineCannotBePublished() {
        // REFERENCE.md section 11: every service stays reachable by phone or in person.
        var service = completeService()
        service.channels = ServiceChannels(online: true, phone: nil, inPerson: false, mail: "PO Box 9000, Victoria BC")
        #expect(CatalogueRules.publishProblems(service, context: catalogueContext).map(\.field) == ["channels"])
        service.channels.inPerson = true
        #expect(CatalogueRules.publishProblems(service, context: catalogueContext).isEmpty)
    }

    @Test(arguments: ["Renew", "renew_licence", "9lives", "ab", "a--b", "trailing-", String(repeating: "a", count: 61)])
    func invalidServiceCodesAreRefused(_ code: String) {
        #expect(ServiceCode(code) == nil)
        #expect(CatalogueRules.draftProblems(ServiceDescription(code: code)).map(\.code) == ["invalidFormat"])
    }

    @Test func translationStatusFollowsTheTextAndTheReviewMark() {
        var service = completeService()
        #expect(service.translationStatus(.english) == .reviewed)
        #expect(service.translationStatus(.korean) == .missing)
        service.description[.french] = "Renouvelez votre permis."
        #expect(service.translationStatus(.french) == .draft)
        service.reviewedLanguages = [.french]
        #expect(service.translationStatus(.french) == .reviewed)
        #expect(!service.isFullyTranslated(into: .french)) // eligibility, evidence and the form are still English only
    }
}

@Suite struct ISODurationTests {
    static let durations: [(String, Double)] = [("P10D", 864_000), ("P2W", 1_209_600), ("PT48H", 172_800), ("P1DT12H", 129_600), ("P3M", 7_776_000), ("P1Y", 31_536_000)]

    @Test(arguments: durations)
    func validDurationsParse(_ text: String, _ seconds: Double) throws {
        let duration = try #require(ISODuration(text))
        #expect(duration.approximateSeconds == seconds)
        #expect(duration.description == text)
    }

    @Test(arguments: ["", "P", "10D", "PT", "P1H", "P1D2W", "P1DT", "P-1D", "P1.5D", "P1DD", "PT1M2H"])
    func malformedDurationsAreRefused(_ text: String) {
        #expect(ISODuration(text) == nil)
    }
}

@Suite struct DocumentDiffTests {
    @Test func theDiffShowsExactlyWhatChanged() {
        let old = completeService()
        var new = old
        new.title[.french] = "Renouveler son permis"
        new.channels.phone?.hours = "Mo-Sa 08:00-17:00"
        new.fields[0].values.append(FieldValue(key: "lost", name: LocalizedText([.english: "Lost"])))
        new.cost = nil
        let changes = DocumentDiff.changes(from: old, to: new)
        #expect(changes == [
            DocumentChange(path: "channels.phone.hours", before: "Mo-Fr 07:30-17:00", after: "Mo-Sa 08:00-17:00"),
            DocumentChange(path: "cost.amount", before: "75.00", after: nil),
            DocumentChange(path: "cost.currency", before: "CAD", after: nil),
            DocumentChange(path: "fields[reason].values[lost].key", before: nil, after: "lost"),
            DocumentChange(path: "fields[reason].values[lost].name.en", before: nil, after: "Lost"),
            DocumentChange(path: "title.fr", before: "Renouveler un permis de conduire", after: "Renouveler son permis"),
        ])
        #expect(DocumentDiff.changes(from: old, to: old).isEmpty)
    }

    @Test func booleansAndNumbersAreComparedAsValues() {
        let old = completeService()
        var new = old
        new.channels.online = false
        new.requirement = ServiceAccessRequirement(assurance: .verified, authentication: .multiFactor)
        #expect(DocumentDiff.changes(from: old, to: new) == [
            DocumentChange(path: "channels.online", before: "true", after: "false"),
            DocumentChange(path: "requirement.assurance", before: "1", after: "2"),
        ])
    }
}

@Suite struct CatalogueTransitionTests {
    @Test func transitionsFollowTheReviewStates() {
        #expect(CatalogueTransition.submit.allowed(from: .draft, isPublished: false, isRetired: false))
        #expect(CatalogueTransition.submit.allowed(from: .returned, isPublished: true, isRetired: false))
        #expect(!CatalogueTransition.submit.allowed(from: .submitted, isPublished: false, isRetired: false))
        #expect(!CatalogueTransition.submit.allowed(from: nil, isPublished: true, isRetired: false))
        #expect(CatalogueTransition.publish.allowed(from: .submitted, isPublished: false, isRetired: false))
        #expect(!CatalogueTransition.publish.allowed(from: .draft, isPublished: false, isRetired: false))
        #expect(!CatalogueTransition.sendBack.allowed(from: .returned, isPublished: false, isRetired: false))
        #expect(CatalogueTransition.retire.allowed(from: nil, isPublished: true, isRetired: false))
        #expect(!CatalogueTransition.retire.allowed(from: nil, isPublished: true, isRetired: true))
        #expect(!CatalogueTransition.retire.allowed(from: .draft, isPublished: false, isRetired: false))
    }

    @Test func ownersDraftForTheirOwnMinistryAndStewardsReview() {
        let health = MinistryID(rawValue: UUID()), transport = MinistryID(rawValue: UUID())
        let owner = Actor.staff(StaffID(rawValue: UUID()), roles: [RoleAssignment(.serviceOwner, scope: .ministry(health))])
        let steward = Actor.staff(StaffID(rawValue: UUID()), roles: [RoleAssignment(.catalogueSteward)])
        let ministrySystem = Actor.apiClient(APIClientID(rawValue: UUID()), services: ["register-birth"])
        #expect(AccessPolicy.decide(owner, .draftService(ministry: health, code: "x")) == .allow)
        #expect(AccessPolicy.decide(owner, .draftService(ministry: transport, code: "x")) == .deny)
        #expect(AccessPolicy.decide(owner, .draftService(ministry: nil, code: "x")) == .deny)
        #expect(AccessPolicy.decide(owner, .reviewCatalogue) == .deny)
        #expect(AccessPolicy.decide(steward, .reviewCatalogue) == .allow)
        #expect(AccessPolicy.decide(steward, .draftService(ministry: health, code: "x")) == .deny)
        #expect(AccessPolicy.decide(ministrySystem, .draftService(ministry: health, code: "register-birth")) == .allow)
        #expect(AccessPolicy.decide(ministrySystem, .draftService(ministry: health, code: "enrol-msp")) == .deny)
        #expect(AccessPolicy.decide(ministrySystem, .reviewCatalogue) == .deny)
        #expect(AccessPolicy.decide(.anonymous, .readCatalogueWork) == .authenticate)
        #expect(AccessPolicy.decide(.person(PersonID(rawValue: UUID()), authentication: .multiFactor, assurance: .inPerson), .readCatalogueWork) == .deny)
    }
}
