@testable import AnyDoorApp
import AnyDoorCore
import Testing

@Suite struct LocaleNegotiationTests {
    @Test(arguments: [
        ("pa-Guru-CA", LanguageCode.punjabi), ("zh-TW", .chineseTraditional), ("zh-HK", .chineseTraditional),
        ("zh-Hant", .chineseTraditional), ("yue", .chineseTraditional), ("zh-CN", .chineseSimplified), ("zh", .chineseSimplified),
        ("fil-PH", .tagalog), ("fr-CA", .french), ("fa-IR", .farsi), ("EN-gb", .english),
    ])
    func tagsFollowTheirFallbackChainToAServedLanguage(_ tag: String, _ expected: LanguageCode) {
        #expect(LocaleNegotiation.match(tag) == expected)
    }

    @Test func unservedLanguagesMatchNothing() {
        #expect(LocaleNegotiation.match("de-DE") == nil)
        #expect(LocaleNegotiation.match("") == nil)
    }

    @Test func savedPreferenceThenQueryThenAcceptLanguageByQuality() {
        #expect(LocaleNegotiation.choose(saved: .korean, query: "fr", acceptLanguage: "es") == .korean)
        #expect(LocaleNegotiation.choose(query: "fr", acceptLanguage: "es") == .french)
        #expect(LocaleNegotiation.choose(query: "xx", acceptLanguage: "de;q=1, vi;q=0.5, es;q=0.8") == .spanish)
        #expect(LocaleNegotiation.choose(query: nil, acceptLanguage: "ja;q=0, ko;q=0.1") == .korean)
        #expect(LocaleNegotiation.choose(query: nil, acceptLanguage: "de, *") == .english)
    }
}
