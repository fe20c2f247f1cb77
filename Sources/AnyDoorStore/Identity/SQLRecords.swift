import AnyDoorCore
import Foundation
import SQLKit

/// The record-access log ("who looked at my information"), in-person identity proofing and
/// representations.
public struct SQLRecords: Sendable {
    let database: Database

    public init(database: Database) {
        self.database = database
    }

    /// One staff access to a person's record, as the person will see it.
    public struct Access: Sendable, Equatable {
        public let at: Date
        public let organisation: String
        public let purpose: AccessPurpose
    }

    public func logAccess(person: PersonID, staff: StaffID, organisation: String, purpose: AccessPurpose, at time: Date, id: UUID, on sql: any SQLDatabase) async throws {
        try await sql.insert(into: "record_access").columns("id", "person_id", "at", "organisation", "purpose", "staff_id")
            .values(SQLBind(id.uuidString.lowercased()), SQLBind(person.description), SQLBind(time.timeIntervalSince1970),
                    SQLBind(organisation), SQLBind(purpose.rawValue), SQLBind(staff.description)).run()
    }

    /// Accesses to a person's record, newest first. Staff names are deliberately not returned.
    public func accesses(to person: PersonID) async throws -> [Access] {
        try await database.withSQL { sql in
            try await sql.select().columns("at", "organisation", "purpose").from("record_access").where("person_id", .equal, person.description)
                .orderBy("at", .descending).all().compactMap { row in
                    guard let purpose = AccessPurpose(rawValue: try row.decode(column: "purpose", as: String.self)) else { return nil }
                    return Access(at: Date(timeIntervalSince1970: try row.decode(column: "at", as: Double.self)),
                                  organisation: try row.decode(column: "organisation", as: String.self), purpose: purpose)
                }
        }
    }

    public func recordVerification(_ verification: IdentityVerification, id: UUID, on sql: any SQLDatabase) async throws {
        try await sql.insert(into: "identity_verifications")
            .columns("id", "person_id", "evidence", "method", "verified", "staff_id", "office", "interpreter_present", "at")
            .values(SQLBind(id.uuidString.lowercased()), SQLBind(verification.person.description), SQLBind(verification.evidence.map(\.rawValue).joined(separator: ",")),
                    SQLBind(verification.method.rawValue), SQLBind(verification.verified ? 1 : 0), SQLBind(verification.agent.description),
                    SQLBind(verification.office), SQLBind(verification.interpreterPresent ? 1 : 0), SQLBind(verification.at.timeIntervalSince1970)).run()
    }

    public func verifications(of person: PersonID) async throws -> [IdentityVerification] {
        try await database.withSQL { sql in
            try await sql.select().columns("*").from("identity_verifications").where("person_id", .equal, person.description).orderBy("at", .descending).all().compactMap { row in
                guard let agent = StaffID(try row.decode(column: "staff_id", as: String.self)),
                      let method = CheckMethod(rawValue: try row.decode(column: "method", as: String.self)) else { return nil }
                return IdentityVerification(
                    person: person,
                    evidence: try row.decode(column: "evidence", as: String.self).split(separator: ",").compactMap { EvidenceType(rawValue: String($0)) },
                    method: method, verified: try row.decode(column: "verified", as: Int.self) == 1, agent: agent,
                    office: try row.decode(column: "office", as: String.self), interpreterPresent: try row.decode(column: "interpreter_present", as: Int.self) == 1,
                    at: Date(timeIntervalSince1970: try row.decode(column: "at", as: Double.self)))
            }
        }
    }

    public func saveRepresentation(_ representation: Representation, on sql: any SQLDatabase) async throws {
        let services = try String(decoding: JSONEncoder().encode(representation.services.mapValues(\.rawValue)), as: UTF8.self)
        try await sql.insert(into: "representations")
            .columns("id", "person_id", "representative_id", "relationship", "services", "starts", "ends", "evidence", "verified_by", "created_at")
            .values(SQLBind(representation.id.description), SQLBind(representation.person.description), SQLBind(representation.representative.description),
                    SQLBind(representation.relationship.rawValue), SQLBind(services), SQLBind(representation.starts.timeIntervalSince1970),
                    SQLBind(representation.ends.timeIntervalSince1970), SQLBind(representation.evidence), SQLBind(representation.verifiedBy?.description),
                    SQLBind(representation.createdAt.timeIntervalSince1970)).run()
    }

    /// Revokes at once. Only the person represented (checked by the caller) may revoke.
    public func revokeRepresentation(_ id: RepresentationID, person: PersonID, at time: Date, on sql: any SQLDatabase) async throws -> Bool {
        guard try await sql.select().column("id").from("representations").where("id", .equal, id.description)
            .where("person_id", .equal, person.description).where("revoked_at", .is, SQLLiteral.null).first() != nil else { return false }
        try await sql.update("representations").set("revoked_at", to: time.timeIntervalSince1970).where("id", .equal, id.description).run()
        return true
    }

    /// Representations given by `person` (who may act for them).
    public func representations(of person: PersonID) async throws -> [Representation] {
        try await loadRepresentations(column: "person_id", id: person.description)
    }

    /// Representations held by `representative` (for whom they may act).
    public func representations(heldBy representative: PersonID) async throws -> [Representation] {
        try await loadRepresentations(column: "representative_id", id: representative.description)
    }

    func loadRepresentations(column: String, id: String) async throws -> [Representation] {
        try await database.withSQL { sql in
            try await sql.select().columns("*").from("representations").where(SQLIdentifier(column), .equal, SQLBind(id)).orderBy("created_at", .descending).all().compactMap { row in
                guard let id = RepresentationID(try row.decode(column: "id", as: String.self)),
                      let person = PersonID(try row.decode(column: "person_id", as: String.self)),
                      let representative = PersonID(try row.decode(column: "representative_id", as: String.self)),
                      let relationship = Relationship(rawValue: try row.decode(column: "relationship", as: String.self)) else { return nil }
                let raw = try JSONDecoder().decode([String: String].self, from: Data(try row.decode(column: "services", as: String.self).utf8))
                return Representation(
                    id: id, person: person, representative: representative, relationship: relationship,
                    services: raw.compactMapValues(RepresentationScope.init(rawValue:)),
                    starts: Date(timeIntervalSince1970: try row.decode(column: "starts", as: Double.self)),
                    ends: Date(timeIntervalSince1970: try row.decode(column: "ends", as: Double.self)),
                    evidence: try row.decode(column: "evidence", as: String?.self),
                    verifiedBy: try row.decode(column: "verified_by", as: String?.self).flatMap(StaffID.init),
                    revokedAt: try row.decode(column: "revoked_at", as: Double?.self).map(Date.init(timeIntervalSince1970:)),
                    createdAt: Date(timeIntervalSince1970: try row.decode(column: "created_at", as: Double.self)))
            }
        }
    }
}
