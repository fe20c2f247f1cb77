import AnyDoorCore
import AnyDoorStore
import AsyncHTTPClient
import Foundation
import Hummingbird
import Logging
import Prometheus
import ServiceLifecycle

/// The parts of AnyDoor that outlive a request, built once at start.
public struct AppServices: Sendable {
    public let configuration: AppConfiguration
    public let database: Database
    public let keys: KeyRing
    public let ministries: MinistryService
    public let catalogue: SQLCatalogue
    public let requests: SQLRequests
    public let outbox: WebhookOutbox
    public let messageLog: MessageLog
    public let notifications: SQLNotifications
    public let environment: AnyDoorCore.Environment

    /// Opens the database pool (lazily: no connection until first use) and wires the use cases.
    public static func open(configuration: AppConfiguration, logger: Logger, environment: AnyDoorCore.Environment = .live) throws -> AppServices {
        let location = DatabaseLocation.from(databaseURL: configuration.databaseURL, dataDirectory: configuration.dataDirectory)
        let keys = try configuration.keyRing() // before the pool opens, so a configuration error leaves nothing open
        let database = try Database(location: location, logger: logger)
        let ministries = MinistryService(repository: SQLMinistryRepository(database: database), environment: environment)
        let catalogue = SQLCatalogue(database: database, audit: SQLAuditLog(database: database, keys: keys))
        return AppServices(configuration: configuration, database: database, keys: keys, ministries: ministries, catalogue: catalogue,
                           requests: SQLRequests(database: database, keys: keys), outbox: WebhookOutbox(database: database, keys: keys),
                           messageLog: MessageLog(database: database), notifications: SQLNotifications(database: database, keys: keys), environment: environment)
    }

    /// Applies pending migrations, then loads the demo data if this is an embedded database that is empty
    /// and the configuration asks for it (the default), so `swift run anydoor serve` shows something.
    public func prepare(logger: Logger, progress: @escaping @Sendable (String) -> Void = { _ in }) async throws {
        try await Migrator(database: database, logger: logger).migrate(progress: progress)
        // Before seeding: on an empty catalogue this only records the normaliser, and seeding then indexes as it publishes.
        if try await catalogue.ensureSearchIndex(progress: { done, total in if done == total { progress("Search index rebuilt for \(total) services") } }) {
            logger.info("catalogue search index built", metadata: ["normaliser": "\(SearchText.version)"])
        }
        if configuration.seedDemoWhenEmpty, database.flavour == .sqlite, try await ministries.list().isEmpty {
            progress("Empty database: loading demo data")
            let outcome = try await DemoSeeder(ministries: ministries, catalogue: configuration.seedDemoCatalogue ? catalogue : nil).seed { done, total, part in
                if done == total || done % 25 == 0 { progress("Loaded \(done) of \(total) \(part)") }
            }
            let staff = try await DemoStaff.seed(staff: SQLStaff(database: database, keys: keys), environment: environment)
            logger.info("demo data loaded", metadata: ["ministries": "\(outcome.created)", "services": "\(outcome.services)", "staff": "\(staff)"])
        }
        if configuration.seedDemoWhenEmpty, configuration.seedDemoCatalogue {
            try await seedDemoOpen311Client(logger: logger)
            if database.flavour == .sqlite, try await SQLOffices(database: database, keys: keys).list().isEmpty {
                let offices = try await seedDemoOffices { done, total in if done == total { progress("Loaded \(total) offices") } }
                logger.info("demo offices loaded", metadata: ["offices": "\(offices)"])
            }
        }
        if database.flavour == .postgres, let ctype = try await database.postgresCharacterType(), !ctype.uppercased().contains("UTF") {
            logger.warning("catalogue search needs a UTF-8 LC_CTYPE for its trigram index; searches stay correct but slow", metadata: ["lc_ctype": "\(ctype)"])
        }
    }
}

extension AppServices {
    /// The demo offices (real BC towns) offering every published service that can be had in person.
    public func seedDemoOffices(progress: (Int, Int) -> Void = { _, _ in }) async throws -> Int {
        let inPerson = try await catalogue.listPublished().filter { $0.document.channels.inPerson }.map(\.code)
        return try await SQLOffices(database: database, keys: keys).seedDemo(inPersonServices: inPerson, progress: progress)
    }

