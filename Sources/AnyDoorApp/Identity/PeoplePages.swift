import AnyDoorCore
import AnyDoorStore
import Foundation

/// `/staff/people`: find a person by email (sent in a form, never in the address).
struct FindPersonPage: PageModel {
    static let template = "find-person"
    let titleKey = "people.findTitle"
    let csrfToken: String
    let errors: ErrorSummary
    let email: FormField
}

/// `/staff/people/{id}` before a purpose is given: staff must say why they open a record.
struct PurposePage: PageModel {
    static let template = "purpose"
    let titleKey = "people.purposeTitle"
    let action: String
    let purposes: [Option]
}

struct Option: Sendable {
    let value: String
    let label: String
    let id: String
}

/// `/staff/people/{id}?purpose=…`: a person's record as staff see it.
struct PersonRecordPage: PageModel {
    static let template = "person-record"
    let titleKey = "people.recordTitle"
    let csrfToken: String
    let id: String
    let name: String
    let email: String
    let assurance: String
    let verifications: [Row]
    let representatives: [Row]
    let canVerify: Bool
    let evidenceTypes: [Option]
    let methods: [Option]
    let relationships: [Option]
    let errors: ErrorSummary
    let notice: String?
    /// The person's requests: reference and status.
    var requests: [Option] = []
    var canOpenRequest = false
    /// Visits, appointments and phone contacts, newest first.
    var counterHistory: [Row] = []

    struct Row: Sendable {
        let when: String
        let what: String
    }
}

/// `/account/who-looked`: each time staff opened the person's record, with organisation and purpose.
struct WhoLookedPage: PageModel {
    static let template = "who-looked"
    let titleKey = "whoLooked.title"
    let rows: [Row]

    struct Row: Sendable {
        let when: String
        let organisation: String
        let purpose: String
    }
}

/// `/account/representatives`: who may act for the person, and for whom they may act.
struct RepresentativesPage: PageModel {
    static let template = "representatives"
    let titleKey = "representatives.title"
    let csrfToken: String
    let given: [Given]
    let held: [Held]
    let relationships: [Option]
    let errors: ErrorSummary
    let email: FormField
    let services: FormField
    let notice: String?

    struct Given: Sendable {
        let id: String
        let representative: String
        let relationship: String
        let services: String
        let period: String
        let active: Bool
    }

    struct Held: Sendable {
        let personID: String
        let person: String
        let services: [HeldService]
        let period: String
    }

    /// A service the representation names, linking to what the representative may do there.
    struct HeldService: Sendable {
        let code: String
        let href: String
    }
}

