import AnyDoorStore
import Foundation
import Logging

/// Everything `anydoor serve` can be told, from flags or `ANYDOOR_*` environment variables.
/// Defaults give a working demo with nothing set.
public struct AppConfiguration: Sendable {
    public var host = "127.0.0.1"
    public var port = 8080
    /// Folder of the embedded database and other local files.
    public var dataDirectory = "anydoor-data"
    public var logLevel: Logger.Level = .info
    /// `DATABASE_URL`: PostgreSQL when it starts with `postgres`, else the embedded SQLite file.
    public var databaseURL: String?
    /// `ANYDOOR_ADMIN_TOKEN`: bearer token for administrator API writes until staff accounts exist.
    /// Unset means no administrator can write through the API.
    public var adminToken: String?
    /// `ANYDOOR_MAX_BODY_BYTES`: the largest request body accepted (413 beyond it).
    public var maxBodyBytes = 1_048_576
    /// `ANYDOOR_MAX_UPLOAD_BYTES`: the largest form that sends documents (`multipart/form-data`); each
    /// document is also held to `AttachmentRules.maxFileBytes`. Default 25 MiB.
    public var maxUploadBytes = 26_214_400
    /// `ANYDOOR_DEMO`: load demo data on first start with an empty embedded database (default true).
    public var seedDemoWhenEmpty = true
    /// `ANYDOOR_DEMO_API_KEY`: the demo Open311 client's key (16-200 characters), so a tester can use its own;
    /// without it the demo client gets a random key, written to `demo-api-key.txt` in the data folder.
    public var demoAPIKey: String?
    /// GC Notify-compatible service for notifications (`ANYDOOR_NOTIFY_URL`, `_API_KEY`, `_EMAIL_TEMPLATE`,
    /// `_SMS_TEMPLATE`, `_CALLBACK_TOKEN`); unset, notifications go to the local outbox (`/dev/mailbox`).
    public var notify: NotifySettings?
    public var notifyCallbackToken: String?
    /// How long one call-display event stream stays open before the browser reconnects, in seconds.
    public var displayStreamSeconds = 600
    /// Whether that demo data includes the demo service catalogue (tests that do not need it turn it off).
    public var seedDemoCatalogue = true
    /// `ANYDOOR_PUBLIC_URL`: the address people reach AnyDoor at, for links in emails.
    public var publicURL: String?
    /// `ANYDOOR_DATA_KEYS` and `ANYDOOR_INDEX_KEY`: keys for personal data at rest (see KeyRing).
    /// Unset on the embedded database: a key file in the data folder is used.
    public var dataKeys: String?
    public var indexKey: String?
    /// `ANYDOOR_DEV_MAILBOX`: serve `/dev/mailbox`. Default: on with the embedded database, off on PostgreSQL.
    public var devMailbox: Bool?

    /// `ANYDOOR_OIDC_ISSUER`, `ANYDOOR_OIDC_CLIENT_ID`, `ANYDOOR_OIDC_CLIENT_SECRET`: the provincial
    /// identity provider. Sign-in with it is offered only when issuer and client id are set.
    public var oidcIssuer: String?
    public var oidcClientID: String?
    public var oidcClientSecret: String?

    /// Whether `/dev/mailbox` is served.
    public var devMailboxEnabled: Bool {
        devMailbox ?? !(databaseURL?.hasPrefix("postgres") ?? false)
    }

    /// The base of links in emails.
    public var linkBase: String {
        publicURL ?? "http://\(host):\(port)"
    }

    public init() {}

