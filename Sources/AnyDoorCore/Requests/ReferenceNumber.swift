import Foundation

/// A request's reference, short enough to read over the phone: eight Crockford base-32 symbols and a check
/// symbol, written `4K7M-2QX9-T`. The alphabet has no I, L, O or U, so nothing is mistaken for 1, 0 or V;
/// parsing accepts lower case, spaces and dashes anywhere, and reads I and L as 1 and O as 0, as Crockford's
/// encoding says. The check symbol catches any single wrong symbol and most swapped neighbours.
public struct ReferenceNumber: Hashable, Sendable, Codable, CustomStringConvertible {
    static let alphabet = Array("0123456789ABCDEFGHJKMNPQRSTVWXYZ")
    /// The eight data symbols' values (0-31).
    let digits: [Int]

    init(digits: [Int]) { self.digits = digits }

    /// A new random reference (40 bits: collisions are caught by the store's unique index and retried).
    public static func random<G: RandomNumberGenerator>(using generator: inout G) -> ReferenceNumber {
        ReferenceNumber(digits: (0..<8).map { _ in Int.random(in: 0..<32, using: &generator) })
    }

    public static func random() -> ReferenceNumber {
        var generator = SystemRandomNumberGenerator()
        return random(using: &generator)
    }

    /// Odd weights are invertible modulo 32, so changing any one symbol changes the sum.
    static func check(_ digits: [Int]) -> Int {
        digits.enumerated().reduce(0) { $0 + $1.element * (2 * $1.offset + 1) } % 32
    }

    /// Reads a reference as a person typed or said it; `nil` when it is not one (wrong length, a symbol
    /// outside the alphabet, or a check symbol that does not match).
    public init?(_ text: String) {
        var values: [Int] = []
        for character in text.uppercased() {
            if character == "-" || character == " " { continue }
            let normal: Character
            switch character {
            case "I", "L": normal = "1"
            case "O": normal = "0"
            default: normal = character
            }
            guard let value = Self.alphabet.firstIndex(of: normal) else { return nil }
            values.append(value)
        }
        guard values.count == 9, Self.check(Array(values.prefix(8))) == values[8] else { return nil }
        digits = Array(values.prefix(8))
    }

    public var description: String {
        let symbols = (digits + [Self.check(digits)]).map { Self.alphabet[$0] }
        return String(symbols[0..<4]) + "-" + String(symbols[4..<8]) + "-" + String(symbols[8])
    }

    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let reference = ReferenceNumber(text) else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "Not a reference number"))
        }
        self = reference
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}
