import AnyDoorCore
import Crypto
import Foundation
import HummingbirdOTP

/// TOTP (RFC 6238: 6 digits, 30-second steps, SHA-1, as every authenticator app supports) and the
/// random secrets of AnyDoor's sign-in: session ids, CSRF tokens, email links and recovery codes.
enum OneTimeCodes {
    static let step: TimeInterval = 30

    /// A new TOTP secret: 32 characters (about 190 bits) from an alphabet authenticator apps accept.
    static func newTOTPSecret() -> String {
        randomString(length: 32, alphabet: Array("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"))
    }

    static func authenticatorURL(secret: String, account: String) -> String {
        TOTP(secret: secret).createAuthenticatorURL(label: "AnyDoor:\(account)", issuer: "AnyDoor")
    }

    /// The secret as authenticator apps show it for typing in by hand (base32 of the secret's bytes), in groups of four.
    static func typeableSecret(_ secret: String) -> String {
        let url = authenticatorURL(secret: secret, account: "x")
        let encoded = URLComponents(string: url)?.queryItems?.first { $0.name == "secret" }?.value ?? ""
        return stride(from: 0, to: encoded.count, by: 4).map { offset in
            let start = encoded.index(encoded.startIndex, offsetBy: offset)
            return String(encoded[start..<(encoded.index(start, offsetBy: 4, limitedBy: encoded.endIndex) ?? encoded.endIndex)])
        }.joined(separator: " ")
    }

    /// The time step `code` matches for `secret` at `time`, allowing one step of clock drift either
    /// way, or nil. The caller must refuse a step already used (single use within the window).
    static func matchingStep(code: String, secret: String, at time: Date) -> Int? {
        let digits = code.filter { !$0.isWhitespace }
        guard digits.count == 6, digits.allSatisfy(\.isASCII), let value = Int(digits) else { return nil }
        let totp = TOTP(secret: secret)
        let current = Int(time.timeIntervalSince1970 / step)
        for candidate in [current, current - 1, current + 1] where totp.compute(date: Date(timeIntervalSince1970: Double(candidate) * step)) == value {
            return candidate
        }
        return nil
    }

    static func code(secret: String, at time: Date) -> String {
        let value = TOTP(secret: secret).compute(date: time)
        let text = String(value)
        return String(repeating: "0", count: max(0, 6 - text.count)) + text
    }

    /// 128 random bits, URL-safe base64 without padding: session ids, CSRF tokens, email links.
    static func token() -> String {
        let bytes = SymmetricKey(size: .bits128).withUnsafeBytes { Data($0) }
        return bytes.base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
    }

    /// SHA-256 hex: how tokens and codes are stored.
    static func digest(_ text: String) -> String {
        Hex.string(SHA256.hash(data: Data(text.utf8)))
    }

    /// Ten recovery codes like `k7m2q-x9d4p`, from an alphabet without look-alike characters.
    static func recoveryCodes(count: Int = 10) -> [String] {
        let alphabet = Array("abcdefghjkmnpqrstuvwxyz23456789")
        return (0..<count).map { _ in randomString(length: 5, alphabet: alphabet) + "-" + randomString(length: 5, alphabet: alphabet) }
    }

    static func normaliseRecoveryCode(_ code: String) -> String {
        code.lowercased().filter { !$0.isWhitespace }
    }

    static func randomString(length: Int, alphabet: [Character]) -> String {
        var generator = SystemRandomNumberGenerator()
        return String((0..<length).map { _ in alphabet[Int.random(in: 0..<alphabet.count, using: &generator)] })
    }
}
