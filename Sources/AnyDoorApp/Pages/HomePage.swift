import AnyDoorCore
import Hummingbird

/// The front door: what AnyDoor is and where to go next.
struct HomePage: PageModel {
    static let template = "home"
    let titleKey = "home.title"
    let ministryCount: String
}

/// Routes for the public pages that belong to no single part.
struct HomeController: Sendable {
    let pages: PageRenderer
    let ministries: MinistryService

    func addRoutes(to router: Router<AppRequestContext>) {
        router.get("/") { request, context in
            let count = try await ministries.count()
            let text = pages.translator(for: context).format("home.ministryCount", ["count": "\(count)"])
            return pages.render(HomePage(ministryCount: text), context: context, path: "/")
        }
    }
}
