import Foundation

/// Identifies one service request (a case).
public struct RequestID: TypedID {
    public let rawValue: UUID
    public init(rawValue: UUID) { self.rawValue = rawValue }
}

/// Identifies a life-event bundle: one submission that opened linked requests at several ministries.
public struct BundleID: TypedID {
    public let rawValue: UUID
    public init(rawValue: UUID) { self.rawValue = rawValue }
}

/// Where a request stands (issue 6). `approved` and `refused` are the two decisions; both carry reasons.
public enum RequestStatus: String, Codable, Sendable, CaseIterable {
    case draft
    case submitted
    case received
    case inProgress = "in-progress"
    case waitingForPerson = "waiting-for-person"
    case approved
    case refused
    case closed
    case withdrawn

    /// Open311's two states: a request is closed once decided, closed or withdrawn.
    public var open311: String {
        switch self {
        case .approved, .refused, .closed, .withdrawn: return "closed"
        default: return "open"
        }
    }

    /// No further work is expected.
    public var isFinal: Bool { self == .closed || self == .withdrawn }

    /// Counts against the processing-time standard (submitted and not yet decided).
    public var isPending: Bool {
        switch self {
        case .submitted, .received, .inProgress, .waitingForPerson: return true
        default: return false
        }
    }
}

/// Who moves a request, as the workflow sees them. Access rules (which person, which ministry) are
/// `AccessPolicy`'s; this says which side of the case may take each step.
public enum RequestParty: String, Codable, Sendable, CaseIterable {
    /// The person the request is for, or their representative.
    case requester
    /// Front-line staff serving the person: contact-centre and counter agents.
    case frontline
    /// The responsible ministry: its caseworkers or its registered system.
    case ministry
}

/// One step in a request's life.
public enum RequestTransition: String, Codable, Sendable, CaseIterable {
    case submit
    case receive
    case start
    /// The ministry asks the person for more information; the request waits for them.
    case requestInformation = "request-information"
    /// The person answered; the ministry's work resumes.
    case respond
    case approve
    case refuse
    case close
    case withdraw

    /// Whether this step needs a written reason (decisions and requests for information).
    public var needsNote: Bool {
        switch self {
        case .approve, .refuse, .requestInformation: return true
        default: return false
        }
    }
}

/// The request state machine: which step leads where, and who may take it.
public enum RequestWorkflow {
    public enum Refusal: Error, Sendable, Equatable, CustomStringConvertible {
        /// The step does not apply in this state.
        case notFrom(RequestStatus, RequestTransition)
        /// The step applies, but not for this party.
        case notBy(RequestParty, RequestTransition)
        /// A decision or a request for information without its reason.
        case noteRequired(RequestTransition)

        public var description: String {
            switch self {
            case .notFrom(let status, let step): return "A request that is \(status.rawValue) cannot take the step \(step.rawValue)."
            case .notBy(let party, let step): return "The step \(step.rawValue) is not for the \(party.rawValue)."
            case .noteRequired(let step): return "The step \(step.rawValue) needs a reason."
            }
        }
    }

    /// The state `step` leads to from `status`, if it applies there.
    public static func target(of step: RequestTransition, from status: RequestStatus) -> RequestStatus? {
        switch (step, status) {
        case (.submit, .draft): return .submitted
        case (.receive, .submitted): return .received
        case (.start, .received): return .inProgress
        case (.requestInformation, .received), (.requestInformation, .inProgress): return .waitingForPerson
        case (.respond, .waitingForPerson): return .inProgress
        case (.approve, .received), (.approve, .inProgress): return .approved
        case (.refuse, .received), (.refuse, .inProgress), (.refuse, .waitingForPerson): return .refused
        case (.close, .approved), (.close, .refused): return .closed
        case (.withdraw, .draft), (.withdraw, .submitted), (.withdraw, .received), (.withdraw, .inProgress),
             (.withdraw, .waitingForPerson):
            return .withdrawn
        default: return nil
        }
    }

    /// The parties that may take `step`. Front-line agents act for the person during a call or a visit
    /// (submit, respond, withdraw) and may close a decided request once the person has been served.
    public static func parties(for step: RequestTransition) -> Set<RequestParty> {
        switch step {
        case .submit, .respond, .withdraw: return [.requester, .frontline]
        case .receive, .start, .requestInformation, .approve, .refuse: return [.ministry]
        case .close: return [.ministry, .frontline]
        }
    }

    /// The next state, or why the step is refused.
    public static func apply(_ step: RequestTransition, to status: RequestStatus, by party: RequestParty, note: String?) throws(Refusal) -> RequestStatus {
        guard let target = target(of: step, from: status) else { throw .notFrom(status, step) }
        guard parties(for: step).contains(party) else { throw .notBy(party, step) }
        if step.needsNote, (note ?? "").trimmingCharacters(in: .whitespacesAndNewlines).isEmpty { throw .noteRequired(step) }
        return target
    }

