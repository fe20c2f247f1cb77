import AnyDoorCore
import AnyDoorStore
import Hummingbird
import Mustache

/// The front door: search, life events, and where to go next.
struct HomePage: PageModel, MustacheParent {
    static let template = "home"
    let titleKey = "home.title"
    let ministryCount: String
    let serviceCount: String
    let lifeEvents: [LifeEventCard]

    func child(named name: String) -> Any? {
        switch name {
        case "ministryCount": ministryCount
        case "serviceCount": serviceCount
        case "lifeEvents": lifeEvents
        default: nil
        }
    }
}

/// Routes for the public pages that belong to no single part.
struct HomeController: Sendable {
    let pages: PageRenderer
    let ministries: MinistryService
    let catalogue: SQLCatalogue

    func addRoutes(to router: Router<AppRequestContext>) {
        router.get("/") { request, context in
            let count = try await ministries.count()
            let services = try await catalogue.count().published
            let translate = pages.translator(for: context)
            let events = try await catalogue.lifeEvents().map { LifeEventCard($0, language: context.language) }
            return pages.render(HomePage(ministryCount: translate.format("home.ministryCount", ["count": "\(count)"]),
                                         serviceCount: translate.format("home.serviceCount", ["count": "\(services)"]),
                                         lifeEvents: events), context: context, path: "/")
        }
    }
}
