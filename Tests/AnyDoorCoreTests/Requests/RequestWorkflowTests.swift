@testable import AnyDoorCore
import Foundation
import Testing

@Suite struct RequestWorkflowTests {
    @Test func theHappyPathRunsFromDraftToClosedWithEachStepByItsParty() throws {
        var status = RequestStatus.draft
        status = try RequestWorkflow.apply(.submit, to: status, by: .frontline, note: nil)
        #expect(status == .submitted)
        status = try RequestWorkflow.apply(.receive, to: status, by: .ministry, note: nil)
        status = try RequestWorkflow.apply(.start, to: status, by: .ministry, note: nil)
        status = try RequestWorkflow.apply(.requestInformation, to: status, by: .ministry, note: "Send the hospital's notice of birth.")
        #expect(status == .waitingForPerson)
        status = try RequestWorkflow.apply(.respond, to: status, by: .requester, note: nil)
        #expect(status == .inProgress)
        status = try RequestWorkflow.apply(.approve, to: status, by: .ministry, note: "All documents in order.")
        #expect(status == .approved)
        #expect(status.open311 == "closed")
        status = try RequestWorkflow.apply(.close, to: status, by: .frontline, note: nil)
        #expect(status == .closed)
        #expect(status.isFinal)
    }

    @Test func stepsOutsideTheirStateOrByTheWrongPartyAreRefusedByName() {
        #expect(throws: RequestWorkflow.Refusal.notBy(.requester, .approve)) { try RequestWorkflow.apply(.approve, to: .inProgress, by: .requester, note: "yes") }
        #expect(throws: RequestWorkflow.Refusal.notFrom(.closed, .withdraw)) { try RequestWorkflow.apply(.withdraw, to: .closed, by: .requester, note: nil) }
        #expect(throws: RequestWorkflow.Refusal.notFrom(.draft, .receive)) { try RequestWorkflow.apply(.receive, to: .draft, by: .ministry, note: nil) }
        #expect(throws: RequestWorkflow.Refusal.noteRequired(.refuse)) { try RequestWorkflow.apply(.refuse, to: .inProgress, by: .ministry, note: "  ") }
        #expect(throws: RequestWorkflow.Refusal.notBy(.ministry, .withdraw)) { try RequestWorkflow.apply(.withdraw, to: .submitted, by: .ministry, note: nil) }
    }

    @Test func everyStateOffersOnlyStepsThatApply() {
        for status in RequestStatus.allCases {
            for party in RequestParty.allCases {
                for step in RequestWorkflow.available(from: status, to: party) {
                    #expect(RequestWorkflow.target(of: step, from: status) != nil)
                }
            }
        }
        #expect(RequestWorkflow.available(from: .closed, to: .ministry).isEmpty)
        #expect(RequestWorkflow.available(from: .waitingForPerson, to: .requester) == [.respond, .withdraw])
    }
}

@Suite struct ReferenceNumberTests {
    @Test func referencesRoundTripAndReadForgivingly() throws {
        var generator = SeededGenerator(seed: 42)
        for _ in 0..<200 {
            let reference = ReferenceNumber.random(using: &generator)
            let text = reference.description
            #expect(text.count == 11)
            #expect(text.range(of: #"^[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]$"#, options: .regularExpression) != nil)
            #expect(ReferenceNumber(text) == reference)
            #expect(ReferenceNumber(text.lowercased().replacingOccurrences(of: "-", with: " ")) == reference)
        }
        let zeros = ReferenceNumber(digits: [0, 1, 0, 1, 0, 1, 0, 1])
        #expect(ReferenceNumber(zeros.description.replacingOccurrences(of: "0", with: "O").replacingOccurrences(of: "1", with: "l")) == zeros)
    }

    @Test func anySingleWrongSymbolIsCaught() throws {
        let reference = ReferenceNumber(digits: [4, 20, 7, 21, 2, 24, 29, 9])
        let symbols = Array(reference.description.filter { $0 != "-" })
        for position in 0..<symbols.count {
            for replacement in ReferenceNumber.alphabet where replacement != symbols[position] {
                var changed = symbols
                changed[position] = replacement
                #expect(ReferenceNumber(String(changed)) == nil, "\(String(changed)) passed its check")
            }
        }
        #expect(ReferenceNumber("4K7M-2QX9") == nil)
        #expect(ReferenceNumber("4K7M-2QX9-TT") == nil)
        #expect(ReferenceNumber("4K7U-2QX9-T") == nil)
    }
}

