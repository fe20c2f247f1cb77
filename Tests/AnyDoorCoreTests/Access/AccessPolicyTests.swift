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
        #expect(AccessPolicy.decide(daughter, .actFor(Self.other, service: "msp", needs: .view, granted: .view)) == .allow)
        #expect(AccessPolicy.decide(daughter, .actFor(Self.other, service: "msp", needs: .act, granted: .view)) == .deny)
        #expect(AccessPolicy.decide(daughter, .actFor(Self.other, service: "msp", needs: .view, granted: nil)) == .deny)
        #expect(AccessPolicy.decide(daughter, .actFor(Self.me, service: "msp", needs: .view, granted: .act)) == .deny)
        #expect(AccessPolicy.decide(.person(Self.me, authentication: .singleFactor, assurance: .verified), .actFor(Self.other, service: "msp", needs: .view, granted: .act)) == .stepUp(.multiFactor))
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
}