    /// The demo Open311 client, registered once the catalogue has services (see `DemoOpen311Client`).
    public func seedDemoOpen311Client(logger: Logger) async throws {
        let file = try await DemoOpen311Client.seed(
            clients: SQLAPIClients(database: database), catalogue: catalogue, ministries: ministries, database: database,
            audit: SQLAuditLog(database: database, keys: keys), chosenKey: configuration.demoAPIKey,
            dataDirectory: database.flavour == .sqlite ? configuration.dataDirectory : nil, at: environment.now())
        if let file { logger.info("demo Open311 client registered; its key is in the data folder", metadata: ["file": "\(file)"]) }
    }
}

/// Builds the whole application: one composition root (STYLE.md).
public func buildApplication(configuration: AppConfiguration, logger: Logger, environment: AnyDoorCore.Environment = .live) async throws -> some ApplicationProtocol {
    let services = try AppServices.open(configuration: configuration, logger: logger, environment: environment)
    let router = try await buildRouter(services: services, registry: PrometheusCollectorRegistry())
    guard let resources = Bundle.module.url(forResource: "Resources", withExtension: nil) else { throw ResourcesMissing() }
    let catalog = try MessageCatalog.load(from: resources.appendingPathComponent("Locales"))
    let transport: any NotificationTransport = configuration.notify.map {
        NotifyTransport(baseURL: $0.baseURL, apiKey: $0.apiKey, emailTemplate: $0.emailTemplate, smsTemplate: $0.smsTemplate, client: HTTPClient.shared)
    } ?? LocalOutboxTransport(outbox: SQLOutbox(database: services.database, keys: services.keys), database: services.database)
    var app = Application(
        router: router,
        configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: nil),
        services: [
            DatabaseShutdownService(database: services.database),
            RetentionService(database: services.database, keys: services.keys, environment: environment, logger: logger),
            AppointmentReminderService(appointments: SQLAppointments(database: services.database, keys: services.keys), logger: logger),
            WebhookDeliveryService(outbox: services.outbox, log: services.messageLog, client: WebhookDeliveryService.httpClient, logger: logger),
            NotificationDispatcher(notifications: services.notifications, catalogue: services.catalogue, catalog: catalog, transport: transport,
                                   baseURL: configuration.linkBase, logger: logger),
        ],
        logger: logger
    )
    app.beforeServerStarts {
        try await services.prepare(logger: logger) { logger.info("\($0)") }
    }
    return app
}

