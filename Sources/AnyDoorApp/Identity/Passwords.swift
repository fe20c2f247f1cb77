import AnyDoorCore
import Foundation
import HummingbirdBcrypt
import NIOPosix

/// Hashing and checking passwords with bcrypt (cost 12, REFERENCE.md section 6). bcrypt is slow by
/// design, so it runs on the blocking thread pool, never on an event loop.
struct Passwords: Sendable {
    let policy: PasswordPolicy
    let cost: UInt8
    /// A hash of a random password nobody knows, verified when the account does not exist, so a wrong
    /// email and a wrong password take the same time and cannot be told apart.
    let decoy: String

    public static let bcryptCost: UInt8 = 12

    init(blocklistFile: URL, cost: UInt8 = Passwords.bcryptCost) throws {
        let words = try String(contentsOf: blocklistFile, encoding: .utf8)
            .split(whereSeparator: \.isNewline)
            .map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
            .filter { !$0.isEmpty && !$0.hasPrefix("#") }
        self.policy = PasswordPolicy(blocklist: Set(words + words.map { $0.filter(\.isLetter) }.filter { $0.count >= 8 }))
        self.cost = cost
        self.decoy = Bcrypt.hash(OneTimeCodes.token(), cost: cost)
    }

    func hash(_ password: String) async throws -> String {
        let cost = self.cost
        return try await NIOThreadPool.singleton.runIfActive { Bcrypt.hash(password, cost: cost) }
    }

    func verify(_ password: String, hash: String) async throws -> Bool {
        try await NIOThreadPool.singleton.runIfActive { Bcrypt.verify(password, hash: hash) }
    }

}
