@testable import AnyDoorApp
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

/// Drives HTML forms through the router test client the way a browser would: keeps cookies, reads the
/// CSRF token from each page, follows nothing by itself.
final class Browser: @unchecked Sendable {
    let client: any TestClientProtocol
    private(set) var cookies: [String: String] = [:]
    private(set) var lastPage = ""
    private let lock = NSLock()

    init(_ client: any TestClientProtocol) {
        self.client = client
    }

    struct Page: Sendable {
        let status: HTTPResponse.Status
        let html: String
        let location: String?
        let setCookies: [String]
        var headers: HTTPFields = [:]
        var bytes = Data()
    }

    /// A file a multipart form sends.
    struct FilePart: Sendable {
        let field: String
        let filename: String
        let type: String
        let data: Data
    }

    @discardableResult
    func get(_ path: String) async throws -> Page {
        try await send(path, method: .get, body: nil)
    }

    /// Posts a form with the CSRF token of the last page fetched (unless `csrf` overrides it).
    @discardableResult
    func post(_ path: String, _ fields: [String: String], csrf: String? = nil) async throws -> Page {
        var all = fields
        all["csrf_token"] = csrf ?? Self.csrfToken(in: lock.withLock { lastPage }) ?? ""
        let body = all.map { "\(Self.encode($0.key))=\(Self.encode($0.value))" }.joined(separator: "&")
        return try await send(path, method: .post, body: body)
    }

    /// Posts a `multipart/form-data` form (RFC 7578) as a browser does for a form with file inputs, with the
    /// CSRF token of the last page fetched (unless `csrf` overrides it).
    @discardableResult
    func postMultipart(_ path: String, _ fields: [String: String], files: [FilePart], csrf: String? = nil) async throws -> Page {
        var all = fields
        all["csrf_token"] = csrf ?? Self.csrfToken(in: lock.withLock { lastPage }) ?? ""
        let boundary = "----AnyDoorTestBoundary\(UUID().uuidString.prefix(8))"
        var body = Data()
        for (name, value) in all.sorted(by: { $0.key < $1.key }) {
            body += Data("--\(boundary)\r\nContent-Disposition: form-data; name=\"\(name)\"\r\n\r\n\(value)\r\n".utf8)
        }
        for file in files {
            body += Data("--\(boundary)\r\nContent-Disposition: form-data; name=\"\(file.field)\"; filename=\"\(file.filename)\"\r\nContent-Type: \(file.type)\r\n\r\n".utf8)
            body += file.data + Data("\r\n".utf8)
        }
        body += Data("--\(boundary)--\r\n".utf8)
        return try await send(path, method: .post, bytes: ByteBuffer(bytes: body), contentType: "multipart/form-data; boundary=\(boundary)")
    }

    func send(_ path: String, method: HTTPRequest.Method, body: String?) async throws -> Page {
        try await send(path, method: method, bytes: body.map { ByteBuffer(string: $0) }, contentType: body == nil ? nil : "application/x-www-form-urlencoded")
    }

    func send(_ path: String, method: HTTPRequest.Method, bytes body: ByteBuffer?, contentType: String?) async throws -> Page {
        var headers: HTTPFields = [.userAgent: "Mozilla/5.0 (X11; Linux x86_64) Chrome/120.0"]
        let cookieHeader = lock.withLock { cookies.map { "\($0.key)=\($0.value)" }.joined(separator: "; ") }
        if !cookieHeader.isEmpty { headers[.cookie] = cookieHeader }
        if let contentType { headers[.contentType] = contentType }
        let page = try await client.execute(uri: path, method: method, headers: headers, body: body) { response in
            Page(status: response.status, html: String(buffer: response.body), location: response.headers[.location],
                 setCookies: response.headers[values: .setCookie], headers: response.headers, bytes: Data(response.body.readableBytesView))
        }
        lock.withLock {
            for header in page.setCookies {
                let pair = header.split(separator: ";")[0].split(separator: "=", maxSplits: 1).map(String.init)
                if pair.count == 2 { cookies[pair[0]] = pair[1].isEmpty ? nil : pair[1] }
                if header.contains("Max-Age=0") { cookies[pair[0]] = nil }
            }
            if method == .get || page.status != .ok { lastPage = page.html } else { lastPage = page.html }
        }
        return page
    }

