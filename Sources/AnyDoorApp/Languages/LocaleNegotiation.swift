import AnyDoorCore

/// Chooses the response language (REFERENCE.md section 9): the person's saved preference, then `?lang=`,
/// then `Accept-Language` in order of quality, each tag tried along its fallback chain
/// (`pa-Guru-CA` -> `pa-Guru` -> `pa`), then English.
enum LocaleNegotiation {
    static func choose(saved: LanguageCode? = nil, query: String?, acceptLanguage: String?) -> LanguageCode {
        if let saved { return saved }
        if let query, let language = match(query) { return language }
        for tag in preferences(acceptLanguage ?? "") {
            if let language = match(tag) { return language }
        }
        return .base
    }

    /// Maps a BCP 47 tag to a served language by walking its fallback chain. Chinese needs the script:
    /// `zh-TW`, `zh-HK` and `zh-MO` (and `yue`) mean Traditional, other `zh` Simplified; `fil` is Tagalog.
    static func match(_ tag: String) -> LanguageCode? {
        let subtags = tag.split(separator: "-").map { $0.lowercased() }
        guard let primary = subtags.first, !primary.isEmpty else { return nil }
        if primary == "zh" || primary == "yue" || primary == "cmn" {
            if subtags.contains("hant") || subtags.contains("tw") || subtags.contains("hk") || subtags.contains("mo") || primary == "yue" {
                return .chineseTraditional
            }
            return .chineseSimplified
        }
        if primary == "fil" { return .tagalog }
        if primary == "pes" { return .farsi }
        var chain = subtags
        while !chain.isEmpty {
            let candidate = chain.joined(separator: "-")
            if let language = LanguageCode.allCases.first(where: { $0.rawValue.lowercased() == candidate }) { return language }
            chain.removeLast()
        }
        return nil
    }

    /// `Accept-Language` tags ordered by quality (RFC 9110 section 12.5.4), dropping `q=0` and `*`.
    static func preferences(_ header: String) -> [String] {
        let weighted: [(tag: String, quality: Double, index: Int)] = header.split(separator: ",").enumerated().compactMap { index, part in
            let pieces = part.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }
            guard let tag = pieces.first, !tag.isEmpty, tag != "*" else { return nil }
            var quality = 1.0
            for parameter in pieces.dropFirst() where parameter.hasPrefix("q=") {
                quality = Double(parameter.dropFirst(2)) ?? 0
            }
            return quality > 0 ? (tag, quality, index) : nil
        }
        return weighted.sorted { $0.quality != $1.quality ? $0.quality > $1.quality : $0.index < $1.index }.map(\.tag)
    }
}
