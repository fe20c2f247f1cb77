import AnyDoorCore
import Foundation
import Testing

@Suite struct AccessPolicyTests {
    static let me = PersonID(rawValue: UUID())
    static let other = PersonID(rawValue: UUID())
    static func staff(_ role: StaffRole) -> Actor { .staff(StaffID(rawValue: UUID()), roles: [RoleAssignment(role)]) }

    @Test func personalInformationNeedsTwoFactorsAndIsSteppedUpNotRefused() {
        #expect(AccessPolicy.decide(.person(Self.me, authentication: .singleFactor, assurance: .selfAsserted), .viewPerson(Self.me, representation: nil)) == .stepUp(.multiFactor))
        #expect(AccessPolicy.decide(.person(Self.me, authentication: .multiFactor, assurance: .selfAsserted), .viewPerson(Self.me, representation: nil)) == .allow)
        #expect(AccessPolicy.decide(.anonymous, .viewPerson(Self.me, representation: nil)) == .authenticate)
    }

    @Test func nobodyReadsAnotherPersonsRecordWithoutARepresentationOrAServiceRole() {
        #expect(AccessPolicy.decide(.person(Self.me, authentication: .multiFactor, assurance: .inPerson), .viewPerson(Self.other, representation: nil)) == .deny)
        for role in StaffRole.allCases {
            let serves: Set<StaffRole> = [.counterAgent, .contactCentreAgent, .officeManager, .ministryCaseworker, .privacyOfficer]
            #expect((AccessPolicy.decide(Self.staff(role), .viewPerson(Self.other, representation: nil)) == .allow) == serves.contains(role), "\(role)")
        }
        #expect(AccessPolicy.decide(.configuredAdministrator, .viewPerson(Self.other, representation: nil)) == .deny)
    }

    @Test func actingForSomeoneNeedsAScopeAtLeastAsStrongAsTheAction() {
        let daughter = Actor.person(Self.me, authentication: .multiFactor, assurance: .verified)
        #expect(AccessPolicy.decide(daughter, .actFor(Self.other, service: "msp", needs: .view, granted: .view, requirement: .default)) == .allow)
        #expect(AccessPolicy.decide(daughter, .actFor(Self.other, service: "msp", needs: .act, granted: .view, requirement: .default)) == .deny)
        #expect(AccessPolicy.decide(daughter, .actFor(Self.other, service: "msp", needs: .view, granted: nil, requirement: .default)) == .deny)
        #expect(AccessPolicy.decide(daughter, .actFor(Self.me, service: "msp", needs: .view, granted: .act, requirement: .default)) == .deny)
        #expect(AccessPolicy.decide(.person(Self.me, authentication: .singleFactor, assurance: .verified), .actFor(Self.other, service: "msp", needs: .view, granted: .act, requirement: .default)) == .stepUp(.multiFactor))
    }

    @Test func aServicesOwnRequirementAsksForProofOfIdentityOrAStepUpNeverAFlatRefusal() {
        let strict = ServiceAccessRequirement(assurance: .inPerson, authentication: .multiFactor)
        #expect(AccessPolicy.decide(.person(Self.me, authentication: .multiFactor, assurance: .verified), .useService("bc-drivers-licence", requirement: strict)) == .proveIdentity(.inPerson))
        #expect(AccessPolicy.decide(.person(Self.me, authentication: .singleFactor, assurance: .inPerson), .useService("bc-drivers-licence", requirement: strict)) == .stepUp(.multiFactor))
        #expect(AccessPolicy.decide(.person(Self.me, authentication: .multiFactor, assurance: .inPerson), .useService("bc-drivers-licence", requirement: strict)) == .allow)
        let open = ServiceAccessRequirement(assurance: .selfAsserted, authentication: .singleFactor)
        #expect(AccessPolicy.decide(.person(Self.me, authentication: .singleFactor, assurance: .selfAsserted), .useService("fishing-licence", requirement: open)) == .allow)
        #expect(AccessPolicy.decide(.anonymous, .useService("fishing-licence", requirement: open)) == .authenticate)
        // Acting for someone never drops below two factors, whatever the service says.
        #expect(AccessPolicy.decide(.person(Self.me, authentication: .singleFactor, assurance: .inPerson), .actFor(Self.other, service: "fishing-licence", needs: .view, granted: .view, requirement: open)) == .stepUp(.multiFactor))
        #expect(AccessPolicy.decide(.person(Self.me, authentication: .multiFactor, assurance: .selfAsserted), .actFor(Self.other, service: "x", needs: .view, granted: .view, requirement: strict)) == .proveIdentity(.inPerson))
    }

    @Test func apiClientsAreDeniedEveryServiceTheirKeyDoesNotName() {
        let client = Actor.apiClient(APIClientID(rawValue: UUID()), services: ["msp-enrolment"])
        #expect(AccessPolicy.decide(client, .callService("msp-enrolment")) == .allow)
        #expect(AccessPolicy.decide(client, .callService("income-assistance")) == .deny)
        #expect(AccessPolicy.decide(client, .manageMinistries) == .deny)
        #expect(AccessPolicy.decide(client, .viewPerson(Self.me, representation: nil)) == .deny)
        #expect(AccessPolicy.decide(Self.staff(.administrator), .callService("msp-enrolment")) == .deny)
    }

