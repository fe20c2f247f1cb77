import AnyDoorCore
import AnyDoorStore
import Foundation
import SQLKit

/// Accounts and sign-in: registration, email verification, password and TOTP sign-in with recovery
/// codes, throttling, password reset, sessions. Every change is audited in the same transaction.
struct IdentityService: Sendable {
    let database: Database
    let keys: KeyRing
    let people: SQLPeople
    let staff: SQLStaff
    let sessions: SQLSessions
    let secrets: SQLOneTimeSecrets
    let outbox: SQLOutbox
    let audit: SQLAuditLog
    let passwords: Passwords
    let lifetime: SessionLifetime
    let throttle: SignInThrottle
    let environment: AnyDoorCore.Environment
    let mail: Mail

    init(database: Database, keys: KeyRing, passwords: Passwords, mail: Mail, environment: AnyDoorCore.Environment,
         lifetime: SessionLifetime = SessionLifetime(), throttle: SignInThrottle = SignInThrottle()) {
        self.database = database
        self.keys = keys
        self.people = SQLPeople(database: database, keys: keys)
        self.staff = SQLStaff(database: database, keys: keys)
        self.sessions = SQLSessions(database: database)
        self.secrets = SQLOneTimeSecrets(database: database)
        self.outbox = SQLOutbox(database: database, keys: keys)
        self.audit = SQLAuditLog(database: database, keys: keys)
        self.passwords = passwords
        self.lifetime = lifetime
        self.throttle = throttle
        self.environment = environment
        self.mail = mail
    }

    var now: Date { environment.now() }

    // MARK: - Registration

    struct Registration: Sendable {
        var email: String
        var name: String
        var password: String
        var language: LanguageCode
    }

    /// Registers a person at assurance level 1 and emails a verification link. When the address already
    /// has an account, nothing is created and its owner is told by email instead, so the form never
    /// reveals who has an account. Returns the new session token, or nil when the address was taken.
    func register(_ registration: Registration, device: String) async throws -> String? {
        var problems = ValidationCollector()
        let email = registration.email.trimmingCharacters(in: .whitespacesAndNewlines)
        let name = registration.name.trimmingCharacters(in: .whitespacesAndNewlines)
        if email.isEmpty { problems.add("email", "required", "Enter your email address.") }
        else if !MinistryRules.isPlausibleEmail(email) || email.count > 254 { problems.add("email", "invalidFormat", "Enter an email address in the right format, like name@example.com.") }
        if name.isEmpty { problems.add("name", "required", "Enter your full name.") }
        else if name.count > 200 { problems.add("name", "tooLong", "Your name can be at most 200 characters.") }
        do {
            try passwords.policy.check(registration.password, email: email, hasSecondFactor: false)
        } catch {
            error.errors.forEach { problems.add($0.field, $0.code, $0.message) }
        }
        try problems.check()

        let hash = try await passwords.hash(registration.password)
        let person = Person(id: PersonID(rawValue: environment.makeID()), email: email, name: name, preferredLanguage: registration.language,
                            assurance: .selfAsserted, emailVerifiedAt: nil, createdAt: now)
        let verifyToken = OneTimeCodes.token()
        let now = self.now
        do {
            return try await database.transaction { sql in
                try await people.create(person, passwordHash: hash, on: sql)
                try await secrets.storeEmailToken(hash: OneTimeCodes.digest(verifyToken), person: person.id, purpose: "verify-email", expires: now.addingTimeInterval(24 * 3600), on: sql)
                try await outbox.enqueue(mail.verifyEmail(to: email, language: registration.language, link: "/verify-email/\(verifyToken)", id: environment.makeID(), at: now), on: sql)
                try await audit.append(AuditEntry(at: now, actor: "person:\(person.id)", action: "account.registered", target: "person:\(person.id)", channel: .online), on: sql)
                return try await startSession(kind: .person, subject: person.id.rawValue, level: .singleFactor, awaitingSecondFactor: false, device: device, on: sql)
            }
        } catch AccountError.emailTaken {
            try await database.transaction { sql in
                try await outbox.enqueue(mail.alreadyRegistered(to: email, language: registration.language, id: environment.makeID(), at: now), on: sql)
            }
            return nil
        }
    }

    /// Marks the address verified when the emailed link is used (once, within 24 hours).
    func verifyEmail(token: String) async throws -> Bool {
        let now = self.now
        return try await database.transaction { sql in
            guard let person = try await secrets.consumeEmailToken(hash: OneTimeCodes.digest(token), purpose: "verify-email", now: now, on: sql) else { return false }
            try await people.markEmailVerified(person, at: now, on: sql)
            try await audit.append(AuditEntry(at: now, actor: "person:\(person)", action: "account.email-verified", target: "person:\(person)", channel: .online), on: sql)
            return true
        }
    }

    // MARK: - Sign-in

