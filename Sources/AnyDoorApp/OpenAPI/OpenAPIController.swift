import Foundation
import Hummingbird

/// Serves the OpenAPI 3.1 description of every JSON endpoint, kept in `Resources/openapi.json` and
/// checked against the router by a test, so a new route cannot go undocumented.
struct OpenAPIController: Sendable {
    let document: ByteBuffer

    init(resources: URL) throws {
        self.document = ByteBuffer(bytes: try Data(contentsOf: resources.appendingPathComponent("openapi.json")))
    }

    func addRoutes(to router: Router<AppRequestContext>) {
        router.get("/openapi.json") { _, _ in
            Response(status: .ok, headers: [.contentType: "application/json", .cacheControl: "public, max-age=300"], body: .init(byteBuffer: document))
        }
    }
}