    @Test func representationsWorkOnlyBetweenTheirDatesUntilRevoked() {
        let start = Date(timeIntervalSince1970: 1_790_000_000)
        var grant = Representation(id: RepresentationID(rawValue: UUID()), person: Self.other, representative: Self.me, relationship: .familyMember,
                                   services: ["msp": .act], starts: start, ends: start.addingTimeInterval(86_400), createdAt: start)
        #expect(grant.permits(.act, on: "msp", at: start.addingTimeInterval(60)))
        #expect(!grant.permits(.view, on: "income-assistance", at: start.addingTimeInterval(60)))
        #expect(!grant.permits(.view, on: "msp", at: start.addingTimeInterval(-60)))
        #expect(!grant.permits(.view, on: "msp", at: start.addingTimeInterval(86_400)))
        grant.revokedAt = start.addingTimeInterval(120)
        #expect(grant.permits(.view, on: "msp", at: start.addingTimeInterval(60)))
        #expect(!grant.permits(.view, on: "msp", at: start.addingTimeInterval(121)))
    }

    @Test(arguments: [
        ([EvidenceType.passport], true, AssuranceLevel?.some(.inPerson)),
        ([.birthCertificate], true, nil),
        ([.birthCertificate, .citizenshipCertificate], true, .inPerson),
        ([.passport], false, nil),
    ])
    func inPersonProofingRaisesToLevelThreeOnlyWithEnoughEvidence(_ evidence: [EvidenceType], _ verified: Bool, _ level: AssuranceLevel?) {
        let check = IdentityVerification(person: Self.me, evidence: evidence, method: .visualInspection, verified: verified, agent: StaffID(rawValue: UUID()),
                                         office: "Victoria", interpreterPresent: true, at: Date())
        #expect(check.resultingLevel == level)
    }

    @Test(arguments: [(15, false, true), (14, false, false), (8, true, true), (7, true, false)])
    func passwordLengthFollowsNIST(_ length: Int, _ secondFactor: Bool, _ accepted: Bool) {
        let policy = PasswordPolicy(blocklist: [])
        let password = String("correct horse battery staple zebra".prefix(length))
        #expect((try? policy.check(password, email: nil, hasSecondFactor: secondFactor)) != nil ? accepted : !accepted)
    }

    @Test func sessionsEndAfterThirtyMinutesIdleOrTwelveHours() {
        let lifetime = SessionLifetime()
        let start = Date(timeIntervalSince1970: 1_790_000_000)
        #expect(lifetime.verdict(createdAt: start, lastSeenAt: start, revokedAt: nil, now: start.addingTimeInterval(29 * 60)) == .active)
        #expect(lifetime.verdict(createdAt: start, lastSeenAt: start, revokedAt: nil, now: start.addingTimeInterval(30 * 60)) == .idleExpired)
        #expect(lifetime.verdict(createdAt: start, lastSeenAt: start.addingTimeInterval(12 * 3600 - 1), revokedAt: nil, now: start.addingTimeInterval(12 * 3600)) == .absoluteExpired)
        #expect(lifetime.verdict(createdAt: start, lastSeenAt: start, revokedAt: start, now: start.addingTimeInterval(1)) == .revoked)
    }

    @Test func counterWorkIsScopedToTheOffice() {
        let kamloops = OfficeID(rawValue: UUID()), surrey = OfficeID(rawValue: UUID())
        let atKamloops = Actor.staff(StaffID(rawValue: UUID()), roles: [RoleAssignment(.counterAgent, scope: .office(kamloops))])
        let managerEverywhere = Actor.staff(StaffID(rawValue: UUID()), roles: [RoleAssignment(.officeManager)])
        let caseworker = Actor.staff(StaffID(rawValue: UUID()), roles: [RoleAssignment(.ministryCaseworker)])
        let contact = Actor.staff(StaffID(rawValue: UUID()), roles: [RoleAssignment(.contactCentreAgent)])
        #expect(AccessPolicy.decide(atKamloops, .workCounter(kamloops)) == .allow)
        #expect(AccessPolicy.decide(atKamloops, .workCounter(surrey)) == .deny)
        #expect(AccessPolicy.decide(atKamloops, .manageOffice(kamloops)) == .deny)
        #expect(AccessPolicy.decide(managerEverywhere, .workCounter(surrey)) == .allow)
        #expect(AccessPolicy.decide(managerEverywhere, .manageOffice(surrey)) == .allow)
        #expect(AccessPolicy.decide(caseworker, .workCounter(kamloops)) == .deny)
        #expect(AccessPolicy.decide(.anonymous, .workCounter(kamloops)) == .authenticate)
        #expect(AccessPolicy.decide(contact, .serveByPhone) == .allow)
        #expect(AccessPolicy.decide(atKamloops, .serveByPhone) == .deny)
        #expect(AccessPolicy.decide(contact, .bookForPerson) == .allow)
        #expect(AccessPolicy.decide(caseworker, .bookForPerson) == .deny)
        #expect(AccessPolicy.decide(.person(PersonID(rawValue: UUID()), authentication: .multiFactor, assurance: .verified), .bookForPerson) == .deny)
    }
}