    enum SignInOutcome: Sendable, Equatable {
        /// Signed in; the session token goes in the cookie.
        case signedIn(token: String)
        /// Password accepted; the session waits for the second factor.
        case needsSecondFactor(token: String)
        case wrongCredentials
        /// Too many failures for this account or address in the last hour.
        case throttled
    }

    /// The first step: email and password. People without TOTP are signed in at one factor; people with
    /// TOTP, and all staff, must then give a code.
    func signIn(kind: AccountKind, email: String, password: String, address: String?, device: String) async throws -> SignInOutcome {
        let accountKey = "account:" + keys.blindIndex(SQLPeople.normalise(email), context: "\(kind.rawValue).throttle")
        let addressKey = "address:" + keys.blindIndex(address ?? "unknown", context: "address.throttle")
        let since = now.addingTimeInterval(-throttle.window)
        let accountFailures = try await sessions.failures(key: accountKey, since: since)
        let addressFailures = try await sessions.failures(key: addressKey, since: since)
        guard throttle.allows(accountFailures: accountFailures, addressFailures: addressFailures) else {
            try await audit.append(AuditEntry(at: now, actor: "anonymous", action: "session.sign-in", channel: .online, outcome: "failure", detail: "throttled"))
            return .throttled
        }
        let subject: UUID?
        let hash: String?
        let hasSecondFactor: Bool
        switch kind {
        case .person:
            let account = try await people.find(email: email)
            (subject, hash, hasSecondFactor) = (account?.person.id.rawValue, account?.passwordHash, account?.totpEnabledAt != nil)
        case .staff:
            let account = try await staff.find(email: email)
            let usable = account?.disabledAt == nil
            (subject, hash, hasSecondFactor) = (usable ? account?.id.rawValue : nil, usable ? account?.passwordHash : nil, true)
        }
        let matches = try await passwords.verify(password, hash: hash ?? passwords.decoy)
        guard let subject, hash != nil, matches else {
            try await sessions.recordFailure(key: accountKey, at: now)
            try await sessions.recordFailure(key: addressKey, at: now)
            try await audit.append(AuditEntry(at: now, actor: "anonymous", action: "session.sign-in", target: subject.map { "\(kind.rawValue):\($0.uuidString.lowercased())" },
                                              channel: .online, outcome: "failure", detail: "wrong credentials"))
            return .wrongCredentials
        }
        let now = self.now
        return try await database.transaction { sql in
            let token = try await startSession(kind: kind, subject: subject, level: .singleFactor, awaitingSecondFactor: hasSecondFactor, device: device, on: sql)
            try await audit.append(AuditEntry(at: now, actor: "\(kind.rawValue):\(subject.uuidString.lowercased())", action: hasSecondFactor ? "session.password-accepted" : "session.signed-in",
                                              target: "\(kind.rawValue):\(subject.uuidString.lowercased())", channel: .online), on: sql)
            return hasSecondFactor ? .needsSecondFactor(token: token) : .signedIn(token: token)
        }
    }

    /// The second step: a TOTP code (each used once) or a recovery code (each used once).
    func completeSecondFactor(session: SessionRecord, code: String, address: String?) async throws -> Bool {
        let accountKey = "second-factor:\(session.kind.rawValue):\(session.subjectID.uuidString.lowercased())"
        let since = now.addingTimeInterval(-throttle.window)
        guard try await sessions.failures(key: accountKey, since: since) < throttle.maxFailuresPerAccount else { return false }
        let secret: String?
        switch session.kind {
        case .person: secret = try await people.find(PersonID(rawValue: session.subjectID))?.totpSecret
        case .staff: secret = try await staff.find(StaffID(rawValue: session.subjectID))?.totpSecret
        }
        let now = self.now
        let table = session.kind == .person ? "people" : "staff"
        let accepted = try await database.transaction { sql -> Bool in
            var method = "totp"
            var ok = false
            if let secret, let step = OneTimeCodes.matchingStep(code: code, secret: secret, at: now) {
                ok = try await secrets.claimTOTPStep(table: table, account: session.subjectID, step: step, on: sql)
            } else {
                method = "recovery-code"
                ok = try await secrets.useRecoveryCode(account: session.subjectID, hash: OneTimeCodes.digest(OneTimeCodes.normaliseRecoveryCode(code)), now: now, on: sql)
            }
            let actor = "\(session.kind.rawValue):\(session.subjectID.uuidString.lowercased())"
            if ok {
                try await sessions.completeSecondFactor(idHash: session.idHash, on: sql)
                try await audit.append(AuditEntry(at: now, actor: actor, action: "session.signed-in", target: actor, channel: .online, detail: method), on: sql)
            } else {
                try await audit.append(AuditEntry(at: now, actor: actor, action: "session.second-factor", target: actor, channel: .online, outcome: "failure"), on: sql)
            }
            return ok
        }
        if !accepted { try await sessions.recordFailure(key: accountKey, at: now) }
        return accepted
    }

