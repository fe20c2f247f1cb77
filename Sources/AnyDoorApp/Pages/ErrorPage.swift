/// The page a person sees when something fails: what happened in plain words, and the request id
/// to quote to support. Never the technical detail of a server fault.
struct ErrorPage: PageModel {
    static let template = "error"
    let status: Int
    let titleKey: String
    let message: String

    init(problem: Problem, translate: Translator) {
        self.status = problem.status
        let messageKey: String
        switch problem.status {
        case 404:
            (titleKey, messageKey) = ("error.notFound.title", "error.notFound.message")
        case 503:
            (titleKey, messageKey) = ("error.unavailable.title", "error.unavailable.message")
        case 500...:
            (titleKey, messageKey) = ("error.server.title", "error.server.message")
        default:
            (titleKey, messageKey) = ("error.request.title", "error.request.message")
        }
        self.message = translate(messageKey)
    }
}
