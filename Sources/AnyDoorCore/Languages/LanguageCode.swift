/// A language AnyDoor serves, by its BCP 47 tag. REFERENCE.md section 9 lists the fourteen languages
/// BC serves first; the order here is the order of the language switcher.
public enum LanguageCode: String, CaseIterable, Codable, Sendable, Comparable {
    case english = "en"
    case french = "fr"
    case chineseSimplified = "zh-Hans"
    case chineseTraditional = "zh-Hant"
    case punjabi = "pa"
    case tagalog = "tl"
    case korean = "ko"
    case farsi = "fa"
    case arabic = "ar"
    case vietnamese = "vi"
    case spanish = "es"
    case hindi = "hi"
    case japanese = "ja"
    case ukrainian = "uk"

    /// The language every text must exist in, and the last step of every fallback chain.
    public static let base: LanguageCode = .english

    /// Whether the script is written right to left (Perso-Arabic scripts here).
    public var isRightToLeft: Bool { self == .farsi || self == .arabic }

    /// The language's own name for itself, as a language switcher shows it.
    public var endonym: String {
        switch self {
        case .english: "English"
        case .french: "Français"
        case .chineseSimplified: "简体中文"
        case .chineseTraditional: "繁體中文"
        case .punjabi: "ਪੰਜਾਬੀ"
        case .tagalog: "Tagalog"
        case .korean: "한국어"
        case .farsi: "فارسی"
        case .arabic: "العربية"
        case .vietnamese: "Tiếng Việt"
        case .spanish: "Español"
        case .hindi: "हिन्दी"
        case .japanese: "日本語"
        case .ukrainian: "Українська"
        }
    }

    public static func < (lhs: LanguageCode, rhs: LanguageCode) -> Bool {
        allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
    }
}
