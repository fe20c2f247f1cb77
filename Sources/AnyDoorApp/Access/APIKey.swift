import AnyDoorCore
import Crypto
import Foundation

/// API keys for ministry systems: `adk_<12-character prefix>_<22-character secret>`. Shown once; only
/// the prefix and the secret's SHA-256 are kept.
enum APIKey {
    static func generate() -> (key: String, prefix: String, hash: String) {
        let prefix = String(OneTimeCodes.token().filter { $0.isLetter || $0.isNumber }.prefix(12))
        let secret = OneTimeCodes.token()
        return ("adk_\(prefix)_\(secret)", prefix, OneTimeCodes.digest(secret))
    }

    static func parse(_ token: String) -> (prefix: String, secret: String)? {
        guard token.hasPrefix("adk_") else { return nil }
        let rest = token.dropFirst(4)
        guard let separator = rest.firstIndex(of: "_") else { return nil }
        let prefix = String(rest[..<separator]), secret = String(rest[rest.index(after: separator)...])
        guard !prefix.isEmpty, !secret.isEmpty else { return nil }
        return (prefix, secret)
    }

    /// A key an operator chose (the demo Open311 client's `ANYDOOR_DEMO_API_KEY`), not in AnyDoor's own
    /// format: its row is found by a prefix derived from the key's SHA-256, then checked like any other.
    static func parseChosen(_ token: String) -> (prefix: String, secret: String)? {
        guard !token.hasPrefix("adk_"), token.count >= 16, token.count <= 200 else { return nil }
        return (chosenPrefix(token), token)
    }

    static func chosenPrefix(_ token: String) -> String {
        "x" + Hex.string(SHA256.hash(data: Data(token.utf8)).prefix(6))
    }

    static func hashBytes(_ hex: String) -> [UInt8] {
        var bytes: [UInt8] = []
        var index = hex.startIndex
        while index < hex.endIndex, let next = hex.index(index, offsetBy: 2, limitedBy: hex.endIndex) {
            bytes.append(UInt8(hex[index..<next], radix: 16) ?? 0)
            index = next
        }
        return bytes
    }
}
