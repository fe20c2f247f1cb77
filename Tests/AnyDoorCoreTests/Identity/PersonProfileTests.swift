@testable import AnyDoorCore
import Foundation
import Testing

@Suite struct PersonProfileTests {
    let today = Date(timeIntervalSince1970: 1_795_000_000) // 2026-11-18

    @Test func aFullProfileIsNormalised() throws {
        let profile = try PersonProfile.parse(dateOfBirth: "1985-04-12", street: " 501 Belleville St ", city: "Victoria", postalCode: "v8v1x4",
                                              phone: "250-555-0123", interpreter: "pa", accessibility: "Wheelchair access", today: today)
        #expect(profile.dateOfBirth == "1985-04-12")
        #expect(profile.address == PostalAddress(street: "501 Belleville St", city: "Victoria", postalCode: "V8V 1X4"))
        #expect(profile.phone == "+12505550123")
        #expect(profile.interpreterLanguage == .punjabi)
        #expect(try PersonProfile.parse(dateOfBirth: "", street: "", city: "", postalCode: "", phone: "", interpreter: "", accessibility: "", today: today) == PersonProfile())
    }

    @Test func everyProblemIsNamedByField() {
        do {
            _ = try PersonProfile.parse(dateOfBirth: "2030-01-01", street: "1 Main St", city: "", postalCode: "", phone: "12", interpreter: "xx",
                                        accessibility: String(repeating: "a", count: 1001), today: today)
            Issue.record("accepted")
        } catch {
            #expect(error.errors.map(\.field) == ["dateOfBirth", "address", "phone", "accessibility"])
        }
        do {
            _ = try PersonProfile.parse(dateOfBirth: "1985-02-30", street: "1 Main St", city: "Victoria", postalCode: "D8V 1X4", phone: "", interpreter: "",
                                        accessibility: "", today: today)
            Issue.record("accepted")
        } catch {
            #expect(error.errors.map(\.code) == ["invalidFormat", "invalidFormat"])
        }
        #expect(PersonProfile.normalisedPostalCode("W1A 1A1") == nil) // W never starts a Canadian code
        #expect(PersonProfile.normalisedPostalCode("V8W-9E2") == "V8W 9E2")
    }
}
