import AnyDoorCore
import AnyDoorStore
import Foundation
import SQLKit
import Testing

@Suite struct AttachmentStoreTests {
    static let pdf = Data("%PDF-1.7\n1 0 obj << /Type /Catalog /Note (passport number AB123456) >> endobj\n%%EOF\n".utf8)
    static let png = Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A] + Array(repeating: 7, count: 64))

    func open(_ requests: SQLRequests, files: [UploadedFile], at time: Date) async throws -> ServiceRequest {
        var open = OpenRequest(service: draftService(), personID: nil, language: .english, channel: .online, party: .requester, actor: "person:test",
                               answers: RequestAnswers())
        open.attachments = try AttachmentRules.check(files).get()
        return try await requests.open(open, at: time)
    }

    @Test(arguments: TestDatabase.available)
    func documentsAreSealedApartReadBackCheckedAndLimited(_ kind: TestDatabase) async throws {
        try await kind.withMigrated { database in
            let requests = SQLRequests(database: database, keys: TestKeys.ring)
            let now = Date(timeIntervalSince1970: 1_790_000_000)
            let request = try await open(requests, files: [UploadedFile(name: "passport scan.pdf", data: Self.pdf), UploadedFile(name: "photo", data: Self.png)], at: now)
            let stored = try await requests.attachments(of: request.id)
            #expect(stored.map(\.name) == ["passport scan.pdf", "photo.png"])
            #expect(stored.map(\.kind) == [.pdf, .png])
            #expect(stored.map(\.size) == [Self.pdf.count, Self.png.count])
            // SHA-256 of the PDF above, computed independently (Python's hashlib).
            #expect(stored[0].sha256 == "214ed28e762cbe41955080af462e5a23acaf1411b0888056a416ba3c20b06ba6")
            let (first, bytes) = try #require(try await requests.attachment(stored[0].id, of: request.id))
            #expect(first == stored[0])
            #expect(bytes == Self.pdf)
            // Not reachable through another request's id.
            let other = try await open(requests, files: [], at: now)
            #expect(try await requests.attachment(stored[0].id, of: other.id) == nil)
            // The timeline says a document came, after the submission; the names are its note.
            let timeline = try await requests.timeline(request.id)
            #expect(timeline.map(\.kind) == [.opened, .transition, .attachment])
            #expect(timeline.last?.note == "passport scan.pdf, photo.png")
            // At rest: neither the bytes nor the name are readable in the database.
            let raw = try await database.withSQL { sql in
                try await sql.select().column("data_enc").from("attachment_blobs").where("id", .equal, stored[0].id.description).first()?.decode(column: "data_enc", as: Data.self)
            }
            let sealed = try #require(raw)
            #expect(sealed.range(of: Data("AB123456".utf8)) == nil)
            #expect(sealed.range(of: Data("%PDF".utf8)) == nil)
            let names = try await database.withSQL { sql in
                try await sql.select().column("name_enc").from("request_attachments").all().map { try $0.decode(column: "name_enc", as: String.self) }
            }
            #expect(!names.contains { $0.contains("passport") })

            // Bytes swapped under the row (a blob of another document) fail the integrity check.
            try await database.withSQL { sql in
                try await sql.update("attachment_blobs").set("data_enc", to: SQLBind(try TestKeys.ring.seal(data: Self.png, context: "attachments.data")))
                    .where("id", .equal, stored[0].id.description).run()
            }
            await #expect(throws: AttachmentIntegrityError.self) { try await requests.attachment(stored[0].id, of: request.id) }

            // Ten per request: eight more fit, a ninth does not, and the refused batch stores nothing.
            let png = try AttachmentRules.check([UploadedFile(name: "p.png", data: Self.png)]).get()
            let actor = RequestActor(party: .requester, channel: .online, name: "person:test")
            try await requests.attach(Array(repeating: png[0], count: 8), to: request.id, by: actor, at: now)
            await #expect(throws: RequestError.self) { try await requests.attach(png, to: request.id, by: actor, at: now) }
            #expect(try await requests.attachments(of: request.id).count == 10)

            // Nothing can be added once the request is withdrawn.
            let late = try await open(requests, files: [], at: now)
            try await requests.transition(late.id, .withdraw, by: actor, note: nil, at: now)
            await #expect(throws: RequestError.refused(.notFrom(.withdrawn, .respond))) { try await requests.attach(png, to: late.id, by: actor, at: now) }
            #expect(try await requests.attachments(of: late.id).isEmpty)
        }
    }
}