    /// Reads the `ANYDOOR_*` and `DATABASE_URL` variables over the defaults. Throws on a value that
    /// cannot be used, naming the variable (never echoing a secret).
    public static func fromEnvironment(_ environment: [String: String] = ProcessInfo.processInfo.environment) throws -> AppConfiguration {
        var configuration = AppConfiguration()
        if let host = environment["ANYDOOR_HOST"], !host.isEmpty { configuration.host = host }
        if let port = environment["ANYDOOR_PORT"], !port.isEmpty {
            guard let value = Int(port), (0...65535).contains(value) else { throw ConfigurationError.invalid("ANYDOOR_PORT", "a port number from 0 to 65535") }
            configuration.port = value
        }
        if let folder = environment["ANYDOOR_DATA_DIR"], !folder.isEmpty { configuration.dataDirectory = folder }
        if let level = environment["ANYDOOR_LOG_LEVEL"], !level.isEmpty {
            guard let value = Logger.Level(rawValue: level.lowercased()) else {
                throw ConfigurationError.invalid("ANYDOOR_LOG_LEVEL", "one of trace, debug, info, notice, warning, error, critical")
            }
            configuration.logLevel = value
        }
        configuration.databaseURL = environment["DATABASE_URL"]
        if let token = environment["ANYDOOR_ADMIN_TOKEN"], !token.isEmpty {
            guard token.count >= 16 else { throw ConfigurationError.invalid("ANYDOOR_ADMIN_TOKEN", "at least 16 characters") }
            configuration.adminToken = token
        }
        if let limit = environment["ANYDOOR_MAX_BODY_BYTES"], !limit.isEmpty {
            guard let value = Int(limit), value >= 1024 else { throw ConfigurationError.invalid("ANYDOOR_MAX_BODY_BYTES", "a number of bytes, at least 1024") }
            configuration.maxBodyBytes = value
        }
        if let limit = environment["ANYDOOR_MAX_UPLOAD_BYTES"], !limit.isEmpty {
            guard let value = Int(limit), value >= 1024 else { throw ConfigurationError.invalid("ANYDOOR_MAX_UPLOAD_BYTES", "a number of bytes, at least 1024") }
            configuration.maxUploadBytes = value
        }
        if let demo = environment["ANYDOOR_DEMO"], !demo.isEmpty {
            guard let value = ["true": true, "1": true, "false": false, "0": false][demo.lowercased()] else {
                throw ConfigurationError.invalid("ANYDOOR_DEMO", "true or false")
            }
            configuration.seedDemoWhenEmpty = value
        }
        if let key = environment["ANYDOOR_DEMO_API_KEY"], !key.isEmpty {
            guard (16...200).contains(key.count), !key.contains(where: \.isWhitespace) else {
                throw ConfigurationError.invalid("ANYDOOR_DEMO_API_KEY", "16 to 200 characters without spaces")
            }
            configuration.demoAPIKey = key
        }
        if let url = environment["ANYDOOR_NOTIFY_URL"], !url.isEmpty {
            guard let parsed = URL(string: url), ["http", "https"].contains(parsed.scheme ?? ""), parsed.host != nil else {
                throw ConfigurationError.invalid("ANYDOOR_NOTIFY_URL", "the Notify API's base address, like https://api.notification.canada.ca")
            }
            var missing: [String] = []
            let key = environment["ANYDOOR_NOTIFY_API_KEY"] ?? "", email = environment["ANYDOOR_NOTIFY_EMAIL_TEMPLATE"] ?? "", sms = environment["ANYDOOR_NOTIFY_SMS_TEMPLATE"] ?? ""
            if key.isEmpty { missing.append("ANYDOOR_NOTIFY_API_KEY") }
            if email.isEmpty { missing.append("ANYDOOR_NOTIFY_EMAIL_TEMPLATE") }
            if sms.isEmpty { missing.append("ANYDOOR_NOTIFY_SMS_TEMPLATE") }
            guard missing.isEmpty else { throw ConfigurationError.invalid(missing[0], "set when ANYDOOR_NOTIFY_URL is") }
            configuration.notify = NotifySettings(baseURL: url.hasSuffix("/") ? String(url.dropLast()) : url, apiKey: key, emailTemplate: email, smsTemplate: sms)
        }
        if let token = environment["ANYDOOR_NOTIFY_CALLBACK_TOKEN"], !token.isEmpty {
            guard token.count >= 16 else { throw ConfigurationError.invalid("ANYDOOR_NOTIFY_CALLBACK_TOKEN", "at least 16 characters") }
            configuration.notifyCallbackToken = token
        }
        if let url = environment["ANYDOOR_PUBLIC_URL"], !url.isEmpty {
            guard let parsed = URL(string: url), ["http", "https"].contains(parsed.scheme ?? ""), parsed.host != nil else {
                throw ConfigurationError.invalid("ANYDOOR_PUBLIC_URL", "an http or https address like https://anydoor.gov.bc.ca")
            }
            configuration.publicURL = url.hasSuffix("/") ? String(url.dropLast()) : url
        }
        if let issuer = environment["ANYDOOR_OIDC_ISSUER"], !issuer.isEmpty {
            guard let url = URL(string: issuer), ["http", "https"].contains(url.scheme ?? ""), url.host != nil else {
                throw ConfigurationError.invalid("ANYDOOR_OIDC_ISSUER", "the identity provider's issuer URL")
            }
            guard let client = environment["ANYDOOR_OIDC_CLIENT_ID"], !client.isEmpty else {
                throw ConfigurationError.invalid("ANYDOOR_OIDC_CLIENT_ID", "set when ANYDOOR_OIDC_ISSUER is")
            }
            configuration.oidcIssuer = issuer.hasSuffix("/") ? String(issuer.dropLast()) : issuer
            configuration.oidcClientID = client
            configuration.oidcClientSecret = environment["ANYDOOR_OIDC_CLIENT_SECRET"].flatMap { $0.isEmpty ? nil : $0 }
        }
        configuration.dataKeys = environment["ANYDOOR_DATA_KEYS"].flatMap { $0.isEmpty ? nil : $0 }
        configuration.indexKey = environment["ANYDOOR_INDEX_KEY"].flatMap { $0.isEmpty ? nil : $0 }
        if let mailbox = environment["ANYDOOR_DEV_MAILBOX"], !mailbox.isEmpty {
            guard let value = ["true": true, "1": true, "false": false, "0": false][mailbox.lowercased()] else {
                throw ConfigurationError.invalid("ANYDOOR_DEV_MAILBOX", "true or false")
            }
            configuration.devMailbox = value
        }
        return configuration
    }

    /// The keys for personal data: from the variables when set, else (embedded database only) the
    /// data folder's key file, made on first use.
    public func keyRing() throws -> KeyRing {
        if let dataKeys, let indexKey {
            return try KeyRing.parse(dataKeys: dataKeys, indexKey: indexKey)
        }
        if dataKeys != nil || indexKey != nil {
            throw ConfigurationError.invalid("ANYDOOR_DATA_KEYS and ANYDOOR_INDEX_KEY", "set together")
        }
        if databaseURL?.hasPrefix("postgres") == true { throw KeyRingError.missingForPostgres }
        return try KeyFile.loadOrCreate(in: URL(fileURLWithPath: dataDirectory))
    }
}

public enum ConfigurationError: Error, CustomStringConvertible {
    case invalid(String, String)
    public var description: String {
        switch self {
        case let .invalid(name, expected): "\(name) must be \(expected)"
        }
    }
}

/// Where and how to reach a GC Notify-compatible service.
public struct NotifySettings: Sendable, Equatable {
    public var baseURL: String
    public var apiKey: String
    public var emailTemplate: String
    public var smsTemplate: String

    public init(baseURL: String, apiKey: String, emailTemplate: String, smsTemplate: String) {
        self.baseURL = baseURL
        self.apiKey = apiKey
        self.emailTemplate = emailTemplate
        self.smsTemplate = smsTemplate
    }
}
