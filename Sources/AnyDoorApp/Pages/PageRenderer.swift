import AnyDoorCore
import Foundation
import Hummingbird
import Mustache

/// A page's model: the data one template shows, typed (never a `[String: Any]`).
protocol PageModel: Sendable {
    /// The template in `Resources/Templates`, without extension.
    static var template: String { get }
    /// The catalog key of the page's title.
    var titleKey: String { get }
    /// A title that is content rather than interface (a service's name); overrides `titleKey` when set.
    var titleText: String? { get }
    /// schema.org JSON-LD for the page's head, already encoded (slashes escaped so it cannot end the script).
    var jsonLD: String? { get }
}

extension PageModel {
    var titleText: String? { nil }
    var jsonLD: String? { nil }
}

/// Renders page models inside the shared layout, in the request's language.
struct PageRenderer: Sendable {
    let library: MustacheLibrary
    let catalog: MessageCatalog
    /// Whether sign-in with the provincial identity provider is offered.
    var provincialSignIn = false

    static func load(resources: URL, provincialSignIn: Bool = false) async throws -> PageRenderer {
        let library = try await MustacheLibrary(directory: resources.appendingPathComponent("Templates").path)
        let catalog = try MessageCatalog.load(from: resources.appendingPathComponent("Locales"))
        return PageRenderer(library: library, catalog: catalog, provincialSignIn: provincialSignIn)
    }

    /// What every template can reach: the translator `t` (`t.home.title`), `layout` and `page`.
    struct Document<Page: PageModel>: Sendable, MustacheParent {
        let t: Translator
        let layout: LayoutModel
        let page: Page

        // Named look-ups instead of reflection (Mirror is slow on Linux, and these run on every page).
        func child(named name: String) -> Any? {
            switch name {
            case "t": t
            case "layout": layout
            case "page": page
            default: nil
            }
        }
    }

    func render<Page: PageModel>(_ page: Page, context: AppRequestContext, path: String, status: HTTPResponse.Status = .ok) -> Response {
        Self.htmlResponse(renderBody(page, context: context, path: path), status: status)
    }

    static func htmlResponse(_ body: ByteBuffer, status: HTTPResponse.Status = .ok) -> Response {
        Response(status: status, headers: [.contentType: "text/html; charset=utf-8"], body: .init(byteBuffer: body))
    }

    /// The whole document. For a visitor who is not signed in it depends only on the page, the language and
    /// the path, so callers may keep it (see `ServicePageCache`).
    func renderBody<Page: PageModel>(_ page: Page, context: AppRequestContext, path: String) -> ByteBuffer {
        let translator = translator(for: context)
        var layout = LayoutModel(language: context.language, title: page.titleText ?? translator(page.titleKey), path: path, requestID: context.requestID,
                                 actor: context.actor, csrfToken: context.csrfToken, provincialSignIn: provincialSignIn)
        layout.jsonLD = page.jsonLD
        let html = library.render(Document(t: translator, layout: layout, page: page), withTemplate: Page.template) ?? ""
        return ByteBuffer(string: html)
    }

    func errorPage(_ problem: Problem, context: AppRequestContext) -> Response {
        render(ErrorPage(problem: problem, translate: translator(for: context)), context: context, path: "/", status: problem.httpStatus)
    }

    func translator(for context: AppRequestContext) -> Translator {
        Translator(catalog: catalog, language: context.language)
    }
}

/// What the layout shows around every page.
struct LayoutModel: Sendable, MustacheParent {
    let lang: String
    let dir: String
    let title: String
    let requestID: String
    /// The same page in every other language (the switcher), marked with their own language.
    let languages: [LanguageLink]
    let isSignedIn: Bool
    let isStaff: Bool
    let isPerson: Bool
    let csrfToken: String
    let provincialSignIn: Bool
    var jsonLD: String?

    init(language: LanguageCode, title: String, path: String, requestID: String, actor: Actor = .anonymous, csrfToken: String = "", provincialSignIn: Bool = false) {
        self.provincialSignIn = provincialSignIn
        self.isSignedIn = actor.personID != nil || actor.staffID != nil
        self.isStaff = actor.staffID != nil
        self.isPerson = actor.personID != nil
        self.csrfToken = csrfToken
        self.lang = language.rawValue
        self.dir = language.isRightToLeft ? "rtl" : "ltr"
        self.title = title
        self.requestID = requestID
        self.languages = LanguageCode.allCases.map { other in
            LanguageLink(tag: other.rawValue, name: other.endonym, href: "\(path)\(path.contains("?") ? "&" : "?")lang=\(other.rawValue)",
                         isCurrent: other == language, dir: other.isRightToLeft ? "rtl" : "ltr")
        }
    }
}

struct LanguageLink: Sendable, MustacheParent {
    let tag: String
    let name: String
    let href: String
    let isCurrent: Bool
    let dir: String

    func child(named name: String) -> Any? {
        switch name {
        case "tag": tag
        case "name": self.name
        case "href": href
        case "isCurrent": isCurrent
        case "dir": dir
        default: nil
        }
    }
}

extension LayoutModel {
    func child(named name: String) -> Any? {
        switch name {
        case "lang": lang
        case "dir": dir
        case "title": title
        case "requestID": requestID
        case "languages": languages
        case "isSignedIn": isSignedIn
        case "isStaff": isStaff
        case "isPerson": isPerson
        case "csrfToken": csrfToken
        case "provincialSignIn": provincialSignIn
        case "jsonLD": jsonLD
        default: nil
        }
    }
}