    /// The steps `party` can take from `status` (what a page offers).
    public static func available(from status: RequestStatus, to party: RequestParty) -> [RequestTransition] {
        RequestTransition.allCases.filter { target(of: $0, from: status) != nil && parties(for: $0).contains(party) }
    }
}

/// Where a request is about (Open311's location: coordinates, an address, or an address id).
public struct RequestLocation: Codable, Sendable, Equatable {
    public var address: String?
    public var addressID: String?
    public var zipcode: String?
    public var lat: Double?
    public var long: Double?

    public init(address: String? = nil, addressID: String? = nil, zipcode: String? = nil, lat: Double? = nil, long: Double? = nil) {
        self.address = address
        self.addressID = addressID
        self.zipcode = zipcode
        self.lat = lat
        self.long = long
    }

    public var isEmpty: Bool { address == nil && addressID == nil && lat == nil && long == nil }
}

/// How to reach whoever opened a request without a person record (an Open311 client's requester).
public struct RequestContact: Codable, Sendable, Equatable {
    public var firstName: String?
    public var lastName: String?
    public var email: String?
    public var phone: String?

    public init(firstName: String? = nil, lastName: String? = nil, email: String? = nil, phone: String? = nil) {
        self.firstName = firstName
        self.lastName = lastName
        self.email = email
        self.phone = phone
    }

    public var isEmpty: Bool { firstName == nil && lastName == nil && email == nil && phone == nil }
}

/// One service request as stored: always for one service, on one person's record when the person is known.
public struct ServiceRequest: Sendable, Equatable {
    public var id: RequestID
    public var reference: ReferenceNumber
    public var serviceCode: String
    public var ministryCode: String
    public var personID: PersonID?
    public var clientID: APIClientID?
    public var bundleID: BundleID?
    public var status: RequestStatus
    public var language: LanguageCode
    public var openedChannel: Channel
    public var openedBy: String
    public var answers: RequestAnswers
    public var description: String?
    public var location: RequestLocation?
    public var contact: RequestContact?
    /// The latest reason given (a decision's, or the question asked of the person).
    public var statusNote: String?
    public var assignedTo: StaffID?
    public var dueAt: Date?
    /// Open311 token, for clients that look their request up by token.
    public var token: String?
    public var createdAt: Date
    public var updatedAt: Date
    public var version: Int

    public init(id: RequestID, reference: ReferenceNumber, serviceCode: String, ministryCode: String, personID: PersonID?, clientID: APIClientID? = nil,
                bundleID: BundleID? = nil, status: RequestStatus, language: LanguageCode, openedChannel: Channel, openedBy: String,
                answers: RequestAnswers, description: String? = nil, location: RequestLocation? = nil, contact: RequestContact? = nil,
                statusNote: String? = nil, assignedTo: StaffID? = nil, dueAt: Date? = nil, token: String? = nil, createdAt: Date, updatedAt: Date, version: Int) {
        self.id = id
        self.reference = reference
        self.serviceCode = serviceCode
        self.ministryCode = ministryCode
        self.personID = personID
        self.clientID = clientID
        self.bundleID = bundleID
        self.status = status
        self.language = language
        self.openedChannel = openedChannel
        self.openedBy = openedBy
        self.answers = answers
        self.description = description
        self.location = location
        self.contact = contact
        self.statusNote = statusNote
        self.assignedTo = assignedTo
        self.dueAt = dueAt
        self.token = token
        self.createdAt = createdAt
        self.updatedAt = updatedAt
        self.version = version
    }

    /// Past its due date and still waiting for a decision.
    public func isOverdue(at now: Date) -> Bool {
        guard status.isPending, let dueAt else { return false }
        return now > dueAt
    }
}

/// What happened on a request, in order: the timeline every channel shows.
public struct RequestEvent: Sendable, Equatable {
    public enum Kind: String, Codable, Sendable {
        /// The request was opened (by the person, an agent, or a system).
        case opened
        case transition
        case message
        /// A contact that changed nothing: a call, a counter visit.
        case contact
        case assigned
        case attachment
    }

    public var seq: Int
    public var at: Date
    public var kind: Kind
    public var transition: RequestTransition?
    public var from: RequestStatus?
    public var to: RequestStatus?
    public var channel: Channel
    public var party: RequestParty
    public var actor: String
    public var actingFor: String?
    public var note: String?

    public init(seq: Int, at: Date, kind: Kind, transition: RequestTransition? = nil, from: RequestStatus? = nil, to: RequestStatus? = nil,
                channel: Channel, party: RequestParty, actor: String, actingFor: String? = nil, note: String? = nil) {
        self.seq = seq
        self.at = at
        self.kind = kind
        self.transition = transition
        self.from = from
        self.to = to
        self.channel = channel
        self.party = party
        self.actor = actor
        self.actingFor = actingFor
        self.note = note
    }
}