    static func csrfToken(in html: String) -> String? {
        capture(#"name="csrf_token" value="([^"]+)""#, in: html)
    }

    static func capture(_ pattern: String, in text: String) -> String? {
        guard let regex = try? NSRegularExpression(pattern: pattern),
              let match = regex.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)),
              let range = Range(match.range(at: 1), in: text) else { return nil }
        return String(text[range])
    }

    static func encode(_ text: String) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return text.addingPercentEncoding(withAllowedCharacters: allowed) ?? text
    }

    /// HTML-unescapes what Mustache escaped.
    static func unescape(_ text: String) -> String {
        text.replacingOccurrences(of: "&#x2F;", with: "/").replacingOccurrences(of: "&#x3D;", with: "=").replacingOccurrences(of: "&amp;", with: "&")
            .replacingOccurrences(of: "&quot;", with: "\"").replacingOccurrences(of: "&#39;", with: "'").replacingOccurrences(of: "&#x27;", with: "'")
            .replacingOccurrences(of: "&lt;", with: "<").replacingOccurrences(of: "&gt;", with: ">").replacingOccurrences(of: "&#x60;", with: "`")
    }

    // MARK: - Journeys used by several tests

    /// Registers and returns the browser signed in at one factor.
    func register(email: String, name: String = "Ada Lovelace", password: String = "violet harbour lantern seventeen") async throws {
        try await get("/register")
        let page = try await post("/register", ["email": email, "name": name, "password": password])
        #expect(page.status == .seeOther, "registration failed: \(page.html.prefix(300))")
        #expect(page.location == "/register/done")
    }

    /// Turns on TOTP from a signed-in session and returns the secret and the recovery codes.
    func enableTOTP(clock: @Sendable () -> Date) async throws -> (secret: String, codes: [String]) {
        let setup = try await get("/account/two-factor")
        let url = try #require(Self.capture(#"href="(otpauth:[^"]+)""#, in: setup.html))
        let base32 = try #require(Self.capture(#"secret=([A-Z2-7]+)"#, in: Self.unescape(url)))
        let secret = try #require(String(data: Base32.decode(base32), encoding: .utf8))
        let done = try await post("/account/two-factor", ["code": OneTimeCodes.code(secret: secret, at: clock()),
                                                         "secret": Self.unescape(try #require(Self.capture(#"name="secret" value="([^"]+)""#, in: setup.html)))])
        #expect(done.status == .ok)
        let codes = Self.allMatches(#"<li><code>([a-z0-9]{5}-[a-z0-9]{5})</code></li>"#, in: done.html)
        return (secret, codes)
    }

    static func allMatches(_ pattern: String, in text: String) -> [String] {
        guard let regex = try? NSRegularExpression(pattern: pattern) else { return [] }
        return regex.matches(in: text, range: NSRange(text.startIndex..., in: text)).compactMap { Range($0.range(at: 1), in: text).map { String(text[$0]) } }
    }

    func signOut() async throws {
        try await get("/account")
        try await post("/sign-out", [:])
    }
}

/// RFC 4648 base32, to read the TOTP key from an otpauth:// address as an authenticator app does.
enum Base32 {
    static func decode(_ text: String) -> Data {
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567")
        var bits = 0, value = 0
        var output = Data()
        for character in text.uppercased() where character != "=" {
            guard let index = alphabet.firstIndex(of: character) else { continue }
            value = (value << 5) | index
            bits += 5
            if bits >= 8 {
                output.append(UInt8((value >> (bits - 8)) & 0xFF))
                bits -= 8
            }
        }
        return output
    }
}
