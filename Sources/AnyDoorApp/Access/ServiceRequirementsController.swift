import AnyDoorCore
import AnyDoorStore
import Foundation
import Hummingbird

/// `GET/PUT /api/v1/service-requirements/{code}`: the identity level and sign-in strength a service asks.
/// Administrators set them until the catalogue states them per service.
struct ServiceRequirementsController: Sendable {
    let requirements: SQLServiceRequirements
    let database: Database
    let audit: SQLAuditLog
    let environment: AnyDoorCore.Environment

    struct Resource: Codable, Sendable {
        let serviceCode: String
        let assuranceLevel: Int
        let authentication: String

        enum CodingKeys: String, CodingKey {
            case serviceCode = "service_code"
            case assuranceLevel = "assurance_level"
            case authentication
        }
    }

    struct Input: Decodable, Sendable {
        let assuranceLevel: Int?
        let authentication: String?

        enum CodingKeys: String, CodingKey {
            case assuranceLevel = "assurance_level"
            case authentication
        }
    }

    static func name(_ level: AuthenticationLevel) -> String { level == .multiFactor ? "multi-factor" : "single-factor" }

    func addRoutes(to router: Router<AppRequestContext>) {
        router.get("/api/v1/service-requirements/{code}") { _, context in
            let code = try Self.code(context)
            let requirement = try await requirements.requirement(for: code)
            return try APIResponse.json(Resource(serviceCode: code, assuranceLevel: requirement.assurance.rawValue, authentication: Self.name(requirement.authentication)))
        }
        router.put("/api/v1/service-requirements/{code}") { request, context in
            try context.require(.manageMinistries)
            let code = try Self.code(context)
            let input = try await JSONBody.decode(Input.self, from: request)
            var problems = ValidationCollector()
            let assurance = input.assuranceLevel.flatMap(AssuranceLevel.init(rawValue:))
            if assurance == nil { problems.add("assurance_level", "invalid", "Give 1, 2 or 3.") }
            let authentication: AuthenticationLevel? = switch input.authentication {
            case "single-factor": .singleFactor
            case "multi-factor": .multiFactor
            default: nil
            }
            if authentication == nil { problems.add("authentication", "invalid", "Give single-factor or multi-factor.") }
            try problems.check()
            let requirement = ServiceAccessRequirement(assurance: assurance!, authentication: authentication!)
            let now = environment.now()
            try await database.transaction { sql in
                try await requirements.set(requirement, for: code, at: now, on: sql)
                try await audit.append(AuditEntry(at: now, actor: context.actor.auditName, action: "service.requirement-set", target: "service:\(code)", channel: .api,
                                                  detail: "assurance \(requirement.assurance.rawValue), \(Self.name(requirement.authentication))"), on: sql)
            }
            return try APIResponse.json(Resource(serviceCode: code, assuranceLevel: requirement.assurance.rawValue, authentication: Self.name(requirement.authentication)))
        }
    }

    static func code(_ context: AppRequestContext) throws -> String {
        let code = context.parameters.get("code") ?? ""
        guard (1...64).contains(code.count), code.allSatisfy({ $0.isASCII && ($0.isLowercase || $0.isNumber || $0 == "-") }) else {
            throw Problem(.badRequest, slug: "invalid-id", title: "Invalid service code", detail: "A service code is 1 to 64 lower-case letters, digits and hyphens.",
                          errors: [FieldError(field: "code", code: "invalidFormat", message: "Lower-case letters, digits and hyphens.")])
        }
        return code
    }
}
