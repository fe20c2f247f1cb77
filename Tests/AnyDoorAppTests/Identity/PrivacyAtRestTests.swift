@testable import AnyDoorApp
import AnyDoorCore
import AnyDoorStore
import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import Testing

@Suite struct PrivacyAtRestTests {
    @Test func namesAndEmailsCannotBeReadInTheRawDatabaseFiles() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("anydoor-raw-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        try await TestApp.run(dataDirectory: folder) { client in
            let browser = Browser(client)
            try await browser.register(email: "quintessa.marlowe@example.ca", name: "Quintessa Marlowe")
            #expect(try await browser.get("/account").html.contains("Quintessa Marlowe"))
        }
        var raw = Data()
        for file in ["anydoor.sqlite", "anydoor.sqlite-wal"] {
            raw.append((try? Data(contentsOf: folder.appendingPathComponent(file))) ?? Data())
        }
        #expect(raw.count > 10_000)
        let text = String(decoding: raw, as: UTF8.self)
        #expect(!text.contains("Quintessa"))
        #expect(!text.contains("quintessa.marlowe"))
        #expect(text.contains("Ministry of Citizens")) // the same bytes do show unencrypted public data
    }

    /// Every log line written while people register, sign in, fail and reset passwords is captured at
    /// the most verbose level and must hold none of their names, emails, passwords or tokens.
    @Test func noPersonalInformationOrSecretReachesAnyLogLine() async throws {
        let lines = LogCapture()
        var logger = Logger(label: "capture") { _ in CapturingLogHandler(capture: lines) }
        logger.logLevel = .trace
        let clock = TestClock()
        let secrets = try await TestApp.run(clock: clock, logger: logger) { client in
            let browser = Browser(client)
            try await browser.register(email: "octavia.pennington@example.ca", name: "Octavia Pennington", password: "marmalade telescope orchard ninety")
            let (secret, codes) = try await browser.enableTOTP(clock: { clock.now })
            try await browser.signOut()
            try await browser.get("/sign-in")
            try await browser.post("/sign-in", ["email": "octavia.pennington@example.ca", "password": "wrong guess at the password"])
            try await browser.post("/password-reset", ["email": "octavia.pennington@example.ca"])
            let mailbox = try await browser.get("/dev/mailbox")
            let link = Browser.capture(#"/password-reset/([A-Za-z0-9_-]+)"#, in: mailbox.html) ?? "missing"
            return [secret, codes[0], link, browser.cookies["__Host-anydoor-session"] ?? "", browser.cookies["__Host-anydoor-csrf"] ?? ""]
        }
        let everything = lines.all.joined(separator: "\n")
        #expect(lines.all.count > 20)
        for forbidden in ["Octavia", "Pennington", "octavia.pennington", "marmalade telescope", "wrong guess at the password"] + secrets.filter({ !$0.isEmpty }) {
            #expect(!everything.contains(forbidden), "a log line contains \(forbidden.prefix(12))…")
        }
    }
}

final class LogCapture: @unchecked Sendable {
    private let lock = NSLock()
    private var lines: [String] = []
    func append(_ line: String) { lock.withLock { lines.append(line) } }
    var all: [String] { lock.withLock { lines } }
}

struct CapturingLogHandler: LogHandler {
    let capture: LogCapture
    var metadata: Logger.Metadata = [:]
    var logLevel: Logger.Level = .trace

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(level: Logger.Level, message: Logger.Message, metadata: Logger.Metadata?, source: String, file: String, function: String, line: UInt) {
        let all = self.metadata.merging(metadata ?? [:]) { $1 }
        capture.append("\(level) \(message) \(all)")
    }
}
