import Foundation

/// How long a service takes at a counter, learnt from history: the mean minutes per (service, office, hour),
/// falling back to (service, office), then (service) anywhere, then the office's mean, then a default.
public struct ServiceTimeModel: Sendable {
    public struct Key: Hashable, Sendable {
        public var service: String?
        public var office: String?
        public var hour: Int?
        public init(service: String?, office: String?, hour: Int?) {
            self.service = service
            self.office = office
            self.hour = hour
        }
    }

    struct Sum: Sendable { var minutes = 0.0; var count = 0 }
    var sums: [Key: Sum] = [:]
    /// Fewer observations than this and a level is not trusted; the next one is used.
    public var minimumSamples = 5
    public var defaultMinutes = 10.0

    public init() {}

    /// Adds one finished service: how many minutes it took, at which office and local hour.
    public mutating func record(service: String, office: String, hour: Int, minutes: Double) {
        for key in [Key(service: service, office: office, hour: hour), Key(service: service, office: office, hour: nil),
                    Key(service: service, office: nil, hour: nil), Key(service: nil, office: office, hour: nil)] {
            sums[key, default: Sum()].minutes += minutes
            sums[key, default: Sum()].count += 1
        }
    }

    /// Adds a pre-aggregated total (what the store reads back from its history table).
    public mutating func add(_ key: Key, totalMinutes: Double, count: Int) {
        sums[key, default: Sum()].minutes += totalMinutes
        sums[key, default: Sum()].count += count
    }

    public func expectedMinutes(service: String, office: String, hour: Int) -> Double {
        for key in [Key(service: service, office: office, hour: hour), Key(service: service, office: office, hour: nil),
                    Key(service: service, office: nil, hour: nil), Key(service: nil, office: office, hour: nil)] {
            if let sum = sums[key], sum.count >= minimumSamples { return sum.minutes / Double(sum.count) }
        }
        return defaultMinutes
    }
}

/// Estimates how long each waiting person will wait, from the live queue: who is waiting and in what
/// order they will be called, how many counters are open and how far each is through the person it is
/// serving, and how long each waiting person's service usually takes at this office at this hour.
/// It plays the queue forward: each person in call order goes to the counter that frees up first and is
/// able to serve them; their wait is when that counter frees up.
public struct WaitEstimator: Sendable {
    public struct Counter: Sendable {
        public var skills: AgentSkills
        /// Minutes the person now at the counter has been served, `nil` when the counter is free.
        public var servingForMinutes: Double?
        /// The expected minutes of that service.
        public var servingExpectedMinutes: Double

        public init(skills: AgentSkills, servingForMinutes: Double? = nil, servingExpectedMinutes: Double = 0) {
            self.skills = skills
            self.servingForMinutes = servingForMinutes
            self.servingExpectedMinutes = servingExpectedMinutes
        }
    }

    public let model: ServiceTimeModel
    public let policy: CallNextPolicy
    public let office: String

    public init(model: ServiceTimeModel, policy: CallNextPolicy = CallNextPolicy(), office: String) {
        self.model = model
        self.policy = policy
        self.office = office
    }

    /// Minutes to wait for each waiting ticket; `nil` for a ticket no open counter can serve (no counter open,
    /// or none delivers that service).
    public func estimate(waiting: [QueueEntry], counters: [Counter], now: Date, hour: Int) -> [TicketID: Double?] {
        var free = counters.map { counter -> Double in
            guard let elapsed = counter.servingForMinutes else { return 0 }
            // Someone already past the usual time is probably nearly done: a quarter of it remains.
            return max(counter.servingExpectedMinutes - elapsed, counter.servingExpectedMinutes * 0.25)
        }
        var result: [TicketID: Double?] = [:]
        for entry in policy.order(waiting, now: now) {
            let able = counters.indices.filter { counters[$0].skills.delivers(entry.service) && (entry.forCounter == nil || counters[$0].skills.counter == entry.forCounter) }
            guard let chosen = able.min(by: { free[$0] < free[$1] }) else {
                result[entry.id] = .some(nil)
                continue
            }
            result[entry.id] = free[chosen]
            free[chosen] += model.expectedMinutes(service: entry.service, office: office, hour: hour)
        }
        return result
    }
}
