import AnyDoorCore
import Foundation
import SQLKit

/// Consents, disclosures, correction requests and the retention purge.
public struct SQLPrivacy: Sendable {
    let database: Database
    let keys: KeyRing

    public init(database: Database, keys: KeyRing) {
        self.database = database
        self.keys = keys
    }

    // MARK: Consents

    public struct Consent: Sendable, Equatable {
        public let id: UUID
        public let purpose: ConsentPurpose
        public let ministry: MinistryID
        public let grantedAt: Date
        public let withdrawnAt: Date?
    }

    public func consents(of person: PersonID) async throws -> [Consent] {
        try await database.withSQL { sql in
            try await sql.select().columns("*").from("consents").where("person_id", .equal, person.description).orderBy("granted_at").all().compactMap { row in
                guard let id = UUID(uuidString: try row.decode(column: "id", as: String.self)),
                      let purpose = ConsentPurpose(rawValue: try row.decode(column: "purpose", as: String.self)),
                      let ministry = MinistryID(try row.decode(column: "ministry_id", as: String.self)) else { return nil }
                return Consent(id: id, purpose: purpose, ministry: ministry, grantedAt: Date(timeIntervalSince1970: try row.decode(column: "granted_at", as: Double.self)),
                               withdrawnAt: try row.decode(column: "withdrawn_at", as: Double?.self).map(Date.init(timeIntervalSince1970:)))
            }
        }
    }

    /// Makes the active consents for `purpose` exactly `ministries`: new ones granted, dropped ones withdrawn
    /// (withdrawn consents stay on record). Returns (granted, withdrawn).
    public func setConsents(person: PersonID, purpose: ConsentPurpose, ministries: Set<MinistryID>, at time: Date, makeID: () -> UUID, on sql: any SQLDatabase) async throws -> ([MinistryID], [MinistryID]) {
        let rows = try await sql.select().columns("id", "ministry_id").from("consents").where("person_id", .equal, person.description)
            .where("purpose", .equal, purpose.rawValue).where("withdrawn_at", .is, SQLLiteral.null).all()
        var active: [MinistryID: String] = [:]
        for row in rows {
            if let ministry = MinistryID(try row.decode(column: "ministry_id", as: String.self)) { active[ministry] = try row.decode(column: "id", as: String.self) }
        }
        let withdrawn = active.keys.filter { !ministries.contains($0) }
        for ministry in withdrawn {
            try await sql.update("consents").set("withdrawn_at", to: time.timeIntervalSince1970).where("id", .equal, active[ministry]!).run()
        }
        let granted = ministries.filter { active[$0] == nil }
        for ministry in granted {
            try await sql.insert(into: "consents").columns("id", "person_id", "purpose", "ministry_id", "granted_at")
                .values(SQLBind(makeID().uuidString.lowercased()), SQLBind(person.description), SQLBind(purpose.rawValue), SQLBind(ministry.description), SQLBind(time.timeIntervalSince1970)).run()
        }
        return (Array(granted), withdrawn)
    }

    // MARK: Disclosures

    public struct Disclosure: Sendable, Equatable {
        public let ministry: MinistryID
        public let what: String
        public let at: Date
    }

    public func recordDisclosure(person: PersonID, ministry: MinistryID, what: String, at time: Date, id: UUID, on sql: any SQLDatabase) async throws {
        try await sql.insert(into: "disclosures").columns("id", "person_id", "ministry_id", "what", "at")
            .values(SQLBind(id.uuidString.lowercased()), SQLBind(person.description), SQLBind(ministry.description), SQLBind(what), SQLBind(time.timeIntervalSince1970)).run()
    }

    public func disclosures(of person: PersonID, since: Date? = nil) async throws -> [Disclosure] {
        try await database.withSQL { sql in
            var query = sql.select().columns("ministry_id", "what", "at").from("disclosures").where("person_id", .equal, person.description)
            if let since { query = query.where("at", .greaterThanOrEqual, since.timeIntervalSince1970) }
            return try await query.orderBy("at", .descending).all().compactMap { row in
                guard let ministry = MinistryID(try row.decode(column: "ministry_id", as: String.self)) else { return nil }
                return Disclosure(ministry: ministry, what: try row.decode(column: "what", as: String.self), at: Date(timeIntervalSince1970: try row.decode(column: "at", as: Double.self)))
            }
        }
    }

