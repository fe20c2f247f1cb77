import Foundation

/// CLDR plural categories (Unicode CLDR, Language Plural Rules).
public enum PluralCategory: String, Sendable, CaseIterable {
    case zero, one, two, few, many, other
}

/// The operands CLDR rules are written in: `n` absolute value, `i` integer digits, `v` number of visible
/// fraction digits, `f` visible fraction digits as an integer, `e` compact exponent (always 0 here).
public struct PluralOperands: Sendable, Equatable {
    public let n: Double
    public let i: Int
    public let v: Int
    public let f: Int
    public let e: Int

    public init(_ value: Int) {
        self.n = Double(abs(value))
        self.i = abs(value)
        self.v = 0
        self.f = 0
        self.e = 0
    }

    /// Parses a decimal as written (`"1.50"` has v = 2, f = 50); nil when it is not a number.
    public init?(_ text: String) {
        var digits = text.trimmingCharacters(in: .whitespaces)
        if digits.hasPrefix("-") { digits.removeFirst() }
        let parts = digits.split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
        guard let integer = Int(parts[0]), parts.count == 1 || (!parts[1].isEmpty && parts[1].allSatisfy(\.isNumber)), let n = Double(digits) else { return nil }
        self.n = n
        self.i = integer
        self.v = parts.count == 2 ? parts[1].count : 0
        self.f = parts.count == 2 ? Int(parts[1]) ?? 0 : 0
        self.e = 0
    }
}

/// CLDR plural rules for the languages AnyDoor serves, written from the CLDR rule texts. Golden values
/// in REFERENCE.md section 9 are checked by `PluralRulesTests`.
public enum PluralRules {
    public static func category(_ value: Int, in language: LanguageCode) -> PluralCategory {
        category(PluralOperands(value), in: language)
    }

    public static func category(_ o: PluralOperands, in language: LanguageCode) -> PluralCategory {
        let n = o.n, i = o.i, v = o.v, f = o.f, e = o.e
        let isInteger = n == n.rounded(.towardZero)
        switch language {
        case .english:
            // one: i = 1 and v = 0
            return i == 1 && v == 0 ? .one : .other
        case .french:
            // one: i = 0,1; many: e = 0 and i != 0 and i % 1000000 = 0 and v = 0 or e != 0..5
            if i == 0 || i == 1 { return .one }
            if (e == 0 && i != 0 && i % 1_000_000 == 0 && v == 0) || !(0...5).contains(e) { return .many }
            return .other
        case .spanish:
            // one: n = 1; many: e = 0 and i != 0 and i % 1000000 = 0 and v = 0 or e != 0..5
            if n == 1 { return .one }
            if (e == 0 && i != 0 && i % 1_000_000 == 0 && v == 0) || !(0...5).contains(e) { return .many }
            return .other
        case .punjabi:
            // one: n = 0..1 (integers 0 and 1)
            return isInteger && (n == 0 || n == 1) ? .one : .other
        case .tagalog:
            // one: v = 0 and i = 1,2,3 or v = 0 and i % 10 != 4,6,9 or v != 0 and f % 10 != 4,6,9
            if v == 0 && [1, 2, 3].contains(i) { return .one }
            if v == 0 && ![4, 6, 9].contains(i % 10) { return .one }
            if v != 0 && ![4, 6, 9].contains(f % 10) { return .one }
            return .other
        case .farsi, .hindi:
            // one: i = 0 or n = 1
            return i == 0 || n == 1 ? .one : .other
        case .arabic:
            // zero: n = 0; one: n = 1; two: n = 2; few: n % 100 = 3..10; many: n % 100 = 11..99
            if n == 0 { return .zero }
            if n == 1 { return .one }
            if n == 2 { return .two }
            if isInteger {
                let mod = Int(n) % 100
                if (3...10).contains(mod) { return .few }
                if (11...99).contains(mod) { return .many }
            }
            return .other
        case .ukrainian:
            // one: v = 0 and i % 10 = 1 and i % 100 != 11; few: v = 0 and i % 10 = 2..4 and i % 100 != 12..14;
            // many: v = 0 and (i % 10 = 0 or i % 10 = 5..9 or i % 100 = 11..14)
            guard v == 0 else { return .other }
            if i % 10 == 1 && i % 100 != 11 { return .one }
            if (2...4).contains(i % 10) && !(12...14).contains(i % 100) { return .few }
            return .many
        case .chineseSimplified, .chineseTraditional, .korean, .vietnamese, .japanese:
            return .other
        }
    }
}
