import AnyDoorCore
import Testing

/// REFERENCE.md section 9: CLDR plural golden values (integers).
@Suite struct PluralRulesTests {
    @Test(arguments: [
        (LanguageCode.english, 0, PluralCategory.other), (.english, 1, .one), (.english, 2, .other),
        (.french, 0, .one), (.french, 1, .one), (.french, 2, .other), (.french, 1_000_000, .many),
        (.punjabi, 0, .one), (.punjabi, 1, .one), (.punjabi, 2, .other),
        (.tagalog, 1, .one), (.tagalog, 2, .one), (.tagalog, 3, .one), (.tagalog, 5, .one),
        (.tagalog, 4, .other), (.tagalog, 6, .other), (.tagalog, 9, .other), (.tagalog, 14, .other),
        (.farsi, 0, .one), (.farsi, 1, .one), (.farsi, 2, .other),
        (.hindi, 0, .one), (.hindi, 1, .one), (.hindi, 2, .other),
        (.arabic, 0, .zero), (.arabic, 1, .one), (.arabic, 2, .two), (.arabic, 3, .few), (.arabic, 11, .many),
        (.arabic, 100, .other), (.arabic, 102, .other), (.arabic, 103, .few),
        (.ukrainian, 1, .one), (.ukrainian, 2, .few), (.ukrainian, 5, .many), (.ukrainian, 11, .many), (.ukrainian, 21, .one), (.ukrainian, 22, .few),
        (.spanish, 1, .one), (.spanish, 2, .other), (.spanish, 1_000_000, .many),
    ])
    func goldenValues(_ language: LanguageCode, _ number: Int, _ expected: PluralCategory) {
        #expect(PluralRules.category(number, in: language) == expected)
    }

    @Test(arguments: [LanguageCode.chineseSimplified, .chineseTraditional, .korean, .vietnamese, .japanese])
    func eastAsianLanguagesAndVietnameseAlwaysUseOther(_ language: LanguageCode) {
        for number in [0, 1, 2, 3, 11, 100, 1_000_000] {
            #expect(PluralRules.category(number, in: language) == .other)
        }
    }

    @Test func decimalsUseTheVisibleFractionDigits() throws {
        #expect(PluralRules.category(try #require(PluralOperands("1.0")), in: .english) == .other) // v = 1
        #expect(PluralRules.category(try #require(PluralOperands("1.5")), in: .french) == .one)   // i = 1
        #expect(PluralRules.category(try #require(PluralOperands("1.5")), in: .ukrainian) == .other)
        #expect(PluralOperands("abc") == nil)
    }
}

@Suite struct MessageFormatTests {
    @Test func pluralsPickTheLanguagesCategoryAndReplaceThePoundSign() throws {
        let english = MessageFormat(language: .english)
        let pattern = "{count, plural, =0 {No ministries} one {# ministry} other {# ministries}}"
        #expect(try english.format(pattern, ["count": "0"]) == "No ministries")
        #expect(try english.format(pattern, ["count": "1"]) == "1 ministry")
        #expect(try english.format(pattern, ["count": "25"]) == "25 ministries")
        let arabic = MessageFormat(language: .arabic)
        let arabicPattern = "{count, plural, zero {لا وزارات} one {وزارة واحدة} two {وزارتان} few {# وزارات} many {# وزارة} other {# وزارة}}"
        #expect(try arabic.format(arabicPattern, ["count": "2"]) == "وزارتان")
        #expect(try arabic.format(arabicPattern, ["count": "3"]) == "3 وزارات")
        #expect(try arabic.format(arabicPattern, ["count": "11"]) == "11 وزارة")
    }

    @Test func selectAndNestedArgumentsWork() throws {
        let format = MessageFormat(language: .english, formatNumber: { "[\($0)]" })
        let pattern = "{who} {kind, select, person {has {count, plural, one {# request} other {# requests}}} other {is a system}}"
        #expect(try format.format(pattern, ["who": "Ada", "kind": "person", "count": "3"]) == "Ada has [3] requests")
        #expect(try format.format(pattern, ["who": "MSP", "kind": "robot"]) == "MSP is a system")
    }

    @Test func brokenPatternsAreRefusedNotMangled() throws {
        let format = MessageFormat(language: .english)
        #expect(throws: MessageFormat.Problem.unbalancedBraces) { try format.format("{count, plural, one {x}", ["count": "1"]) }
        #expect(throws: MessageFormat.Problem.missingOther("count")) { try format.format("{count, plural, one {x}}", ["count": "1"]) }
        #expect(throws: MessageFormat.Problem.badArgument("count")) { try format.format("{count, plural, other {x}}", ["count": "many"]) }
        #expect(try format.format("Hello {name}", [:]) == "Hello {name}")
    }

    @Test func argumentNamesAreFoundAtAnyDepth() {
        #expect(MessageFormat.argumentNames("{who} {kind, select, person {{count, plural, other {#}}} other {x}}") == ["who", "kind", "count"])
        #expect(MessageFormat.argumentNames("Plain text") == [])
    }
}
