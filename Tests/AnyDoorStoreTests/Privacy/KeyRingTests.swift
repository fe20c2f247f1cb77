import AnyDoorCore
import AnyDoorStore
import Foundation
import SQLKit
import Testing

@Suite struct KeyRingTests {
    @Test func sealedValuesOpenOnlyInTheirOwnContextAndAreRandomised() throws {
        let ring = TestKeys.ring
        let first = try ring.seal("Ada Lovelace", context: "people.name")
        let second = try ring.seal("Ada Lovelace", context: "people.name")
        #expect(first != second) // a fresh nonce each time
        #expect(first.hasPrefix("k1:"))
        #expect(try ring.open(first, context: "people.name") == "Ada Lovelace")
        #expect(throws: (any Error).self) { try ring.open(first, context: "people.email") }
        var tampered = Array(first)
        let middle = tampered.count / 2
        tampered[middle] = tampered[middle] == "A" ? "B" : "A"
        #expect(throws: (any Error).self) { try ring.open(String(tampered), context: "people.name") }
    }

    @Test func blindIndexesAreStablePerContextAndKeyed() throws {
        let ring = TestKeys.ring
        let other = try KeyRing(dataKeys: [("k1", TestKeys.key(1))], indexKey: TestKeys.key(8))
        #expect(ring.blindIndex("ada@example.ca", context: "people.email") == ring.blindIndex("ada@example.ca", context: "people.email"))
        #expect(ring.blindIndex("ada@example.ca", context: "people.email") != ring.blindIndex("ada@example.ca", context: "staff.email"))
        #expect(ring.blindIndex("ada@example.ca", context: "people.email") != other.blindIndex("ada@example.ca", context: "people.email"))
    }

    @Test(arguments: [
        ("k1:" + Data(repeating: 1, count: 16).base64EncodedString(), Data(repeating: 9, count: 32).base64EncodedString(), KeyRingError.wrongKeyLength("k1")),
        ("k1:not-base64", Data(repeating: 9, count: 32).base64EncodedString(), KeyRingError.unparseable("ANYDOOR_DATA_KEYS")),
        ("", Data(repeating: 9, count: 32).base64EncodedString(), KeyRingError.noDataKey),
        ("k1:" + Data(repeating: 1, count: 32).base64EncodedString(), "short", KeyRingError.unparseable("ANYDOOR_INDEX_KEY")),
    ])
    func badKeyConfigurationIsRefusedWithTheReason(_ dataKeys: String, _ indexKey: String, _ expected: KeyRingError) {
        #expect(throws: expected) { try KeyRing.parse(dataKeys: dataKeys, indexKey: indexKey) }
    }

    @Test(arguments: TestDatabase.available)
    func rotationReencryptsEveryPersonalFieldUnderTheNewKey(_ kind: TestDatabase) async throws {
        try await kind.withMigrated { database in
            // setup: two people under k1
            let people = SQLPeople(database: database, keys: TestKeys.ring)
            for (index, name) in ["Ada Lovelace", "Grace Hopper"].enumerated() {
                let person = Person(id: PersonID(rawValue: UUID()), email: "p\(index)@example.ca", name: name, preferredLanguage: .english,
                                    assurance: .selfAsserted, emailVerifiedAt: nil, createdAt: Date())
                try await database.transaction { try await people.create(person, passwordHash: nil, on: $0) }
            }
            // MUT: k2 becomes current; rotate
            let rotated = try KeyRing(dataKeys: [("k2", TestKeys.key(2)), ("k1", TestKeys.key(1))], indexKey: TestKeys.key(9))
            let rotation = KeyRotation(database: database, keys: rotated)
            #expect(try await rotation.valuesUnderOldKeys() == 4)
            let changed = try await rotation.reencryptAll()
            // validate: nothing left under k1, and a ring without k1 reads everything
            #expect(changed == 4)
            #expect(try await rotation.valuesUnderOldKeys() == 0)
            let onlyNew = try KeyRing(dataKeys: [("k2", TestKeys.key(2))], indexKey: TestKeys.key(9))
            let found = try await SQLPeople(database: database, keys: onlyNew).find(email: "p1@example.ca")
            #expect(found?.person.name == "Grace Hopper")
        }
    }

    @Test(arguments: TestDatabase.available)
    func everySealedColumnOfTheSchemaIsCoveredByRotation(_ kind: TestDatabase) async throws {
        try await kind.withMigrated { database in
            let query: SQLQueryString = kind == .sqlite
                ? "SELECT m.name AS t, p.name AS c FROM sqlite_master m JOIN pragma_table_info(m.name) p WHERE m.type = 'table' AND p.name LIKE '%_enc'"
                : "SELECT table_name AS t, column_name AS c FROM information_schema.columns WHERE table_schema = current_schema() AND column_name LIKE '%\\_enc'"
            let schema = try await database.withSQL { sql in
                try await sql.raw(query).all().map { "\(try $0.decode(column: "t", as: String.self)).\(try $0.decode(column: "c", as: String.self))" }
            }
            #expect(schema.count > 20)
            #expect(Set(schema) == Set(EncryptedColumns.all.map { "\($0.table).\($0.column)" }))
        }
    }

    @Test(arguments: TestDatabase.available)
    func rotationInSmallBatchesLeavesRequestsTheirTimelineAndDocumentsReadableUnderTheNewKeyAlone(_ kind: TestDatabase) async throws {
        try await kind.withMigrated { database in
            let requests = SQLRequests(database: database, keys: TestKeys.ring)
            let pdf = Data("%PDF-1.7\nrotation test\n%%EOF\n".utf8)
            var open = OpenRequest(service: draftService(), personID: nil, language: .english, channel: .online, party: .requester, actor: "person:test",
                                   answers: RequestAnswers(), description: "Please hurry")
            open.attachments = try AttachmentRules.check([UploadedFile(name: "a.pdf", data: pdf), UploadedFile(name: "b.pdf", data: pdf)]).get()
            let request = try await requests.open(open, at: Date())
            try await requests.addMessage(request.id, body: "A second note", by: RequestActor(party: .requester, channel: .online, name: "person:test"), at: Date())

            let rotated = try KeyRing(dataKeys: [("k2", TestKeys.key(2)), ("k1", TestKeys.key(1))], indexKey: TestKeys.key(9))
            let rotation = KeyRotation(database: database, keys: rotated, batch: 1)
            let before = try await rotation.valuesUnderOldKeys()
            // answers, description, 2 names, 2 blobs, 2 event notes (attachment names, message)
            #expect(before == 8)
            #expect(try await rotation.reencryptAll() == before)
            #expect(try await rotation.valuesUnderOldKeys() == 0)

            let onlyNew = SQLRequests(database: database, keys: try KeyRing(dataKeys: [("k2", TestKeys.key(2))], indexKey: TestKeys.key(9)))
            let found = try #require(try await onlyNew.find(request.id))
            #expect(found.description == "Please hurry")
            #expect(try await onlyNew.timeline(request.id).compactMap(\.note) == ["a.pdf, b.pdf", "A second note"])
            let documents = try await onlyNew.attachments(of: request.id)
            #expect(documents.map(\.name) == ["a.pdf", "b.pdf"])
            #expect(try await onlyNew.attachment(documents[1].id, of: request.id)?.1 == pdf)
        }
    }
}
