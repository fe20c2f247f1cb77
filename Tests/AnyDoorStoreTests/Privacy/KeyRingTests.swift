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
}
