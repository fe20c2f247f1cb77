import Foundation

/// A seeded random number generator (SplitMix64), so a simulation replays the same days every run.
public struct SeededGenerator: RandomNumberGenerator, Sendable {
    var state: UInt64
    public init(seed: UInt64) { state = seed }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    mutating func uniform() -> Double { Double(next() >> 11) / Double(1 << 53) }

    mutating func exponential(rate: Double) -> Double { -log(1 - uniform()) / rate }

    /// Log-normal with the given mean and the spread `sigma` of its logarithm.
    mutating func logNormal(mean: Double, sigma: Double) -> Double {
        let normal = sqrt(-2 * log(1 - uniform())) * cos(2 * .pi * uniform())
        return mean * exp(sigma * normal - sigma * sigma / 2)
    }
}

/// Replays generated busy office days, minute by minute of real queue behaviour, and measures how far the
/// wait each arriving person was promised is from the wait they really had: AnyDoor's `WaitEstimator`
/// against the naive estimate most queue systems show (the average wait so far, the same for everyone).
///
/// A day: doors open 8:30 to 16:30, arrivals following the daily rush (Poisson, busier late morning and
/// after lunch, each day's volume varying), services of different lengths (log-normal around their mean),
/// one counter fewer over lunch, a few priority arrivals. Everyone inside at closing is still served.
public struct QueueSimulation: Sendable {
    public struct Outcome: Sendable {
        public var predictions: Int
        /// Mean absolute error in minutes of AnyDoor's estimate.
        public var estimatorError: Double
        /// Mean absolute error in minutes of the average-wait baseline.
        public var baselineError: Double
        /// Mean real wait in minutes, for scale.
        public var meanWait: Double
    }

    struct ServiceKind { let code: String; let meanMinutes: Double; let share: Double }
    static let services = [
        ServiceKind(code: "renew-drivers-licence", meanMinutes: 9, share: 0.35),
        ServiceKind(code: "enrol-health-insurance", meanMinutes: 14, share: 0.2),
        ServiceKind(code: "bc-services-card", meanMinutes: 6, share: 0.25),
        ServiceKind(code: "register-business", meanMinutes: 20, share: 0.08),
        ServiceKind(code: "fishing-licence", meanMinutes: 4, share: 0.12),
    ]
    /// Arrivals per hour of the day relative to the day's average, 8:30 onward.
    static let rush = [0.6, 1.0, 1.35, 1.1, 1.45, 1.2, 0.85, 0.45]

    public var seed: UInt64
    public var counters: Int
    /// Average arrivals per minute over the day.
    public var arrivalsPerMinute: Double

    public init(seed: UInt64 = 2026, counters: Int = 4, arrivalsPerMinute: Double = 0.34) {
        self.seed = seed
        self.counters = counters
        self.arrivalsPerMinute = arrivalsPerMinute
    }

    struct Arrival { let minute: Double; let entry: QueueEntry }

    /// Runs `trainingDays` to build history, then `evaluatedDays` on which every arrival's two estimates are scored.
    public func run(trainingDays: Int = 10, evaluatedDays: Int = 20) -> Outcome {
        var random = SeededGenerator(seed: seed)
        var model = ServiceTimeModel()
        var waitTotal = 0.0, waitCount = 0
        var estimatorError = 0.0, baselineError = 0.0, predictions = 0, evaluatedWait = 0.0
        for day in 0..<(trainingDays + evaluatedDays) {
            let scored = day >= trainingDays
            let result = simulateDay(&random, model: model, baseline: waitCount == 0 ? 0 : waitTotal / Double(waitCount))
            for served in result.served {
                model.record(service: served.service, office: "SIM", hour: served.hour, minutes: served.minutes)
            }
            for outcome in result.waits {
                waitTotal += outcome.actual
                waitCount += 1
                guard scored else { continue }
                predictions += 1
                estimatorError += abs(outcome.estimate - outcome.actual)
                baselineError += abs(outcome.baseline - outcome.actual)
                evaluatedWait += outcome.actual
            }
        }
        let n = Double(max(predictions, 1))
        return Outcome(predictions: predictions, estimatorError: estimatorError / n, baselineError: baselineError / n, meanWait: evaluatedWait / n)
    }

    struct DayResult {
        var waits: [(estimate: Double, baseline: Double, actual: Double)] = []
        var served: [(service: String, hour: Int, minutes: Double)] = []
    }

