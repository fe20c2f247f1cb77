import Foundation

/// Checking that a caller is who they say, from what AnyDoor holds about them: the agent asks, types what
/// the caller answers, and sees only whether each answer matched, never the answer on record.
public enum CallerVerification {
    public enum Question: String, Sendable, CaseIterable {
        case dateOfBirth = "date-of-birth"
        case postalCode = "postal-code"
        case requestReference = "request-reference"
    }

    public struct Outcome: Sendable, Equatable {
        /// Questions answered correctly.
        public var matched: Set<Question>
        /// Questions asked (those the record can answer and the agent filled in).
        public var asked: Set<Question>
        /// Two matches, and no wrong answer, verify the caller.
        public var verified: Bool { matched.count >= 2 && matched == asked }
    }

    /// The questions the record can answer (what the agent may ask).
    public static func questions(profile: PersonProfile, hasRequests: Bool) -> [Question] {
        var questions: [Question] = []
        if profile.dateOfBirth != nil { questions.append(.dateOfBirth) }
        if profile.address != nil { questions.append(.postalCode) }
        if hasRequests { questions.append(.requestReference) }
        return questions
    }

    /// Compares the caller's answers (blank = not asked) with the record.
    public static func check(answers: [Question: String], profile: PersonProfile, references: [String]) -> Outcome {
        var outcome = Outcome(matched: [], asked: [])
        for (question, raw) in answers {
            let answer = raw.trimmingCharacters(in: .whitespaces)
            guard !answer.isEmpty else { continue }
            outcome.asked.insert(question)
            let right: Bool
            switch question {
            case .dateOfBirth: right = profile.dateOfBirth.map { LocalDate(answer).map(\.description) == $0 } ?? false
            case .postalCode: right = profile.address.map { PersonProfile.normalisedPostalCode(answer) == $0.postalCode } ?? false
            case .requestReference: right = ReferenceNumber(answer).map { references.contains($0.description) } ?? false
            }
            if right { outcome.matched.insert(question) }
        }
        return outcome
    }
}

/// What came of a phone contact.
public enum CallOutcome: String, Sendable, Codable, CaseIterable {
    case answered
    case requestOpened = "request-opened"
    case appointmentBooked = "appointment-booked"
    case callbackScheduled = "callback-scheduled"
    case transferred
    case unresolved
}

/// An interpreter asked for, from the request to its fulfilment.
public enum InterpreterStatus: String, Sendable, Codable, CaseIterable {
    case requested
    /// An interpreter (in person or on the interpretation line) is arranged for the time.
    case arranged
    /// The interpreter was there: the request is fulfilled.
    case present
    case cancelled
    /// Nobody came.
    case missed

    public var next: [InterpreterStatus] {
        switch self {
        case .requested: return [.arranged, .present, .cancelled]
        case .arranged: return [.present, .missed, .cancelled]
        case .present, .cancelled, .missed: return []
        }
    }
}

/// Rules for a callback the contact centre promises.
public enum CallbackRules {
    /// A callback time must be in the future, within two weeks, and inside the contact centre's hours.
    public static func check(_ moment: Date, now: Date, zone: TimeZone) -> String? {
        if moment <= now { return "inPast" }
        if moment.timeIntervalSince(now) > 14 * 86_400 { return "tooFar" }
        return WeeklyHours.contactCentre.isOpen(at: moment, in: zone) ? nil : "outsideHours"
    }
}
