import AnyDoorCore
import AnyDoorStore
import Foundation
import HummingbirdBcrypt
import NIOPosix

/// Creating staff accounts from the command line (`anydoor staff add`): validated, audited, and with a
/// fresh TOTP key that is shown once.
public enum StaffAccounts {
    public enum Problem: Error, CustomStringConvertible {
        case invalid(String)
        public var description: String {
            switch self { case .invalid(let message): message }
        }
    }

    /// Returns the normalised email and the TOTP key (as authenticator apps take it).
    public static func create(services: AppServices, email: String, name: String, roles: [String], password: String) async throws -> (String, String) {
        let email = email.trimmingCharacters(in: .whitespaces).lowercased()
        guard MinistryRules.isPlausibleEmail(email) else { throw Problem.invalid("--email is not an email address") }
        let name = name.trimmingCharacters(in: .whitespaces)
        guard !name.isEmpty, name.count <= 200 else { throw Problem.invalid("--name must be 1 to 200 characters") }
        guard !roles.isEmpty else { throw Problem.invalid("give at least one --role") }
        var assignments: [RoleAssignment] = []
        for text in roles {
            let parts = text.split(separator: ":", maxSplits: 1).map(String.init)
            guard let role = StaffRole(rawValue: parts[0]) else { throw Problem.invalid("unknown role '\(parts[0])'") }
            if parts.count == 2 {
                guard let code = MinistryCode(parts[1]), let ministry = try await services.ministries.find(code: code) else {
                    throw Problem.invalid("no ministry with code '\(parts[1])'")
                }
                assignments.append(RoleAssignment(role, scope: .ministry(ministry.id)))
            } else {
                assignments.append(RoleAssignment(role))
            }
        }
        do {
            try PasswordPolicy(blocklist: []).check(password, email: email, hasSecondFactor: true)
        } catch {
            throw Problem.invalid("password: " + error.errors.map(\.message).joined(separator: " "))
        }
        let hash = try await NIOThreadPool.singleton.runIfActive { Bcrypt.hash(password, cost: Passwords.bcryptCost) }
        let secret = OneTimeCodes.newTOTPSecret()
        let id = StaffID(rawValue: UUID())
        do {
            try await SQLStaff(database: services.database, keys: services.keys).create(
                StaffAccount(id: id, email: email, name: name, passwordHash: hash, totpSecret: secret, roles: assignments), createdAt: Date())
        } catch AccountError.emailTaken {
            throw Problem.invalid("a staff account with this email already exists")
        }
        try await SQLAuditLog(database: services.database, keys: services.keys).append(AuditEntry(
            at: Date(), actor: "system", action: "staff.created", target: "staff:\(id)", channel: .system,
            detail: "roles: \(assignments.map(\.role.rawValue).joined(separator: ","))"))
        return (email, OneTimeCodes.typeableSecret(secret))
    }
}
