@testable import AnyDoorApp
import AnyDoorCore
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

@Suite struct SignInTests {
    static let password = "violet harbour lantern seventeen"

    @Test func registrationSetsASecureSessionCookieAndEmailsASingleUseVerificationLink() async throws {
        try await TestApp.run { client in
            let browser = Browser(client)
            try await browser.get("/register")
            let page = try await browser.post("/register", ["email": "ada@example.ca", "name": "Ada Lovelace", "password": Self.password])
            #expect(page.status == .seeOther)
            let cookie = try #require(page.setCookies.first { $0.hasPrefix("__Host-anydoor-session=") })
            // REFERENCE.md section 6: __Host- prefix, Secure, HttpOnly, SameSite=Lax, Path=/, 128-bit random id.
            #expect(cookie.contains("Secure"))
            #expect(cookie.contains("HttpOnly"))
            #expect(cookie.contains("SameSite=Lax"))
            #expect(cookie.contains("Path=/"))
            #expect(!cookie.contains("Domain="))
            let token = try #require(cookie.split(separator: ";").first?.split(separator: "=").last)
            #expect(token.count == 22) // 16 random bytes in unpadded base64url
            let mailbox = try await browser.get("/dev/mailbox")
            #expect(mailbox.html.contains("Confirm your email address"))
            let link = try #require(Browser.capture(#"(/verify-email/[A-Za-z0-9_-]+)"#, in: mailbox.html))
            #expect(try await browser.get(link).status == .ok)
            #expect(try await browser.get(link).status == .badRequest)
            let account = try await browser.get("/account")
            #expect(account.status == .ok)
            #expect(account.html.contains("Ada Lovelace"))
            #expect(!account.html.contains("Not confirmed"))
        }
    }

    @Test func aFormPostedWithoutTheRightCSRFTokenIsRefusedAndChangesNothing() async throws {
        try await TestApp.run { client in
            let browser = Browser(client)
            try await browser.get("/register")
            for forged in ["", "forged-token-forged-token"] {
                let page = try await browser.post("/register", ["email": "eve@example.ca", "name": "Eve", "password": Self.password], csrf: forged)
                #expect(page.status == .forbidden)
            }
            // No account was made: signing in with those details fails.
            try await browser.get("/sign-in")
            let signIn = try await browser.post("/sign-in", ["email": "eve@example.ca", "password": Self.password])
            #expect(signIn.status == .unauthorized)
        }
    }

    @Test(arguments: [
        ("short password", "too short", "Use at least 15 characters"),
        ("common password", "passwordpassword1", "too common"),
        ("service name", "AnyDoor2024!!", "Use at least 15"),
        ("service name, long", "servicebc123456", "name of this service"),
        ("own email", "ada.lovelace.secret.words", "your email address"),
    ])
    func weakPasswordsAreRefusedWithAReasonAndNoAccountIsMade(_ label: String, _ password: String, _ message: String) async throws {
        try await TestApp.run { client in
            let browser = Browser(client)
            try await browser.get("/register")
            let page = try await browser.post("/register", ["email": "ada.lovelace@example.ca", "name": "Ada", "password": password])
            #expect(page.status == .unprocessableContent, "\(label)")
            #expect(page.html.contains(message), "\(label)")
            #expect(page.html.contains(##"href="#field-password""##), "\(label): the error summary links to the field")
            #expect(page.html.contains(#"aria-invalid="true""#))
            #expect(page.setCookies.allSatisfy { !$0.hasPrefix("__Host-anydoor-session=") })
        }
    }

    @Test func aSixtyFourCharacterPasswordWithSpacesAndUnicodeIsAccepted() async throws {
        try await TestApp.run { client in
            let browser = Browser(client)
            try await browser.register(email: "unicode.user@example.ca", password: "ਪੰਜਾਬੀ words and 日本語 mixed together in one long passphrase ok")
            #expect(try await browser.get("/account").status == .ok)
        }
    }

    @Test func withTOTPOnSignInNeedsTheCodeWhichWorksOnlyOnceAndRecoveryCodesWorkOnce() async throws {
        let clock = TestClock()
        try await TestApp.run(clock: clock) { client in
            let browser = Browser(client)
            try await browser.register(email: "grace@example.ca", name: "Grace Hopper")
            let (secret, codes) = try await browser.enableTOTP(clock: { clock.now })
            #expect(codes.count == 10)
            try await browser.signOut()
            #expect(try await browser.get("/account").status == .found)

            clock.advance(minutes: 1)
            try await browser.get("/sign-in")
            let first = try await browser.post("/sign-in", ["email": "grace@example.ca", "password": Self.password])
            #expect(first.status == .found)
            #expect(first.location?.hasPrefix("/sign-in/code") == true)
            // Between the two steps the session grants nothing.
            #expect(try await browser.get("/account").status == .found)
            try await browser.get("/sign-in/code")
            let code = OneTimeCodes.code(secret: secret, at: clock.now)
            #expect(try await browser.post("/sign-in/code", ["code": "000000" == code ? "111111" : "000000"]).status == .unauthorized)
            let second = try await browser.post("/sign-in/code", ["code": code])
            #expect(second.status == .found)
            #expect(try await browser.get("/account").status == .ok)

            // The same code, again, within its 30 seconds: refused (single use).
            try await browser.signOut()
            try await browser.get("/sign-in")
            try await browser.post("/sign-in", ["email": "grace@example.ca", "password": Self.password])
            try await browser.get("/sign-in/code")
            #expect(try await browser.post("/sign-in/code", ["code": code]).status == .unauthorized)
            // A recovery code works, once.
            #expect(try await browser.post("/sign-in/code", ["code": codes[0].uppercased()]).status == .found)
            try await browser.signOut()
            try await browser.get("/sign-in")
            try await browser.post("/sign-in", ["email": "grace@example.ca", "password": Self.password])
            try await browser.get("/sign-in/code")
            #expect(try await browser.post("/sign-in/code", ["code": codes[0]]).status == .unauthorized)
        }
    }

    @Test func aWrongEmailAndAWrongPasswordGetTheSameAnswer() async throws {
        try await TestApp.run { client in
            let browser = Browser(client)
            try await browser.register(email: "ada@example.ca")
            try await browser.signOut()
            try await browser.get("/sign-in")
            let wrongPassword = try await browser.post("/sign-in", ["email": "ada@example.ca", "password": "not the password at all"])
            try await browser.get("/sign-in")
            let wrongEmail = try await browser.post("/sign-in", ["email": "nobody@example.ca", "password": "not the password at all"])
            #expect(wrongPassword.status == .unauthorized)
            #expect(wrongEmail.status == .unauthorized)
            #expect(wrongPassword.html.contains("The email address or password is not right."))
            #expect(wrongEmail.html.contains("The email address or password is not right."))
        }
    }

    @Test func signInReturnsOnlyToLocalPaths() {
        #expect(AccountController.localPath("/account") == "/account")
        #expect(AccountController.localPath("//evil.example") == nil)
        #expect(AccountController.localPath("https://evil.example") == nil)
        #expect(AccountController.localPath("/\\evil.example") == nil)
        #expect(AccountController.localPath("account") == nil)
    }
}