/// The routes and the middleware every request passes through, outermost first.
func buildRouter(services: AppServices, registry: PrometheusCollectorRegistry) async throws -> Router<AppRequestContext> {
    guard let resources = Bundle.module.url(forResource: "Resources", withExtension: nil) else {
        throw ResourcesMissing()
    }
    let pages = try await PageRenderer.load(resources: resources, provincialSignIn: services.configuration.oidcIssuer != nil)
    let identity = IdentityService(
        database: services.database, keys: services.keys,
        passwords: try Passwords(blocklistFile: resources.appendingPathComponent("common-passwords.txt")),
        mail: Mail(catalog: pages.catalog, baseURL: services.configuration.linkBase),
        environment: services.environment
    )
    let router = Router(context: AppRequestContext.self)
    router.add(middleware: RequestIDMiddleware())
    router.add(middleware: AccessLogMiddleware())
    router.add(middleware: HTTPMetricsMiddleware(registry: registry))
    router.add(middleware: SecurityHeadersMiddleware())
    router.add(middleware: LocaleMiddleware())
    let errors = ErrorMiddleware(pages: pages)
    router.add(middleware: errors)
    router.add(middleware: FileMiddleware(
        resources.appendingPathComponent("Public").path,
        urlBasePath: "/assets",
        cacheControl: .init([(MediaType(type: .any), [.public, .maxAge(3600)])])
    ))
    router.add(middleware: AdminTokenMiddleware(token: services.configuration.adminToken, clients: SQLAPIClients(database: services.database)))
    router.add(middleware: RequestBodyMiddleware(maxBytes: services.configuration.maxBodyBytes, maxUploadBytes: services.configuration.maxUploadBytes))
    router.add(middleware: SessionMiddleware(identity: identity, errors: errors))
    router.add(middleware: CSRFMiddleware())

    OperationsController(database: services.database, registry: registry).addRoutes(to: router)
    try OpenAPIController(resources: resources).addRoutes(to: router)
    HomeController(pages: pages, ministries: services.ministries, catalogue: services.catalogue).addRoutes(to: router)
    CatalogueAPIController(catalogue: services.catalogue, ministries: services.ministries, environment: services.environment).addRoutes(to: router)
    CataloguePagesController(pages: pages, catalogue: services.catalogue, ministries: services.ministries, baseURL: services.configuration.linkBase).addRoutes(to: router)
    CatalogueStaffController(pages: pages, catalogue: services.catalogue, ministries: services.ministries, environment: services.environment).addRoutes(to: router)
    TranslationsController(pages: pages, catalogue: services.catalogue, ministries: services.ministries, environment: services.environment).addRoutes(to: router)
    Open311Controller(catalogue: services.catalogue, ministries: services.ministries, baseURL: services.configuration.linkBase,
                      requests: Open311Requests(requests: services.requests, catalogue: services.catalogue, clients: SQLAPIClients(database: services.database),
                                                ministries: services.ministries, environment: services.environment)).addRoutes(to: router)
    RequestsAPIController(requests: services.requests, outbox: services.outbox, log: services.messageLog, idempotency: IdempotencyKeys(database: services.database),
                          clients: SQLAPIClients(database: services.database), environment: services.environment).addRoutes(to: router)
    MinistriesAPIController(ministries: services.ministries).addRoutes(to: router)
    MinistriesPagesController(pages: pages, ministries: services.ministries).addRoutes(to: router)
    AccountController(identity: identity, pages: pages).addRoutes(to: router)
    APIClientsController(clients: SQLAPIClients(database: services.database), ministries: services.ministries, database: services.database,
                         audit: identity.audit, environment: services.environment).addRoutes(to: router)
    let counter = CounterStores(database: services.database, keys: services.keys, catalogue: services.catalogue, ministries: services.ministries, pages: pages,
                                environment: services.environment)
    PeopleController(identity: identity, pages: pages, requests: services.requests, counter: counter).addRoutes(to: router)
    ProfileController(profiles: SQLProfiles(database: services.database, keys: services.keys), ministries: services.ministries,
                      clients: SQLAPIClients(database: services.database), pages: pages, environment: services.environment).addRoutes(to: router)
    NotificationsController(notifications: services.notifications, pages: pages, environment: services.environment,
                            callbackToken: services.configuration.notifyCallbackToken).addRoutes(to: router)
    RequestPagesController(requests: services.requests, catalogue: services.catalogue, ministries: services.ministries, identity: identity, outbox: services.outbox,
                           profiles: SQLProfiles(database: services.database, keys: services.keys),
                           pages: pages, environment: services.environment).addRoutes(to: router)
    RepresentationController(identity: identity, pages: pages).addRoutes(to: router)
    ServiceRequirementsController(requirements: SQLServiceRequirements(database: services.database), database: services.database,
                                  audit: identity.audit, environment: services.environment).addRoutes(to: router)
    PrivacyController(identity: identity, ministries: services.ministries, pages: pages).addRoutes(to: router)
    OfficesController(stores: counter).addRoutes(to: router)
    SkillsController(stores: counter).addRoutes(to: router)
    QueueController(stores: counter).addRoutes(to: router)
    DisplayController(stores: counter, streamSeconds: services.configuration.displayStreamSeconds).addRoutes(to: router)
    AppointmentsController(stores: counter, identity: identity).addRoutes(to: router)
    ContactCentreController(stores: counter, identity: identity, requests: services.requests).addRoutes(to: router)
    if let issuer = services.configuration.oidcIssuer, let client = services.configuration.oidcClientID {
        let provider = ProvincialIdentityProvider(
            settings: .init(issuer: issuer, clientID: client, clientSecret: services.configuration.oidcClientSecret,
                            redirectURI: services.configuration.linkBase + "/sign-in/provincial/callback"),
            http: HTTPClient.shared)
        ProvincialSignInController(identity: identity, provider: provider, pages: pages).addRoutes(to: router)
    }
    MailboxController(outbox: identity.outbox, pages: pages, enabled: services.configuration.devMailboxEnabled).addRoutes(to: router)
    return router
}

struct ResourcesMissing: Error, CustomStringConvertible {
    var description: String { "AnyDoorApp's Resources folder is missing from the build" }
}

/// Closes the database pool when the application shuts down gracefully.
struct DatabaseShutdownService: Service {
    let database: Database

    func run() async throws {
        try? await gracefulShutdown()
        await database.shutdown()
    }
}
