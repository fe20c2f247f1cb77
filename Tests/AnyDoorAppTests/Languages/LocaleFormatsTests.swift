@testable import AnyDoorApp
import AnyDoorCore
import Foundation
import Testing

/// Dates, numbers and money through Foundation's ICU on Linux, in Vancouver time.
@Suite struct LocaleFormatsTests {
    // 2026-07-01T19:30:00Z is 12:30 in Vancouver (PDT, UTC-7).
    static let canadaDay = Date(timeIntervalSince1970: 1_782_934_200)

    @Test func datesAreShownInVancouverTimeInTheReadersLanguage() {
        let english = LocaleFormats(language: .english).dateTime(Self.canadaDay)
        #expect(english.contains("2026"))
        #expect(english.contains("12:30"))
        #expect(english.contains("Jul"))
        let french = LocaleFormats(language: .french).dateTime(Self.canadaDay)
        #expect(french.contains("juil"))
        #expect(french.contains("12 h 30") || french.contains("12:30"))
    }

    @Test func farsiDatesStayGregorianWithPersianDigits() {
        let farsi = LocaleFormats(language: .farsi).dateTime(Self.canadaDay)
        #expect(farsi.contains("۲۰۲۶")) // 2026 in Persian digits: Gregorian, not the Solar Hijri 1405
        #expect(!farsi.contains("۱۴۰۵"))
    }

    @Test func numbersAndMoneyFollowTheLanguage() {
        #expect(LocaleFormats(language: .english).number(1_234_567) == "1,234,567")
        #expect(LocaleFormats(language: .french).number(1_234_567).filter(\.isNumber) == "1234567")
        #expect(LocaleFormats(language: .french).number(1_234_567) != "1,234,567")
        #expect(LocaleFormats(language: .english).money(Decimal(string: "1234.5")!) == "$1,234.50")
        #expect(LocaleFormats(language: .french).money(Decimal(string: "1234.5")!).contains("$"))
        #expect(LocaleFormats(language: .french).money(Decimal(string: "1234.5")!).contains("50"))
    }
}
