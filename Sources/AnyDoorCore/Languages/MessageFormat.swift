import Foundation

/// A small ICU MessageFormat: `{name}` arguments, `{count, plural, =0 {…} one {# item} other {# items}}`
/// (with `#` for the formatted number and CLDR categories from ``PluralRules``), and
/// `{kind, select, a {…} other {…}}`, nested to any depth. Written here because no listed Swift package
/// formats ICU messages on Linux (corelibs Foundation has no `String(localized:)`).
public struct MessageFormat: Sendable {
    public let language: LanguageCode
    /// How `#` shows a number (for example with the locale's digits and grouping).
    public let formatNumber: @Sendable (Int) -> String

    public init(language: LanguageCode, formatNumber: @escaping @Sendable (Int) -> String = { String($0) }) {
        self.language = language
        self.formatNumber = formatNumber
    }

    public enum Problem: Error, Equatable, Sendable {
        case unbalancedBraces
        case missingOther(String)
        case badArgument(String)
    }

    /// Formats `pattern` with `arguments`. A missing argument is left as `{name}` so a gap is visible.
    public func format(_ pattern: String, _ arguments: [String: String]) throws(Problem) -> String {
        var scanner = Array(pattern)
        var index = 0
        return try render(&scanner, &index, arguments, pound: nil, depth: 0)
    }

    /// The argument names a pattern uses, at any depth, for checking translations keep the same ones.
    public static func argumentNames(_ pattern: String) -> Set<String> {
        var names = Set<String>()
        var chars = Array(pattern)
        var index = 0
        collect(&chars, &index, into: &names)
        return names
    }

    /// Walks message text; at each `{` reads one argument (name, and for plural/select each option's message).
    private static func collect(_ chars: inout [Character], _ index: inout Int, into names: inout Set<String>) {
        while index < chars.count {
            if chars[index] == "}" { return }
            if chars[index] == "{" {
                index += 1
                var name = ""
                while index < chars.count, chars[index] != "}", chars[index] != "," { name.append(chars[index]); index += 1 }
                names.insert(name.trimmingCharacters(in: .whitespaces))
                guard index < chars.count else { return }
                if chars[index] == "," {
                    index += 1
                    while index < chars.count, chars[index] != ",", chars[index] != "}" { index += 1 } // the type
                    if index < chars.count, chars[index] == "," {
                        index += 1
                        // options: selector {message} ... }
                        while index < chars.count, chars[index] != "}" {
                            if chars[index] == "{" {
                                index += 1
                                collect(&chars, &index, into: &names)
                            }
                            index += 1
                        }
                    }
                }
            }
            index += 1
        }
    }

    private func render(_ chars: inout [Character], _ index: inout Int, _ arguments: [String: String], pound: Int?, depth: Int) throws(Problem) -> String {
        var output = ""
        while index < chars.count {
            let character = chars[index]
            if character == "}" {
                guard depth > 0 else { throw .unbalancedBraces }
                return output
            }
            if character == "#", let pound {
                output += formatNumber(pound)
                index += 1
                continue
            }
            if character == "{" {
                index += 1
                output += try argument(&chars, &index, arguments, pound: pound, depth: depth)
                continue
            }
            output.append(character)
            index += 1
        }
        guard depth == 0 else { throw .unbalancedBraces }
        return output
    }

    private func argument(_ chars: inout [Character], _ index: inout Int, _ arguments: [String: String], pound: Int?, depth: Int) throws(Problem) -> String {
        var name = ""
        while index < chars.count, chars[index] != "}", chars[index] != "," { name.append(chars[index]); index += 1 }
        name = name.trimmingCharacters(in: .whitespaces)
        guard index < chars.count else { throw .unbalancedBraces }
        if chars[index] == "}" {
            index += 1
            return arguments[name] ?? "{\(name)}"
        }
        index += 1 // ,
        var kind = ""
        while index < chars.count, chars[index] != "," , chars[index] != "}" { kind.append(chars[index]); index += 1 }
        kind = kind.trimmingCharacters(in: .whitespaces)
        guard index < chars.count, chars[index] == "," else { throw .badArgument(name) }
        index += 1
        // Read the options: selector {message} ...
        var options: [(String, Int)] = [] // selector and the index where its message starts
        var bodies: [String: String] = [:]
        var closed = false
        while index < chars.count {
            while index < chars.count, chars[index].isWhitespace { index += 1 }
            guard index < chars.count else { throw .unbalancedBraces }
            if chars[index] == "}" { index += 1; closed = true; break }
            var selector = ""
            while index < chars.count, chars[index] != "{", !chars[index].isWhitespace { selector.append(chars[index]); index += 1 }
            while index < chars.count, chars[index].isWhitespace { index += 1 }
            guard index < chars.count, chars[index] == "{" else { throw .badArgument(name) }
            index += 1
            options.append((selector, index))
            // Skip to the matching brace, keeping the raw text for rendering later.
            var level = 1
            var raw = ""
            while index < chars.count {
                if chars[index] == "{" { level += 1 }
                if chars[index] == "}" { level -= 1; if level == 0 { break } }
                raw.append(chars[index])
                index += 1
            }
            guard index < chars.count else { throw .unbalancedBraces }
            index += 1
            bodies[selector] = raw
        }
        guard closed else { throw .unbalancedBraces }
        guard bodies["other"] != nil else { throw .missingOther(name) }
        let value = arguments[name]
        let chosen: String
        var nextPound = pound
        switch kind {
        case "plural":
            guard let value, let number = Int(value) else { throw .badArgument(name) }
            let category = PluralRules.category(number, in: language)
            chosen = bodies["=\(number)"] ?? bodies[category.rawValue] ?? bodies["other"]!
            nextPound = number
        case "select":
            chosen = value.flatMap { bodies[$0] } ?? bodies["other"]!
        default:
            throw .badArgument(name)
        }
        var inner = Array(chosen)
        var innerIndex = 0
        return try render(&inner, &innerIndex, arguments, pound: nextPound, depth: 0)
    }
}