@Suite struct RequestAnswersTests {
    let fields = [
        FormField(code: "name-on-record", datatype: .string, required: true, label: LocalizedText([.english: "Name"])),
        FormField(code: "copies", datatype: .number, required: true, label: LocalizedText([.english: "Copies"])),
        FormField(code: "when", datatype: .datetime, label: LocalizedText([.english: "When"])),
        FormField(code: "type", datatype: .singlevaluelist, required: true, label: LocalizedText([.english: "Type"]),
                  values: [FieldValue(key: "small", name: LocalizedText([.english: "Small"])), FieldValue(key: "large", name: LocalizedText([.english: "Large"]))]),
        FormField(code: "extras", datatype: .multivaluelist, label: LocalizedText([.english: "Extras"]),
                  values: [FieldValue(key: "a", name: LocalizedText([.english: "A"])), FieldValue(key: "b", name: LocalizedText([.english: "B"]))]),
    ]

    @Test func validAnswersPass() {
        let answers = RequestAnswers(["name-on-record": ["Ada Lovelace"], "copies": ["2"], "when": ["2026-03-01T09:30:00-08:00"], "type": ["large"], "extras": ["a", "b"]])
        #expect(answers.problems(for: fields).isEmpty)
    }

    @Test func everyProblemIsNamedByField() {
        let answers = RequestAnswers(["copies": ["two"], "when": ["next tuesday"], "type": ["medium"], "extras": ["c"], "colour": ["red"], "name-on-record": ["  "]])
        let problems = answers.problems(for: fields)
        #expect(problems.map(\.field) == ["answers.colour", "answers.name-on-record", "answers.copies", "answers.when", "answers.type", "answers.extras"])
        #expect(problems.map(\.code) == ["unknownField", "required", "notANumber", "notADateTime", "notAChoice", "notAChoice"])
        #expect(RequestAnswers(["type": ["small", "large"], "name-on-record": ["x"], "copies": ["1"]]).problems(for: fields).map(\.code) == ["oneValue"])
        #expect(RequestAnswers(["type": ["small"], "name-on-record": [String(repeating: "x", count: 201)], "copies": ["1"]]).problems(for: fields).map(\.code) == ["tooLong"])
    }
}

@Suite struct DeliveryPolicyTests {
    let now = Date(timeIntervalSince1970: 1_700_000_000)

    @Test func successGoneAndExhaustionAreFinal() {
        var generator = SeededGenerator(seed: 1)
        let policy = DeliveryPolicy.standard
        #expect(policy.outcome(attempt: 1, status: 204, retryAfter: nil, now: now, using: &generator) == .delivered)
        #expect(policy.outcome(attempt: 3, status: 410, retryAfter: nil, now: now, using: &generator) == .disableEndpoint)
        #expect(policy.outcome(attempt: policy.maximumAttempts, status: 500, retryAfter: nil, now: now, using: &generator) == .deadLetter)
        // A redirect is a failure, not a success (Standard Webhooks: no redirects).
        guard case .retry = policy.outcome(attempt: 1, status: 301, retryAfter: nil, now: now, using: &generator) else { Issue.record("3xx must retry"); return }
    }

    @Test func retriesBackOffWithBoundedJitter() {
        var generator = SeededGenerator(seed: 7)
        let policy = DeliveryPolicy.standard
        for attempt in 1..<policy.maximumAttempts {
            let base = policy.delays[attempt - 1]
            guard case .retry(let at) = policy.outcome(attempt: attempt, status: nil, retryAfter: nil, now: now, using: &generator) else {
                Issue.record("attempt \(attempt) did not retry"); continue
            }
            let delay = at.timeIntervalSince(now)
            #expect(delay >= base * 0.8 && delay <= base * 1.2)
        }
    }

    @Test func retryAfterIsHonouredOnlyForSlowDownAnswers() {
        var generator = SeededGenerator(seed: 3)
        let policy = DeliveryPolicy.standard
        guard case .retry(let at) = policy.outcome(attempt: 1, status: 429, retryAfter: "120", now: now, using: &generator) else { Issue.record("no retry"); return }
        #expect(at.timeIntervalSince(now) >= 120)
        guard case .retry(let dated) = policy.outcome(attempt: 1, status: 503, retryAfter: "120", now: now, using: &generator) else { Issue.record("no retry"); return }
        #expect(dated.timeIntervalSince(now) <= 6) // 503 is not a slow-down answer: the schedule's 5 s
        #expect(DeliveryPolicy.retryAfter("Wed, 21 Oct 2015 07:28:00 GMT", now: Date(timeIntervalSince1970: 1_445_412_400)) == 80)
        #expect(DeliveryPolicy.retryAfter("soon", now: now) == nil)
        #expect(DeliveryPolicy.retryAfter("-5", now: now) == nil)
    }
}

/// A deterministic generator (SplitMix64) so random-looking tests repeat.
struct SeededGenerator: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