    func openCounters(at minute: Double) -> Int {
        let hour = 8 + Int((minute + 30) / 60) // minute 0 is 8:30
        return (hour == 12 || hour == 13) ? max(1, counters - 1) : counters
    }

    func simulateDay(_ random: inout SeededGenerator, model: ServiceTimeModel, baseline: Double) -> DayResult {
        let start = Date(timeIntervalSince1970: 1_800_000_000)
        func date(_ minute: Double) -> Date { start.addingTimeInterval(minute * 60) }
        func hour(_ minute: Double) -> Int { 8 + Int((minute + 30) / 60) }
        // Arrivals.
        let volume = arrivalsPerMinute * (0.75 + 0.5 * random.uniform())
        var arrivals: [Arrival] = []
        var minute = 0.0
        while true {
            let slot = min(Int(minute / 60), Self.rush.count - 1)
            minute += random.exponential(rate: volume * Self.rush[slot])
            guard minute < 480 else { break }
            var pick = random.uniform(), kind = Self.services[0]
            for candidate in Self.services { if pick < candidate.share { kind = candidate; break }; pick -= candidate.share }
            let entry = QueueEntry(id: TicketID(rawValue: UUID()), service: kind.code, priority: random.uniform() < 0.06 ? .accessibility : nil, checkedInAt: date(minute))
            arrivals.append(Arrival(minute: minute, entry: entry))
        }
        let truth = Dictionary(uniqueKeysWithValues: Self.services.map { ($0.code, $0.meanMinutes) })
        let policy = CallNextPolicy()
        let estimator = WaitEstimator(model: model, policy: policy, office: "SIM")
        let everyone = AgentSkills(counter: 0)
        // Counter state: when it frees up, and what it is serving.
        var freeAt = Array(repeating: 0.0, count: counters)
        var servingSince = Array(repeating: Double?.none, count: counters)
        var servingService = Array(repeating: "", count: counters)
        var waiting: [QueueEntry] = []
        var arrivedAt: [TicketID: Double] = [:]
        var promised: [TicketID: (Double, Double)] = [:]
        var result = DayResult()
        var next = 0
        var now = 0.0

        // Serve: every counter open and free at `time` calls the next person.
        func callFree(at time: Double) {
            for counter in 0..<counters where counter < openCounters(at: time) && freeAt[counter] <= time {
                guard let entry = policy.next(for: everyone, among: waiting, now: date(time)) else { return }
                waiting.removeAll { $0.id == entry.id }
                let arrived = arrivedAt[entry.id]!
                if let (estimate, naive) = promised[entry.id] { result.waits.append((estimate, naive, time - arrived)) }
                let length = random.logNormal(mean: truth[entry.service]!, sigma: 0.45)
                freeAt[counter] = time + length
                servingSince[counter] = time
                servingService[counter] = entry.service
                result.served.append((entry.service, hour(time), length))
            }
        }

        while next < arrivals.count || !waiting.isEmpty {
            // The next moment something happens: an arrival, or a counter freeing up while people wait.
            let nextArrival = next < arrivals.count ? arrivals[next].minute : Double.infinity
            let nextFree = waiting.isEmpty ? Double.infinity
                : (0..<counters).map { counter -> Double in
                    var t = max(freeAt[counter], now)
                    while counter >= openCounters(at: t) { t = (floor((t + 30) / 60) + 1) * 60 - 30 } // closed for lunch: back next hour
                    return t
                }.min()!
            now = min(nextArrival, nextFree)
            callFree(at: now)
            guard now == nextArrival else { continue }
            let arrival = arrivals[next]
            next += 1
            waiting.append(arrival.entry)
            arrivedAt[arrival.entry.id] = arrival.minute
            callFree(at: now)
            guard waiting.contains(where: { $0.id == arrival.entry.id }) else {
                result.waits.append((0, baseline, 0))
                continue
            }
            let open = (0..<counters).filter { $0 < openCounters(at: now) }.map { counter in
                WaitEstimator.Counter(skills: AgentSkills(counter: counter),
                                      servingForMinutes: freeAt[counter] > now ? now - (servingSince[counter] ?? now) : nil,
                                      servingExpectedMinutes: model.expectedMinutes(service: servingService[counter], office: "SIM", hour: hour(now)))
            }
            let estimates = estimator.estimate(waiting: waiting, counters: open, now: date(now), hour: hour(now))
            promised[arrival.entry.id] = ((estimates[arrival.entry.id] ?? nil) ?? baseline, baseline)
        }
        return result
    }
}
