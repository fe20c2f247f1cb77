@testable import AnyDoorApp
import AnyDoorCore
import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import Testing

/// An AnyDoor with its own embedded database in a temporary folder, demo data loaded, driven through
/// Hummingbird's router test client.
enum TestApp {
    static let adminToken = "test-admin-token-0123456789"

    static func configuration(dataDirectory: String) -> AppConfiguration {
        var configuration = AppConfiguration()
        configuration.dataDirectory = dataDirectory
        configuration.adminToken = adminToken
        configuration.maxBodyBytes = 4096
        configuration.seedDemoCatalogue = false // catalogue tests turn it on; it takes seconds to load
        return configuration
    }

    static func run<Result: Sendable>(
        _ adjust: (inout AppConfiguration) -> Void = { _ in },
        clock: TestClock? = nil,
        logger: Logger? = nil,
        _ test: @Sendable (any TestClientProtocol) async throws -> Result
    ) async throws -> Result {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("anydoor-app-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        return try await run(dataDirectory: folder, adjust, clock: clock, logger: logger, test)
    }

    /// Runs an application on an existing data folder (kept afterwards), as a restart would.
    static func run<Result: Sendable>(
        dataDirectory folder: URL,
        _ adjust: (inout AppConfiguration) -> Void = { _ in },
        clock: TestClock? = nil,
        logger: Logger? = nil,
        _ test: @Sendable (any TestClientProtocol) async throws -> Result
    ) async throws -> Result {
        var configuration = configuration(dataDirectory: folder.path)
        adjust(&configuration)
        let logger = logger ?? {
            var logger = Logger(label: "test")
            logger.logLevel = .warning
            return logger
        }()
        let environment = clock.map { clock in AnyDoorCore.Environment(now: { clock.now }, makeID: { UUID() }) } ?? .live
        let app = try await buildApplication(configuration: configuration, logger: logger, environment: environment)
        return try await app.test(.router, test)
    }
}

extension TestResponse {
    var text: String { String(buffer: body) }

    func json() throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(buffer: body)) as? [String: Any])
    }
}

extension HTTPFields {
    static var admin: HTTPFields { [.authorization: "Bearer \(TestApp.adminToken)", .contentType: "application/json"] }
    static var json: HTTPFields { [.contentType: "application/json"] }
}

extension ByteBuffer {
    static func json(_ text: String) -> ByteBuffer { ByteBuffer(string: text) }
}

/// A clock a test moves by hand.
final class TestClock: @unchecked Sendable {
    private let lock = NSLock()
    private var current: Date

    init(_ start: Date = Date(timeIntervalSince1970: 1_795_000_000)) {
        self.current = start
    }

    var now: Date { lock.withLock { current } }

    func advance(minutes: Double) {
        lock.withLock { current = current.addingTimeInterval(minutes * 60) }
    }
}
