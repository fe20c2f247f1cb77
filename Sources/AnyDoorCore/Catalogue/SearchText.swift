import Foundation

/// Search normalisation shared by stored text and queries (docs/design/catalogue-search.md section 2.1).
/// Both databases only run exact `LIKE '%…%'` tests over text normalised here, so they rank alike.
public enum SearchText {
    /// Bumped whenever the normalisation or the layout of the search rows changes; the store rebuilds its
    /// search rows when it differs (2: language-major row ids).
    public static let version = 2

    /// The normalised tokens of `text`: NFKC, lower case, Latin accents and Arabic harakat removed, digits in
    /// ASCII, punctuation as spaces, split between CJK and other scripts.
    public static func tokens(_ text: String) -> [String] {
        let folded = text.precomposedStringWithCompatibilityMapping.lowercased().decomposedStringWithCanonicalMapping
        var scalars = String.UnicodeScalarView()
        var previousBaseIsLatin = false
        for scalar in folded.unicodeScalars {
            let properties = scalar.properties
            if properties.generalCategory == .nonspacingMark {
                if previousBaseIsLatin { continue }
            } else {
                previousBaseIsLatin = scalar.value <= 0x024F || (0x1E00...0x1EFF).contains(scalar.value)
            }
            if (0x064B...0x065F).contains(scalar.value) || scalar.value == 0x0670 || scalar.value == 0x0640 || scalar.value == 0x200D { continue }
            if properties.numericType == .decimal, let digit = properties.numericValue {
                scalars.append(Unicode.Scalar(UInt8(48 + Int(digit))))
                continue
            }
            switch properties.generalCategory {
            case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter,
                 .nonspacingMark, .spacingMark, .enclosingMark, .decimalNumber, .letterNumber, .otherNumber:
                scalars.append(scalar)
            default:
                scalars.append(" ")
            }
        }
        var mapped = ""
        for character in String(scalars).precomposedStringWithCanonicalMapping.unicodeScalars {
            switch character {
            case "đ": mapped += "d"
            case "ł": mapped += "l"
            case "ø": mapped += "o"
            case "æ": mapped += "ae"
            case "œ": mapped += "oe"
            case "ı": mapped += "i"
            case "ħ": mapped += "h"
            case "þ": mapped += "th"
            case "ð": mapped += "d"
            case "ß": mapped += "ss"
            case "ي", "ى": mapped += "ی"
            case "ك": mapped += "ک"
            case "أ", "إ", "آ", "ٱ": mapped += "ا"
            default: mapped.unicodeScalars.append(character)
            }
        }
        var tokens: [String] = []
        for word in mapped.split(separator: " ") {
            var current = "", currentIsCJK: Bool?
            for scalar in word.unicodeScalars {
                let cjk = isCJK(scalar)
                if let currentIsCJK, currentIsCJK != cjk, !current.isEmpty {
                    tokens.append(current)
                    current = ""
                }
                current.unicodeScalars.append(scalar)
                currentIsCJK = cjk
            }
            if !current.isEmpty { tokens.append(current) }
        }
        return tokens
    }

    /// Hiragana, Katakana, CJK ideographs (with extension A, compatibility forms and the supplementary
    /// planes) and Hangul syllables: scripts written without spaces between words.
    public static func isCJK(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x3040...0x30FF, 0x31F0...0x31FF, 0x3400...0x4DBF, 0x4E00...0x9FFF, 0xF900...0xFAFF,
             0xAC00...0xD7AF, 0xFF66...0xFF9F, 0x20000...0x3FFFF: true
        default: false
        }
    }

    static func isCJKToken(_ token: String) -> Bool { token.unicodeScalars.first.map(isCJK) ?? false }

    /// Display form used for ranking: tokens joined by one space, with a space at each end (`' renew a licence '`).
    public static func rankForm(_ text: String) -> String {
        let tokens = tokens(text)
        return tokens.isEmpty ? " " : " " + tokens.joined(separator: " ") + " "
    }

    /// Index form: tokens joined by two spaces with two at each end; a CJK run becomes its overlapping
    /// bigrams and its last character (`出生登记` -> `  出生  生登  登记  记  `).
    public static func indexForm(_ text: String) -> String {
        var parts: [String] = []
        for token in tokens(text) {
            if isCJKToken(token) {
                let characters = Array(token.unicodeScalars)
                for index in characters.indices.dropLast() {
                    var bigram = String.UnicodeScalarView()
                    bigram.append(characters[index]); bigram.append(characters[index + 1])
                    parts.append(String(bigram))
                }
                parts.append(String(characters.last!))
            } else {
                parts.append(token)
            }
        }
        return "  " + parts.joined(separator: "  ") + "  "
    }
}

/// A normalised search query: the tokens and the LIKE patterns that must all match
/// (docs/design/catalogue-search.md section 2.3). Patterns never contain `%`, `_`, `\`, quotes, `|` or `#`
/// from the query, so no ESCAPE clause is needed (which would turn the FTS5 index off).
public struct SearchQuery: Sendable, Equatable {
    public struct Token: Sendable, Equatable {
        public var text: String
        public var isCJK: Bool
        /// The LIKE patterns that must all match the index form.
        public var patterns: [String]
    }

    public let tokens: [Token]
    public static let maxTokens = 8

    public init(_ text: String) {
        var tokens: [Token] = []
        for token in SearchText.tokens(String(text.prefix(200))).prefix(Self.maxTokens) {
            let scalars = Array(token.unicodeScalars)
            if SearchText.isCJKToken(token) {
                if scalars.count == 1 {
                    tokens.append(Token(text: token, isCJK: true, patterns: ["%  \(token)%"]))
                } else {
                    var patterns: [String] = []
                    for index in scalars.indices.dropLast() {
                        var bigram = String.UnicodeScalarView()
                        bigram.append(scalars[index]); bigram.append(scalars[index + 1])
                        let pattern = "%  \(String(bigram))  %"
                        if !patterns.contains(pattern) { patterns.append(pattern) }
                    }
                    tokens.append(Token(text: token, isCJK: true, patterns: patterns))
                }
            } else if scalars.count >= 3 {
                tokens.append(Token(text: token, isCJK: false, patterns: ["%\(token)%"]))
            } else {
                tokens.append(Token(text: token, isCJK: false, patterns: ["%  \(token)%"]))
            }
        }
        self.tokens = tokens
    }

    public var isEmpty: Bool { tokens.isEmpty }
    public var patterns: [String] { tokens.flatMap(\.patterns) }
}
