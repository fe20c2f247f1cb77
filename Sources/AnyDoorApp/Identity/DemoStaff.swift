import AnyDoorCore
import AnyDoorStore
import Foundation
import HummingbirdBcrypt
import NIOPosix

/// Demo staff accounts, one per role, so every staff page can be tried on a demo installation.
/// Their passwords and TOTP keys are published in the README: never load demo data in production.
public enum DemoStaff {
    static let password = "demo staff passphrase"

    /// (email local part, name, role). TOTP key of each: `DEMO` + role in capitals, padded (see README).
    static let members: [(String, String, StaffRole)] = [
        ("admin", "Alex Administrator", .administrator),
        ("counter", "Casey Counter", .counterAgent),
        ("contact", "Morgan Contact", .contactCentreAgent),
        ("manager", "Jordan Manager", .officeManager),
        ("caseworker", "Riley Caseworker", .ministryCaseworker),
        ("owner", "Sam Owner", .serviceOwner),
        ("steward", "Taylor Steward", .catalogueSteward),
        ("analyst", "Jamie Analyst", .sharedServicesAnalyst),
        ("contracts", "Drew Contracts", .contractManager),
        ("privacy", "Quinn Privacy", .privacyOfficer),
    ]

    static func email(_ local: String) -> String { "\(local)@demo.anydoor.ca" }

    /// The demo TOTP key of a role: 32 characters, letters of the role name then `A`s.
    static func totpSecret(_ role: StaffRole) -> String {
        let letters = role.rawValue.uppercased().filter(\.isLetter)
        return String((letters + String(repeating: "A", count: 32)).prefix(32))
    }

    /// Creates the demo staff that do not exist yet; returns how many were created.
    public static func seed(staff: SQLStaff, environment: AnyDoorCore.Environment, progress: (Int, Int) -> Void = { _, _ in }) async throws -> Int {
        var created = 0
        let hash = try await NIOThreadPool.singleton.runIfActive { Bcrypt.hash(password, cost: Passwords.bcryptCost) }
        for (index, member) in members.enumerated() {
            if try await staff.find(email: email(member.0)) == nil {
                try await staff.create(StaffAccount(id: StaffID(rawValue: environment.makeID()), email: email(member.0), name: member.1,
                                                    passwordHash: hash, totpSecret: totpSecret(member.2), roles: [RoleAssignment(member.2)]),
                                       createdAt: environment.now())
                created += 1
            }
            progress(index + 1, members.count)
        }
        return created
    }
}
