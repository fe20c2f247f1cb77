import AnyDoorCore
import Crypto
import Foundation

/// The keys that protect personal information at rest.
///
/// - Data keys (AES-256-GCM) encrypt personal fields. The first is current and encrypts; all decrypt,
///   so `anydoor keys rotate` can re-encrypt everything under a new key and then retire the old one.
/// - The index key (HMAC-SHA256) makes blind indexes, so an encrypted email can still be looked up
///   and kept unique without storing it in clear; and derives the audit log's chaining key.
///
/// Configured as `ANYDOOR_DATA_KEYS="k2:<base64 32 bytes>,k1:<base64>"` and
/// `ANYDOOR_INDEX_KEY="<base64 32 bytes>"`. On the embedded database with neither set, a key file is
/// made in the data folder on first start (mode 0600) so the demo needs no set-up.
public struct KeyRing: Sendable {
    public struct DataKey: Sendable {
        public let id: String
        let key: SymmetricKey
    }

    public let dataKeys: [DataKey]
    let indexKey: SymmetricKey

    public var currentKeyID: String { dataKeys[0].id }

    public init(dataKeys: [(id: String, key: Data)], indexKey: Data) throws(KeyRingError) {
        guard !dataKeys.isEmpty else { throw .noDataKey }
        for (id, key) in dataKeys {
            guard key.count == 32 else { throw .wrongKeyLength(id) }
            guard !id.isEmpty, id.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "-" }) else { throw .invalidKeyID(id) }
        }
        guard Set(dataKeys.map(\.id)).count == dataKeys.count else { throw .duplicateKeyID }
        guard indexKey.count == 32 else { throw .wrongKeyLength("index") }
        self.dataKeys = dataKeys.map { DataKey(id: $0.id, key: SymmetricKey(data: $0.key)) }
        self.indexKey = SymmetricKey(data: indexKey)
    }

    /// Parses the configuration variables' format.
    public static func parse(dataKeys: String, indexKey: String) throws(KeyRingError) -> KeyRing {
        var keys: [(id: String, key: Data)] = []
        for entry in dataKeys.split(separator: ",") {
            let parts = entry.split(separator: ":", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            guard parts.count == 2, let key = Data(base64Encoded: parts[1]) else { throw .unparseable("ANYDOOR_DATA_KEYS") }
            keys.append((parts[0], key))
        }
        guard let index = Data(base64Encoded: indexKey.trimmingCharacters(in: .whitespaces)) else { throw .unparseable("ANYDOOR_INDEX_KEY") }
        return try KeyRing(dataKeys: keys, indexKey: index)
    }

    /// A fresh random 256-bit key, base64.
    public static func generateKeyText() -> String {
        SymmetricKey(size: .bits256).withUnsafeBytes { Data($0).base64EncodedString() }
    }

    /// Encrypts `plaintext` with the current key: `<key id>:<base64(nonce|ciphertext|tag)>`.
    /// `context` (for example `people.email`) is bound as additional data, so a value cannot be moved
    /// to another column and still decrypt.
    public func seal(_ plaintext: String, context: String) throws -> String {
        let current = dataKeys[0]
        let box = try AES.GCM.seal(Data(plaintext.utf8), using: current.key, authenticating: Data(context.utf8))
        guard let combined = box.combined else { throw KeyRingError.sealFailed }
        return "\(current.id):\(combined.base64EncodedString())"
    }

    /// Decrypts a value made by ``seal(_:context:)`` with whichever key made it.
    public func open(_ sealed: String, context: String) throws -> String {
        let parts = sealed.split(separator: ":", maxSplits: 1)
        guard parts.count == 2, let data = Data(base64Encoded: String(parts[1])) else { throw KeyRingError.corruptCiphertext }
        guard let key = dataKeys.first(where: { $0.id == parts[0] }) else { throw KeyRingError.unknownKey(String(parts[0])) }
        let box = try AES.GCM.SealedBox(combined: data)
        let plain = try AES.GCM.open(box, using: key.key, authenticating: Data(context.utf8))
        guard let text = String(data: plain, encoding: .utf8) else { throw KeyRingError.corruptCiphertext }
        return text
    }

    /// Encrypts bytes (a document) like ``seal(_:context:)``: `<key id>:` in ASCII, then nonce, ciphertext and tag.
    public func seal(data plaintext: Data, context: String) throws -> Data {
        let current = dataKeys[0]
        let box = try AES.GCM.seal(plaintext, using: current.key, authenticating: Data(context.utf8))
        guard let combined = box.combined else { throw KeyRingError.sealFailed }
        return Data("\(current.id):".utf8) + combined
    }

    /// Decrypts bytes made by ``seal(data:context:)``.
    public func open(data sealed: Data, context: String) throws -> Data {
        guard let colon = sealed.prefix(64).firstIndex(of: UInt8(ascii: ":")),
              let id = String(data: sealed[sealed.startIndex..<colon], encoding: .utf8) else { throw KeyRingError.corruptCiphertext }
        guard let key = dataKeys.first(where: { $0.id == id }) else { throw KeyRingError.unknownKey(id) }
        let box = try AES.GCM.SealedBox(combined: sealed[sealed.index(after: colon)...])
        return try AES.GCM.open(box, using: key.key, authenticating: Data(context.utf8))
    }

    /// The key id sealed bytes were made with.
    public static func keyID(of sealed: Data) -> String? {
        sealed.prefix(64).firstIndex(of: UInt8(ascii: ":")).flatMap { String(data: sealed[sealed.startIndex..<$0], encoding: .utf8) }
    }

    /// The key id a sealed value was made with.
    public static func keyID(of sealed: String) -> String? {
        sealed.split(separator: ":", maxSplits: 1).first.map(String.init)
    }

    /// A blind index: HMAC-SHA256 of the normalised value under the index key, hex. Equal inputs give
    /// equal indexes; the value cannot be recovered from it without the key.
    public func blindIndex(_ value: String, context: String) -> String {
        let mac = HMAC<SHA256>.authenticationCode(for: Data("\(context)\u{0}\(value)".utf8), using: indexKey)
        return Hex.string(mac)
    }

    /// The key that chains audit entries (derived, so it is never the same as the index key).
    var auditKey: SymmetricKey {
        HKDF<SHA256>.deriveKey(inputKeyMaterial: indexKey, info: Data("anydoor audit chain v1".utf8), outputByteCount: 32)
    }
}

public enum KeyRingError: Error, CustomStringConvertible, Equatable {
    case noDataKey, duplicateKeyID, sealFailed, corruptCiphertext
    case wrongKeyLength(String), invalidKeyID(String), unparseable(String), unknownKey(String)
    case missingForPostgres

    public var description: String {
        switch self {
        case .noDataKey: "ANYDOOR_DATA_KEYS names no key"
        case .duplicateKeyID: "ANYDOOR_DATA_KEYS names the same key id twice"
        case .sealFailed: "encryption failed"
        case .corruptCiphertext: "an encrypted value is corrupt"
        case .wrongKeyLength(let id): "key '\(id)' is not 32 bytes of base64"
        case .invalidKeyID(let id): "key id '\(id)' must be letters, digits or '-'"
        case .unparseable(let variable): "\(variable) is not in the expected format"
        case .unknownKey(let id): "a value is encrypted with key '\(id)', which is not configured"
        case .missingForPostgres: "on PostgreSQL, set ANYDOOR_DATA_KEYS and ANYDOOR_INDEX_KEY (the same on every node)"
        }
    }
}
