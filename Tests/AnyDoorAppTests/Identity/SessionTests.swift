@testable import AnyDoorApp
import AnyDoorCore
import AnyDoorStore
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

@Suite struct SessionTests {
    @Test func aSessionEndsAfterThirtyMinutesIdle() async throws {
        let clock = TestClock()
        try await TestApp.run(clock: clock) { client in
            let browser = Browser(client)
            try await browser.register(email: "idle@example.ca")
            clock.advance(minutes: 29)
            #expect(try await browser.get("/account").status == .ok)
            clock.advance(minutes: 29) // 29 minutes since the last activity: still alive
            #expect(try await browser.get("/account").status == .ok)
            clock.advance(minutes: 30)
            let expired = try await browser.get("/account")
            #expect(expired.status == .found)
            #expect(expired.location == "/sign-in?return=%2Faccount")
            #expect(expired.setCookies.contains { $0.hasPrefix("__Host-anydoor-session=;") || $0.hasPrefix("__Host-anydoor-session=") && $0.contains("Max-Age=0") })
        }
    }

    @Test func aSessionEndsTwelveHoursAfterSignInHoweverActive() async throws {
        let clock = TestClock()
        try await TestApp.run(clock: clock) { client in
            let browser = Browser(client)
            try await browser.register(email: "busy@example.ca")
            for _ in 0..<(12 * 60 / 20 - 1) {
                clock.advance(minutes: 20)
                #expect(try await browser.get("/account").status == .ok)
            }
            clock.advance(minutes: 20) // 12 hours since sign-in
            #expect(try await browser.get("/account").status == .found)
        }
    }

    @Test func signingOutEndsTheSessionOnTheServer() async throws {
        try await TestApp.run { client in
            let browser = Browser(client)
            try await browser.register(email: "leaver@example.ca")
            let token = try #require(browser.cookies["__Host-anydoor-session"])
            try await browser.signOut()
            // Replaying the old cookie after sign-out gets nothing.
            let replay = try await client.execute(uri: "/account", method: .get, headers: [.cookie: "__Host-anydoor-session=\(token)"]) { $0.status }
            #expect(replay == .found)
        }
    }

    @Test func signOutEverywhereElseEndsTheOtherSessionsAndKeepsThisOne() async throws {
        try await TestApp.run { client in
            let laptop = Browser(client)
            try await laptop.register(email: "two.devices@example.ca")
            let phone = Browser(client)
            try await phone.get("/sign-in")
            try await phone.post("/sign-in", ["email": "two.devices@example.ca", "password": SignInTests.password])
            #expect(try await phone.get("/account").status == .ok)
            let account = try await laptop.get("/account")
            #expect(account.html.contains("Sign out everywhere else"))
            let done = try await laptop.post("/account/sessions/sign-out-others", [:])
            #expect(done.status == .ok)
            #expect(try await phone.get("/account").status == .found)
            #expect(try await laptop.get("/account").status == .ok)
        }
    }

    @Test func theHundredthFailureInAnHourLocksTheAccountEvenAgainstTheRightPassword() async throws {
        let clock = TestClock()
        try await TestApp.run(clock: clock) { client in
            let browser = Browser(client)
            try await browser.register(email: "target@example.ca")
            try await browser.signOut()
            let attacker = Browser(client)
            try await attacker.get("/sign-in")
            for attempt in 1...100 {
                let page = try await attacker.post("/sign-in", ["email": "target@example.ca", "password": "guess number \(attempt) guess"])
                #expect(page.status == .unauthorized, "attempt \(attempt)")
                if page.status != .unauthorized { break }
            }
            let locked = try await attacker.post("/sign-in", ["email": "target@example.ca", "password": SignInTests.password])
            #expect(locked.status == .tooManyRequests)
            // An hour later the account opens again.
            clock.advance(minutes: 61)
            let later = try await attacker.post("/sign-in", ["email": "target@example.ca", "password": SignInTests.password])
            #expect(later.status == .found)
        }
    }

    @Test func aPasswordResetLinkWorksOnceAndEndsEverySession() async throws {
        try await TestApp.run { client in
            let browser = Browser(client)
            try await browser.register(email: "forgetful@example.ca")
            let other = Browser(client)
            try await other.get("/password-reset")
            let sent = try await other.post("/password-reset", ["email": "forgetful@example.ca"])
            #expect(sent.status == .ok)
            // The same answer for an address without an account.
            try await other.get("/password-reset")
            let unknown = try await other.post("/password-reset", ["email": "stranger@example.ca"])
            #expect(unknown.html == sent.html.replacingOccurrences(of: Browser.csrfToken(in: sent.html) ?? "", with: Browser.csrfToken(in: unknown.html) ?? ""))
            let mailbox = try await other.get("/dev/mailbox")
            let link = try #require(Browser.capture(#"(/password-reset/[A-Za-z0-9_-]+)"#, in: mailbox.html))
            try await other.get(link)
            let weak = try await other.post(link, ["password": "short"])
            #expect(weak.status == .unprocessableContent)
            let done = try await other.post(link, ["password": "a completely new passphrase here"])
            #expect(done.status == .ok)
            #expect(try await browser.get("/account").status == .found)
            try await other.get(link)
            #expect(try await other.post(link, ["password": "another new passphrase again"]).status == .badRequest)
            try await other.get("/sign-in")
            #expect(try await other.post("/sign-in", ["email": "forgetful@example.ca", "password": "a completely new passphrase here"]).status == .found)
        }
    }
}
