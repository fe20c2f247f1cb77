import AnyDoorCore
import Foundation
import Testing

@Suite struct MinistryRulesTests {
    @Test(arguments: [
        ("AG", true), ("CITZ", true), ("PSFS2", true), ("ABCDEFGHIJKL", true),
        ("A", false), ("ABCDEFGHIJKLM", false), ("citz", false), ("2FIN", false), ("FI N", false), ("ÉDU", false), ("", false),
    ])
    func ministryCodesAreTwoToTwelveUpperCaseLettersOrDigitsStartingWithALetter(_ text: String, _ valid: Bool) {
        #expect((MinistryCode(text) != nil) == valid)
    }

    @Test func aMinistryWithoutCodeOrEnglishNameGetsOneErrorPerMissingField() {
        #expect(throws: ValidationError([
            FieldError(field: "code", code: "required", message: "Enter the ministry's short code."),
            FieldError(field: "names.en", code: "required", message: "Enter the ministry's name in English."),
        ])) {
            _ = try MinistryRules.validated(code: nil, names: ["fr": "Ministère"], contact: nil)
        }
    }

    @Test(arguments: [
        (ContactDetails(email: "not-an-email"), "contact.email"),
        (ContactDetails(phone: "call me"), "contact.phone"),
        (ContactDetails(phone: "123"), "contact.phone"),
        (ContactDetails(website: "http://insecure.example"), "contact.website"),
        (ContactDetails(website: "javascript:alert(1)"), "contact.website"),
    ])
    func invalidContactDetailsAreNamedByField(_ contact: ContactDetails, _ field: String) throws {
        let error = try #require(throws: ValidationError.self) {
            _ = try MinistryRules.validated(code: "FIN", names: ["en": "Finance"], contact: contact)
        }
        #expect(error.errors.map(\.field) == [field])
    }

    @Test func unsupportedLanguagesAndOverlongNamesAreRejected() throws {
        let error = try #require(throws: ValidationError.self) {
            _ = try MinistryRules.validated(code: "FIN", names: ["en": "Finance", "xx": "?", "fr": String(repeating: "é", count: 201)], contact: nil)
        }
        #expect(error.errors.map(\.field) == ["names.fr", "names.xx"])
        #expect(error.errors.map(\.code) == ["tooLong", "unsupportedLanguage"])
    }

    @Test func validInputIsTrimmedAndEmptyContactMembersBecomeAbsent() throws {
        let (code, names, contact) = try MinistryRules.validated(
            code: "FIN", names: ["en": "  Ministry of Finance ", "fr": "Ministère des Finances"],
            contact: ContactDetails(email: " fin@gov.bc.ca ", phone: "", website: "https://www2.gov.bc.ca")
        )
        #expect(code.rawValue == "FIN")
        #expect(names[.english] == "Ministry of Finance")
        #expect(names[.french] == "Ministère des Finances")
        #expect(contact == ContactDetails(email: "fin@gov.bc.ca", phone: nil, website: "https://www2.gov.bc.ca"))
    }

    @Test func localizedTextFallsBackToEnglish() {
        let text = LocalizedText([.english: "Ministry of Health", .french: "Ministère de la Santé"])
        #expect(text.resolved(for: .french) == "Ministère de la Santé")
        #expect(text.resolved(for: .korean) == "Ministry of Health")
    }

    @Test func onlyFarsiAndArabicAreRightToLeft() {
        #expect(LanguageCode.allCases.filter(\.isRightToLeft) == [.farsi, .arabic])
        #expect(LanguageCode.allCases.count == 14)
    }
}
