import AnyDoorCore
import Testing

@Suite struct SearchTextTests {
    static let cases: [(String, [String])] = [
        ("Déclaration d'événement", ["declaration", "d", "evenement"]),
        ("Đăng ký khai sinh", ["dang", "ky", "khai", "sinh"]),
        ("Straße Æsir Łódź øre", ["strasse", "aesir", "lodz", "ore"]),
        ("ＡＢＣ１２３", ["abc123"]),
        ("ثبت‌نام", ["ثبت", "نام"]),          // Persian ZWNJ separates the parts
        ("تَوَلُّد ۱۲۳ ٤٥", ["تولد", "123", "45"]), // harakat dropped, Persian and Arabic digits to ASCII
        ("كتاب يوم", ["کتاب", "یوم"]),            // Arabic kaf and yeh folded to the Persian letters
        ("Й ї", ["й", "ї"]),                      // Cyrillic letters keep their marks
        ("ਜਨਮ ਰਜਿਸਟ੍ਰੇਸ਼ਨ", ["ਜਨਮ", "ਰਜਿਸਟ੍ਰੇਸ਼ਨ"]), // Gurmukhi vowel signs and virama stay
        ("BC出生登记abc", ["bc", "出生登记", "abc"]),
        ("100% free_now!", ["100", "free", "now"]),
    ]

    @Test(arguments: cases)
    func normalisation(_ text: String, _ expected: [String]) {
        #expect(SearchText.tokens(text) == expected)
    }

    @Test func cjkRunsAreIndexedAsOverlappingBigramsAndTheLastCharacter() {
        #expect(SearchText.indexForm("出生登记") == "  出生  生登  登记  记  ")
        #expect(SearchText.indexForm("Renew a licence") == "  renew  a  licence  ")
        #expect(SearchText.rankForm("Renew a Licence") == " renew a licence ")
    }

    @Test func queriesBecomeLikePatternsThatAlwaysHaveThreeLiteralCharacters() {
        #expect(SearchQuery("出生登记").patterns == ["%  出生  %", "%  生登  %", "%  登记  %"])
        #expect(SearchQuery("出").patterns == ["%  出%"])
        #expect(SearchQuery("permis de").patterns == ["%permis%", "%  de%"])
        #expect(SearchQuery("évènement").patterns == ["%evenement%"])
        // Characters that mean something to LIKE or SQL never reach a pattern.
        #expect(SearchQuery("50%_off' OR \\x").patterns == ["%  50%", "%off%", "%  or%", "%  x%"])
        #expect(SearchQuery("  ,;  ").isEmpty)
    }
}
