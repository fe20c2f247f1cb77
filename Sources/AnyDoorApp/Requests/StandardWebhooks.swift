import Crypto
import Foundation

/// Standard Webhooks 1.0 signatures (REFERENCE.md section 4): `webhook-signature` is a space-separated list
/// of `v1,<base64 HMAC-SHA256(secret, "{id}.{timestamp}.{body}")>`, the secret written `whsec_<base64>`.
enum StandardWebhooks {
    enum Failure: Error, Equatable, CustomStringConvertible {
        case malformedSecret
        case missingHeaders
        case timestampOutOfTolerance
        case noMatchingSignature

        var description: String {
            switch self {
            case .malformedSecret: "The secret is not whsec_ followed by base64."
            case .missingHeaders: "webhook-id, webhook-timestamp and webhook-signature are all required."
            case .timestampOutOfTolerance: "webhook-timestamp is more than five minutes from now."
            case .noMatchingSignature: "No v1 signature matches."
            }
        }
    }

    /// Receivers accept this much clock skew either way.
    static let tolerance: TimeInterval = 300

    static func key(_ secret: String) throws(Failure) -> SymmetricKey {
        let encoded = secret.hasPrefix("whsec_") ? String(secret.dropFirst(6)) : secret
        guard let bytes = Data(base64Encoded: encoded), !bytes.isEmpty else { throw .malformedSecret }
        return SymmetricKey(data: bytes)
    }

    /// The `v1,<base64>` signature of one message.
    static func sign(secret: String, id: String, timestamp: Int, body: Data) throws(Failure) -> String {
        var content = Data("\(id).\(timestamp).".utf8)
        content.append(body)
        let mac = HMAC<SHA256>.authenticationCode(for: content, using: try key(secret))
        return "v1," + Data(mac).base64EncodedString()
    }

    /// Checks a received message as a receiver must: timestamp within tolerance, then any `v1` signature in the
    /// header matching, compared in constant time (HMAC's own `isValidAuthenticationCode`).
    static func verify(secret: String, id: String?, timestamp: String?, signatures: String?, body: Data, now: Date) throws(Failure) {
        guard let id, let timestamp, let signatures, let seconds = Int(timestamp) else { throw .missingHeaders }
        guard abs(now.timeIntervalSince1970 - TimeInterval(seconds)) <= tolerance else { throw .timestampOutOfTolerance }
        var content = Data("\(id).\(seconds).".utf8)
        content.append(body)
        let key = try key(secret)
        for candidate in signatures.split(separator: " ") {
            let parts = candidate.split(separator: ",", maxSplits: 1)
            guard parts.count == 2, parts[0] == "v1", let mac = Data(base64Encoded: String(parts[1])) else { continue }
            if HMAC<SHA256>.isValidAuthenticationCode(mac, authenticating: content, using: key) { return }
        }
        throw .noMatchingSignature
    }
}
