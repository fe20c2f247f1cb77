import AnyDoorCore
import Foundation
import Hummingbird

/// `GET/POST /api/v1/ministries`, `GET/PATCH /api/v1/ministries/{id}`. Reading is public; writing
/// needs an administrator.
struct MinistriesAPIController: Sendable {
    let ministries: MinistryService
    let cache = MinistryListCache()

    func addRoutes(to router: Router<AppRequestContext>) {
        let group = router.group("/api/v1/ministries")
        group.get { request, _ in
            let (body, etag) = try await listBody()
            if request.headers[.ifNoneMatch] == etag {
                return Response(status: .notModified, headers: [.eTag: etag])
            }
            return Response(status: .ok, headers: [.contentType: "application/json", .eTag: etag], body: .init(byteBuffer: body))
        }
        group.get("{id}") { _, context in
            let id = try Self.ministryID(context)
            return try await APIResponse.json(MinistryResource(ministries.get(id)))
        }
        group.post { request, context in
            try context.require(.manageMinistries)
            let input = try await JSONBody.decode(MinistryInput.self, from: request)
            let ministry = try await ministries.create(input)
            cache.clear()
            var response = try APIResponse.json(MinistryResource(ministry), status: .created)
            response.headers[.location] = "/api/v1/ministries/\(ministry.id)"
            return response
        }
        group.patch("{id}") { request, context in
            try context.require(.manageMinistries)
            let id = try Self.ministryID(context)
            let input = try await JSONBody.decode(MinistryInput.self, from: request)
            let changed = try await ministries.update(id, with: input)
            cache.clear()
            return try APIResponse.json(MinistryResource(changed))
        }
    }

    /// The encoded list, from the cache when fresh.
    func listBody() async throws -> (ByteBuffer, String) {
        if let cached = cache.current() { return cached }
        let body = try await APIResponse.encode(MinistryList(items: ministries.list().map(MinistryResource.init)))
        let etag = "\"" + OneTimeCodes.digest(String(buffer: body)).prefix(32) + "\""
        cache.store(body, etag: etag)
        return (body, etag)
    }

    static func ministryID(_ context: AppRequestContext) throws -> MinistryID {
        let raw = context.parameters.get("id") ?? ""
        guard let id = MinistryID(raw) else {
            throw Problem(.badRequest, slug: "invalid-id", title: "Invalid id",
                          detail: "A ministry id is a UUID such as 0b3c4f0e-7d1a-4c6e-9a51-2f8e1c3d5b7a.",
                          errors: [FieldError(field: "id", code: "invalidFormat", message: "Not a UUID.")])
        }
        return id
    }
}