    /// Creates a session row and returns the token for the cookie (only its hash is stored).
    func startSession(kind: AccountKind, subject: UUID, level: AuthenticationLevel, awaitingSecondFactor: Bool, device: String, on sql: any SQLDatabase) async throws -> String {
        let token = OneTimeCodes.token()
        let now = self.now
        try await sessions.create(SessionRecord(idHash: OneTimeCodes.digest(token), kind: kind, subjectID: subject, authentication: level,
                                                awaitingSecondFactor: awaitingSecondFactor, csrfToken: OneTimeCodes.token(), device: device,
                                                createdAt: now, lastSeenAt: now, revokedAt: nil), on: sql)
        return token
    }

    func signOut(_ session: SessionRecord) async throws {
        let now = self.now
        try await database.transaction { sql in
            try await sessions.revoke(idHash: session.idHash, at: now, on: sql)
            let actor = "\(session.kind.rawValue):\(session.subjectID.uuidString.lowercased())"
            try await audit.append(AuditEntry(at: now, actor: actor, action: "session.signed-out", target: actor, channel: .online), on: sql)
        }
    }

    func signOutEverywhereElse(_ session: SessionRecord) async throws {
        let now = self.now
        try await database.transaction { sql in
            try await sessions.revokeAll(kind: session.kind, subject: session.subjectID, keeping: session.idHash, at: now, on: sql)
            let actor = "\(session.kind.rawValue):\(session.subjectID.uuidString.lowercased())"
            try await audit.append(AuditEntry(at: now, actor: actor, action: "session.signed-out-elsewhere", target: actor, channel: .online), on: sql)
        }
    }

    /// The account's sessions that are still active now.
    func activeSessions(of session: SessionRecord) async throws -> [SessionRecord] {
        let now = self.now
        return try await sessions.open(kind: session.kind, subject: session.subjectID).filter {
            lifetime.verdict(createdAt: $0.createdAt, lastSeenAt: $0.lastSeenAt, revokedAt: $0.revokedAt, now: now) == .active
        }
    }

    // MARK: - TOTP

    /// Turns on TOTP after the person proves their app has the secret, and returns new recovery codes
    /// (shown once). The current session becomes two-factor.
    func enableTOTP(person: PersonID, session: SessionRecord, secret: String, code: String) async throws -> [String]? {
        let now = self.now
        guard let step = OneTimeCodes.matchingStep(code: code, secret: secret, at: now) else { return nil }
        let codes = OneTimeCodes.recoveryCodes()
        try await database.transaction { sql in
            try await people.enableTOTP(person, secret: secret, at: now, step: step, on: sql)
            try await secrets.replaceRecoveryCodes(account: person.rawValue, hashes: codes.map(OneTimeCodes.digest), on: sql)
            try await sessions.completeSecondFactor(idHash: session.idHash, on: sql)
            try await audit.append(AuditEntry(at: now, actor: "person:\(person)", action: "account.totp-enabled", target: "person:\(person)", channel: .online), on: sql)
        }
        return codes
    }

    // MARK: - Password reset

    /// Emails a single-use reset link valid for one hour when the address has an account; says nothing
    /// either way (the page shows the same message), so the form cannot be used to find accounts.
    func requestPasswordReset(email: String) async throws {
        guard let account = try await people.find(email: email) else { return }
        let token = OneTimeCodes.token()
        let now = self.now
        try await database.transaction { sql in
            try await secrets.storeEmailToken(hash: OneTimeCodes.digest(token), person: account.person.id, purpose: "reset-password", expires: now.addingTimeInterval(3600), on: sql)
            try await outbox.enqueue(mail.resetPassword(to: account.person.email, language: account.person.preferredLanguage, link: "/password-reset/\(token)", id: environment.makeID(), at: now), on: sql)
            try await audit.append(AuditEntry(at: now, actor: "anonymous", action: "account.password-reset-requested", target: "person:\(account.person.id)", channel: .online), on: sql)
        }
    }

    /// Sets a new password with a reset link, once. Every session of the account ends.
    func resetPassword(token: String, newPassword: String) async throws -> Bool {
        let now = self.now
        let hash = OneTimeCodes.digest(token)
        // Check the password before using up the link, so a rejected password leaves the link usable.
        return try await database.transaction { sql -> Bool in
            guard let personID = try await secrets.consumeEmailToken(hash: hash, purpose: "reset-password", now: now, on: sql),
                  let account = try await people.find(personID) else { return false }
            try passwords.policy.check(newPassword, email: account.person.email, hasSecondFactor: account.totpEnabledAt != nil)
            try await people.setPassword(personID, hash: try await passwords.hash(newPassword), on: sql)
            try await sessions.revokeAll(kind: .person, subject: personID.rawValue, keeping: nil, at: now, on: sql)
            try await outbox.enqueue(mail.passwordChanged(to: account.person.email, language: account.person.preferredLanguage, id: environment.makeID(), at: now), on: sql)
            try await audit.append(AuditEntry(at: now, actor: "person:\(personID)", action: "account.password-reset", target: "person:\(personID)", channel: .online), on: sql)
            return true
        }
    }
}
