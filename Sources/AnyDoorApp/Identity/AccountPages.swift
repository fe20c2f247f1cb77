import AnyDoorCore
import AnyDoorStore
import Foundation

/// `/register`: create an account (assurance level 1, self-asserted).
struct RegisterPage: PageModel {
    static let template = "register"
    let titleKey = "register.title"
    let csrfToken: String
    let errors: ErrorSummary
    let email: FormField
    let name: FormField
    let password: FormField
}

/// `/sign-in` and `/staff/sign-in`: the password step.
struct SignInPage: PageModel {
    static let template = "sign-in"
    let titleKey: String
    let action: String
    let csrfToken: String
    let errors: ErrorSummary
    let email: FormField
    let password: FormField
    let isStaff: Bool
    let returnTo: String
}

/// `/sign-in/code`: the second factor.
struct SecondFactorPage: PageModel {
    static let template = "second-factor"
    let titleKey = "secondFactor.title"
    let csrfToken: String
    let errors: ErrorSummary
    let code: FormField
    let returnTo: String
}

/// `/account`: who the person is to government, how they sign in, where they are signed in, and what
/// happened on their account.
struct AccountPage: PageModel {
    static let template = "account"
    let titleKey = "account.title"
    let csrfToken: String
    let name: String
    let email: String
    let emailVerified: Bool
    let assurance: String
    let totpEnabled: Bool
    let recoveryCodesLeft: Int
    let sessions: [SessionRow]
    let otherSessions: Bool
    let activity: [ActivityRow]
    let notice: String?

    struct SessionRow: Sendable {
        let device: String
        let signedInAt: String
        let lastActiveAt: String
        let isCurrent: Bool
    }

    struct ActivityRow: Sendable {
        let when: String
        let what: String
        let outcome: String?
    }
}

/// `/account/two-factor`: turning on TOTP.
struct TOTPSetupPage: PageModel {
    static let template = "totp-setup"
    let titleKey = "totp.title"
    let csrfToken: String
    let errors: ErrorSummary
    let typeableSecret: String
    let authenticatorURL: String
    let sealedSecret: String
    let code: FormField
}

/// Recovery codes, shown once.
struct RecoveryCodesPage: PageModel {
    static let template = "recovery-codes"
    let titleKey = "recovery.title"
    let codes: [String]
}

/// A page that says one thing and offers one way on.
struct NoticePage: PageModel {
    static let template = "notice"
    let titleKey: String
    let message: String
    let linkText: String
    let linkHref: String
}

/// `/password-reset`: ask for a link; `/password-reset/{token}`: choose a new password.
struct PasswordResetPage: PageModel {
    static let template = "password-reset"
    let titleKey: String
    let action: String
    let csrfToken: String
    let errors: ErrorSummary
    let field: FormField
    let isRequest: Bool
}

/// `/dev/mailbox`: what the local outbox transport "sent", for development and tests.
struct MailboxPage: PageModel {
    static let template = "mailbox"
    let titleKey = "mailbox.title"
    let messages: [Message]

    struct Message: Sendable {
        let to: String
        let subject: String
        let body: String
        let sentAt: String
        let lang: String
        let dir: String
        let link: String?
    }
}

/// `/staff`: a member of staff's start page, listing their roles.
struct StaffHomePage: PageModel {
    static let template = "staff-home"
    let titleKey = "staff.title"
    let csrfToken: String
    let name: String
    let roles: [String]
}

/// `/account/step-up`: confirm with a second factor before seeing personal information.
struct StepUpPage: PageModel {
    static let template = "step-up"
    let titleKey = "stepUp.title"
    let csrfToken: String
    let errors: ErrorSummary
    let code: FormField
    let returnTo: String
}

/// `/account/prove-identity`: a service asks for a higher identity level; the ways to reach it.
struct ProveIdentityPage: PageModel {
    static let template = "prove-identity"
    let titleKey = "prove.title"
    let level: String
    let provincialHref: String
    let evidence: [String]
}
