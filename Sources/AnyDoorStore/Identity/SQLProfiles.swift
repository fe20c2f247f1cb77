import AnyDoorCore
import Foundation
import SQLKit

/// One change of address sent to one ministry.
public struct AddressChange: Sendable, Equatable {
    public var id: String
    public var ministry: MinistryID
    public var acknowledged: Bool
    public var createdAt: Date
    public var acknowledgedAt: Date?
}

/// People's "tell us once" profiles. Saving a new address sends it, in the same transaction, to every ministry
/// the person consented to (`tell-us-once` consents) as a Standard Webhooks event `person.address-changed` to
/// that ministry's registered systems; each ministry acknowledges through the API.
public struct SQLProfiles: Sendable {
    let database: Database
    let keys: KeyRing

    public init(database: Database, keys: KeyRing) {
        self.database = database
        self.keys = keys
    }

    public func profile(of person: PersonID) async throws -> PersonProfile {
        try await database.withSQL { sql in
            guard let row = try await sql.select().column("profile_enc").from("person_profiles").where("person_id", .equal, person.description).first() else {
                return PersonProfile()
            }
            let text = try keys.open(try row.decode(column: "profile_enc", as: String.self), context: "profiles.profile")
            return try JSONDecoder().decode(PersonProfile.self, from: Data(text.utf8))
        }
    }

    struct AddressEvent: Encodable {
        struct Body: Encodable {
            var change_id, person_id, street, city, postal_code, province: String
        }
        var type = "person.address-changed"
        var timestamp: String
        var data: Body
    }

    /// Saves the profile; returns how many ministries the new address was sent to (0 when it did not change).
    public func save(_ profile: PersonProfile, of person: PersonID, actor: String, channel: Channel, at time: Date) async throws -> Int {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        let sealed = try keys.seal(String(decoding: try encoder.encode(profile), as: UTF8.self), context: "profiles.profile")
        let previous = try await self.profile(of: person)
        return try await database.transaction { sql in
            try await sql.delete(from: "person_profiles").where("person_id", .equal, person.description).run()
            try await sql.insert(into: "person_profiles").columns("person_id", "profile_enc", "updated_at")
                .values(SQLBind(person.description), SQLBind(sealed), SQLBind(time.timeIntervalSince1970)).run()
            let audit = SQLAuditLog(database: database, keys: keys)
            try await audit.append(AuditEntry(at: time, actor: actor, action: "profile.saved", target: "person:\(person)", channel: channel), on: sql)
            guard let address = profile.address, address != previous.address else { return 0 }
            let ministries = try await sql.select().column("ministry_id").from("consents").where("person_id", .equal, person.description)
                .where("purpose", .equal, ConsentPurpose.tellUsOnce.rawValue).where("withdrawn_at", .is, SQLLiteral.null).all()
                .map { try $0.decode(column: "ministry_id", as: String.self) }
            for ministry in Set(ministries).sorted() {
                let id = UUID().uuidString.lowercased()
                try await sql.insert(into: "address_changes").columns("id", "person_id", "ministry_id", "status", "created_at")
                    .values(SQLBind(id), SQLBind(person.description), SQLBind(ministry), SQLBind("sent"), SQLBind(time.timeIntervalSince1970)).run()
                let event = AddressEvent(timestamp: ISO8601DateFormatter().string(from: time), data: .init(
                    change_id: id, person_id: person.description, street: address.street, city: address.city, postal_code: address.postalCode, province: address.province))
                try await WebhookOutbox.enqueue(toMinistry: ministry, subject: "address-change:\(id)", payload: String(decoding: try encoder.encode(event), as: UTF8.self),
                                                type: event.type, keys: keys, at: time, on: sql)
                try await audit.append(AuditEntry(at: time, actor: actor, action: "profile.address-sent", target: "person:\(person)", channel: channel,
                                                  detail: "ministry:\(ministry)"), on: sql)
            }
            return Set(ministries).count
        }
    }

    public func changes(of person: PersonID) async throws -> [AddressChange] {
        try await database.withSQL { sql in
            try await sql.select().columns("id", "ministry_id", "status", "created_at", "acknowledged_at").from("address_changes")
                .where("person_id", .equal, person.description).orderBy("created_at", .descending).limit(50).all().compactMap { row in
                    guard let ministry = MinistryID(try row.decode(column: "ministry_id", as: String.self)) else { return nil }
                    return AddressChange(id: try row.decode(column: "id", as: String.self), ministry: ministry,
                                         acknowledged: try row.decode(column: "status", as: String.self) == "acknowledged",
                                         createdAt: Date(timeIntervalSince1970: try row.decode(column: "created_at", as: Double.self)),
                                         acknowledgedAt: try row.decode(column: "acknowledged_at", as: Double?.self).map(Date.init(timeIntervalSince1970:)))
                }
        }
    }

    /// A ministry's system confirms it has the new address. Only a change sent to that ministry; `false` otherwise.
    public func acknowledge(_ id: String, ministry: MinistryID, client: String, at time: Date) async throws -> Bool {
        try await database.transaction { sql in
            guard let row = try await sql.select().columns("ministry_id", "person_id", "status").from("address_changes").where("id", .equal, id).first(),
                  try row.decode(column: "ministry_id", as: String.self) == ministry.description else { return false }
            if try row.decode(column: "status", as: String.self) != "acknowledged" {
                try await sql.update("address_changes").set("status", to: "acknowledged").set("acknowledged_at", to: time.timeIntervalSince1970)
                    .set("acknowledged_by", to: client).where("id", .equal, id).run()
                try await SQLAuditLog(database: database, keys: keys).append(AuditEntry(
                    at: time, actor: "client:\(client)", action: "profile.address-acknowledged",
                    target: "person:\(try row.decode(column: "person_id", as: String.self))", channel: .api, detail: "ministry:\(ministry)"), on: sql)
            }
            return true
        }
    }
}
