import Foundation

/// Identifies a ticket in an office's queue.
public struct TicketID: TypedID {
    public let rawValue: UUID
    public init(rawValue: UUID) { self.rawValue = rawValue }
}

/// Where a person is in an office's queue.
public enum TicketStatus: String, Sendable, Codable, CaseIterable {
    case waiting
    case called
    case serving
    /// Stepped aside (fetching a document, filling in a form): kept, and called again by name.
    case held
    case noShow = "no-show"
    case finished
    /// The person left the queue themselves (a virtual-queue ticket cancelled).
    case left

    public var isOpen: Bool { self == .waiting || self == .called || self == .serving || self == .held }
}

/// Why someone is served before their turn.
public enum PriorityReason: String, Sendable, Codable, CaseIterable {
    /// Disability, mobility or a health need that makes waiting hard.
    case accessibility
    /// Seniors and people who are pregnant.
    case senior
    /// An urgent situation: a deadline today, a safety need.
    case urgent
}

/// What an agent does to a ticket.
public enum QueueTransition: String, Sendable, CaseIterable {
    case call, serve, hold, transfer, noShow = "no-show", finish, leave

    /// The statuses this transition starts from, and the one it leads to.
    var rule: (from: Set<TicketStatus>, to: TicketStatus) {
        switch self {
        case .call: return ([.waiting, .held], .called)
        case .serve: return ([.called], .serving)
        case .hold: return ([.serving, .called], .held)
        // Back in the queue for another service or another counter, keeping its place in time.
        case .transfer: return ([.called, .serving, .held], .waiting)
        case .noShow: return ([.called], .noShow)
        case .finish: return ([.serving], .finished)
        case .leave: return ([.waiting, .held], .left)
        }
    }
}

public enum QueueWorkflow {
    public struct NotAllowed: Error, Equatable, Sendable {
        public let transition: String
        public let from: TicketStatus
        public init(transition: String, from: TicketStatus) {
            self.transition = transition
            self.from = from
        }
    }

    /// The status after `transition`, or an error naming why it cannot happen.
    public static func apply(_ transition: QueueTransition, to status: TicketStatus) throws -> TicketStatus {
        let rule = transition.rule
        guard rule.from.contains(status) else { throw NotAllowed(transition: transition.rawValue, from: status) }
        return rule.to
    }
}

/// Ticket labels made to be read aloud and heard across a waiting room: a letter whose name cannot be
/// mistaken for another's in English or French (no B/D/E/G/P/T/V/Z rhymes, no M/N, no I/1 or O/0),
/// a hyphen, and three digits.
public enum TicketLabel {
    /// `A` is kept for appointments; walk-in services take the others.
    public static let appointmentPrefix = "A"
    public static let servicePrefixes = ["H", "K", "L", "R", "W", "X", "Y", "F"]

    /// `K-042`; past 999 in a day the number simply grows (`K-1000`), never repeating a ticket.
    public static func make(prefix: String, number: Int) -> String {
        "\(prefix)-\(String(format: "%03d", number))"
    }

    /// The prefix for the `index`th service an office offers.
    public static func prefix(forServiceAt index: Int) -> String { servicePrefixes[index % servicePrefixes.count] }

    /// How the label is spoken: `K-042` is "K, 0, 4, 2", digit by digit.
    public static func spoken(_ label: String) -> String {
        label.filter { $0 != "-" }.map(String.init).joined(separator: " ")
    }
}

/// A person waiting, as the call-next rule sees them.
public struct QueueEntry: Sendable, Equatable {
    public var id: TicketID
    public var service: String
    public var language: LanguageCode
    public var interpreterNeeded: Bool
    public var priority: PriorityReason?
    public var checkedInAt: Date
    /// The appointment this ticket came from, and its start.
    public var appointmentAt: Date?
    /// Transferred to one counter: only that counter calls it.
    public var forCounter: Int?

    public init(id: TicketID, service: String, language: LanguageCode = .base, interpreterNeeded: Bool = false, priority: PriorityReason? = nil,
                checkedInAt: Date, appointmentAt: Date? = nil, forCounter: Int? = nil) {
        self.id = id
        self.service = service
        self.language = language
        self.interpreterNeeded = interpreterNeeded
        self.priority = priority
        self.checkedInAt = checkedInAt
        self.appointmentAt = appointmentAt
        self.forCounter = forCounter
    }
}

/// What an agent at a counter can take: the services they deliver (empty: all) and the languages they speak.
public struct AgentSkills: Sendable, Equatable {
    public var counter: Int
    public var services: Set<String>
    public var languages: Set<LanguageCode>

    public init(counter: Int, services: Set<String> = [], languages: Set<LanguageCode> = [.base]) {
        self.counter = counter
        self.services = services
        self.languages = languages.union([.base])
    }

    public func delivers(_ service: String) -> Bool { services.isEmpty || services.contains(service) }
}

/// Who is called next at a counter. The order: appointments that are due (by appointment time), then people
/// with a priority reason, then everyone else, each by check-in time. An agent only takes services they
/// deliver, and a person waiting in a language other than English goes to an agent who speaks it, unless an
/// interpreter is coming or they have waited `languageWaitLimit` (then any agent serves them with the
/// telephone interpreter line rather than let them wait on).
public struct CallNextPolicy: Sendable {
    /// An appointment counts as due this long before its start.
    public var appointmentGrace: TimeInterval = 5 * 60
    public var languageWaitLimit: TimeInterval = 15 * 60

    public init() {}

    public func rank(_ entry: QueueEntry, now: Date) -> (Int, Date) {
        if let appointment = entry.appointmentAt, appointment.addingTimeInterval(-appointmentGrace) <= now { return (0, appointment) }
        if entry.priority != nil { return (1, entry.checkedInAt) }
        return (2, entry.checkedInAt)
    }

    public func eligible(_ entry: QueueEntry, for agent: AgentSkills, now: Date) -> Bool {
        if let counter = entry.forCounter, counter != agent.counter { return false }
        guard agent.delivers(entry.service) else { return false }
        return agent.languages.contains(entry.language) || entry.interpreterNeeded
            || now.timeIntervalSince(entry.checkedInAt) >= languageWaitLimit
    }

    /// The whole waiting line in call order, ignoring who is at the counters.
    public func order(_ entries: [QueueEntry], now: Date) -> [QueueEntry] {
        entries.sorted { a, b in
            let ra = rank(a, now: now), rb = rank(b, now: now)
            return ra.0 != rb.0 ? ra.0 < rb.0 : (ra.1 != rb.1 ? ra.1 < rb.1 : a.id.description < b.id.description)
        }
    }

    /// The ticket `agent` calls next, `nil` when no one waiting is theirs.
    public func next(for agent: AgentSkills, among entries: [QueueEntry], now: Date) -> QueueEntry? {
        order(entries, now: now).first { eligible($0, for: agent, now: now) }
    }
}
