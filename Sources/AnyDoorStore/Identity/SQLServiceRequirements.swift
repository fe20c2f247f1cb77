import AnyDoorCore
import Foundation
import SQLKit

/// Per-service access requirements by service code; a service with none gets ``ServiceAccessRequirement/default``.
public struct SQLServiceRequirements: Sendable {
    let database: Database

    public init(database: Database) {
        self.database = database
    }

    public func requirement(for service: String) async throws -> ServiceAccessRequirement {
        try await database.withSQL { sql in
            guard let row = try await sql.select().columns("assurance_level", "authentication_level").from("service_requirements")
                .where("service_code", .equal, service).first(),
                  let assurance = AssuranceLevel(rawValue: try row.decode(column: "assurance_level", as: Int.self)),
                  let authentication = AuthenticationLevel(rawValue: try row.decode(column: "authentication_level", as: Int.self))
            else { return .default }
            return ServiceAccessRequirement(assurance: assurance, authentication: authentication)
        }
    }

    public func set(_ requirement: ServiceAccessRequirement, for service: String, at time: Date, on sql: any SQLDatabase) async throws {
        try await sql.delete(from: "service_requirements").where("service_code", .equal, service).run()
        try await sql.insert(into: "service_requirements").columns("service_code", "assurance_level", "authentication_level", "updated_at")
            .values(SQLBind(service), SQLBind(requirement.assurance.rawValue), SQLBind(requirement.authentication.rawValue), SQLBind(time.timeIntervalSince1970)).run()
    }
}