    // MARK: Corrections

    public struct Correction: Sendable, Equatable {
        public let id: UUID
        public let person: PersonID
        public let field: String
        public let requested: String
        public let reason: String
        public let status: String
        public let annotation: String?
        public let createdAt: Date
        public let resolvedAt: Date?
    }

    public func requestCorrection(id: UUID, person: PersonID, field: String, requested: String, reason: String, at time: Date, on sql: any SQLDatabase) async throws {
        try await sql.insert(into: "correction_requests").columns("id", "person_id", "field", "requested_enc", "reason_enc", "status", "created_at")
            .values(SQLBind(id.uuidString.lowercased()), SQLBind(person.description), SQLBind(field), SQLBind(try keys.seal(requested, context: "corrections.requested")),
                    SQLBind(try keys.seal(reason, context: "corrections.reason")), SQLBind("open"), SQLBind(time.timeIntervalSince1970)).run()
    }

    public func corrections(of person: PersonID? = nil, openOnly: Bool = false) async throws -> [Correction] {
        try await database.withSQL { sql in
            var query = sql.select().columns("*").from("correction_requests")
            if let person { query = query.where("person_id", .equal, person.description) }
            if openOnly { query = query.where("status", .equal, "open") }
            return try await query.orderBy("created_at").all().compactMap { row in
                guard let id = UUID(uuidString: try row.decode(column: "id", as: String.self)), let person = PersonID(try row.decode(column: "person_id", as: String.self)) else { return nil }
                return Correction(id: id, person: person, field: try row.decode(column: "field", as: String.self),
                                  requested: try keys.open(try row.decode(column: "requested_enc", as: String.self), context: "corrections.requested"),
                                  reason: try keys.open(try row.decode(column: "reason_enc", as: String.self), context: "corrections.reason"),
                                  status: try row.decode(column: "status", as: String.self),
                                  annotation: try row.decode(column: "annotation_enc", as: String?.self).map { try keys.open($0, context: "corrections.annotation") },
                                  createdAt: Date(timeIntervalSince1970: try row.decode(column: "created_at", as: Double.self)),
                                  resolvedAt: try row.decode(column: "resolved_at", as: Double?.self).map(Date.init(timeIntervalSince1970:)))
            }
        }
    }

    public func resolveCorrection(_ id: UUID, status: String, annotation: String?, by staff: StaffID, at time: Date, on sql: any SQLDatabase) async throws {
        try await sql.update("correction_requests").set("status", to: status)
            .set("annotation_enc", to: try annotation.map { try keys.seal($0, context: "corrections.annotation") })
            .set("resolved_at", to: time.timeIntervalSince1970).set("resolved_by", to: staff.description)
            .where("id", .equal, id.uuidString.lowercased()).run()
    }

    // MARK: Retention

    /// Deletes what the schedule says is past its time; returns the count per table. Sessions are only
    /// purged once ended (revoked, or idle past `idle`).
    public func purge(rules: [RetentionRule] = RetentionRule.schedule, now: Date) async throws -> [String: Int] {
        var counts: [String: Int] = [:]
        for rule in rules {
            let cutoff = now.addingTimeInterval(-rule.keep).timeIntervalSince1970
            counts[rule.table] = try await database.transaction { sql in
                let before = try await Self.count(rule.table, on: sql)
                try await sql.delete(from: rule.table).where(SQLIdentifier(rule.column), .lessThan, SQLBind(cutoff)).run()
                return before - (try await Self.count(rule.table, on: sql))
            }
        }
        return counts
    }

    static func count(_ table: String, on sql: any SQLDatabase) async throws -> Int {
        try await sql.select().column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n").from(table).first()?.decode(column: "n", as: Int.self) ?? 0
    }
}
