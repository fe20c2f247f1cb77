import AnyDoorCore
import Hummingbird
import Mustache

/// `/ministries`: every ministry, named in the reader's language where a translation exists.
struct MinistriesPage: PageModel, MustacheParent {
    static let template = "ministries"
    let titleKey = "ministries.title"
    let rows: [Row]

    func child(named name: String) -> Any? {
        name == "rows" ? rows : nil
    }

    struct Row: Sendable, MustacheParent {
        // Rows are read many times per page: named look-ups, not reflection.
        func child(named name: String) -> Any? {
            switch name {
            case "code": code
            case "name": self.name
            case "nameLang": nameLang
            case "phone": phone
            case "email": email
            case "website": website
            default: nil
            }
        }

        let code: String
        let name: String
        /// Set when the name is shown in English on a page in another language, so screen readers switch voice.
        let nameLang: String?
        let phone: String?
        let email: String?
        let website: String?
    }

    init(ministries: [Ministry], language: LanguageCode) {
        self.rows = ministries.map { ministry in
            let translated = ministry.names[language]
            return Row(
                code: ministry.code.rawValue,
                name: translated ?? ministry.names.resolved(for: language) ?? ministry.code.rawValue,
                nameLang: translated == nil && language != .base ? LanguageCode.base.rawValue : nil,
                phone: ministry.contact.phone, email: ministry.contact.email, website: ministry.contact.website
            )
        }
    }
}

struct MinistriesPagesController: Sendable {
    let pages: PageRenderer
    let ministries: MinistryService

    func addRoutes(to router: Router<AppRequestContext>) {
        router.get("/ministries") { _, context in
            let page = MinistriesPage(ministries: try await ministries.list(), language: context.language)
            return pages.render(page, context: context, path: "/ministries")
        }
    }
}
