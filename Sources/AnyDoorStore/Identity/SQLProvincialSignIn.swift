import AnyDoorCore
import Foundation
import SQLKit

/// Pending provincial sign-ins and the links they create.
public struct SQLProvincialSignIn: Sendable {
    let database: Database

    public init(database: Database) {
        self.database = database
    }

    public struct PendingLogin: Sendable, Equatable {
        public let nonce: String
        public let codeVerifier: String
        public let returnTo: String
        /// Set when a signed-in person is linking the provider to their account.
        public let linkPerson: PersonID?
        public let createdAt: Date

        public init(nonce: String, codeVerifier: String, returnTo: String, linkPerson: PersonID?, createdAt: Date) {
            self.nonce = nonce
            self.codeVerifier = codeVerifier
            self.returnTo = returnTo
            self.linkPerson = linkPerson
            self.createdAt = createdAt
        }
    }

    public func start(stateHash: String, _ login: PendingLogin) async throws {
        try await database.withSQL { sql in
            try await sql.insert(into: "oidc_logins").columns("state_hash", "nonce", "code_verifier", "return_to", "link_person_id", "created_at")
                .values(SQLBind(stateHash), SQLBind(login.nonce), SQLBind(login.codeVerifier), SQLBind(login.returnTo),
                        SQLBind(login.linkPerson?.description), SQLBind(login.createdAt.timeIntervalSince1970)).run()
        }
    }

    /// Takes a pending login once (it is deleted): a replayed `state` finds nothing.
    public func finish(stateHash: String) async throws -> PendingLogin? {
        try await database.transaction { sql in
            guard let row = try await sql.select().columns("*").from("oidc_logins").where("state_hash", .equal, stateHash).first() else { return nil }
            try await sql.delete(from: "oidc_logins").where("state_hash", .equal, stateHash).run()
            return PendingLogin(nonce: try row.decode(column: "nonce", as: String.self), codeVerifier: try row.decode(column: "code_verifier", as: String.self),
                                returnTo: try row.decode(column: "return_to", as: String.self),
                                linkPerson: try row.decode(column: "link_person_id", as: String?.self).flatMap(PersonID.init),
                                createdAt: Date(timeIntervalSince1970: try row.decode(column: "created_at", as: Double.self)))
        }
    }

    public func person(issuer: String, subject: String) async throws -> PersonID? {
        try await database.withSQL { sql in
            try await sql.select().column("person_id").from("oidc_links").where("issuer", .equal, issuer).where("subject", .equal, subject).first()
                .flatMap { PersonID(try $0.decode(column: "person_id", as: String.self)) }
        }
    }

    public func link(issuer: String, subject: String, person: PersonID, assurance: AssuranceLevel, at time: Date, on sql: any SQLDatabase) async throws {
        try await sql.delete(from: "oidc_links").where("issuer", .equal, issuer).where("subject", .equal, subject).run()
        try await sql.insert(into: "oidc_links").columns("issuer", "subject", "person_id", "assurance_level", "linked_at")
            .values(SQLBind(issuer), SQLBind(subject), SQLBind(person.description), SQLBind(assurance.rawValue), SQLBind(time.timeIntervalSince1970)).run()
    }
}
