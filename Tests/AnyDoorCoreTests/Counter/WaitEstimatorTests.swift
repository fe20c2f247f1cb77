import AnyDoorCore
import Foundation
import Testing

@Suite struct WaitEstimatorTests {
    let now = Date(timeIntervalSince1970: 1_800_000_000)

    func model(_ minutes: [String: Double]) -> ServiceTimeModel {
        var model = ServiceTimeModel()
        for (service, value) in minutes { for _ in 0..<5 { model.record(service: service, office: "KAM", hour: 10, minutes: value) } }
        return model
    }

    @Test func theModelFallsBackFromHourToOfficeToServiceToDefault() {
        var model = ServiceTimeModel()
        for _ in 0..<5 { model.record(service: "a", office: "KAM", hour: 10, minutes: 20) }
        for _ in 0..<5 { model.record(service: "a", office: "KAM", hour: 11, minutes: 10) }
        #expect(model.expectedMinutes(service: "a", office: "KAM", hour: 10) == 20)
        #expect(model.expectedMinutes(service: "a", office: "KAM", hour: 14) == 15)
        #expect(model.expectedMinutes(service: "a", office: "VIC", hour: 10) == 15)
        #expect(model.expectedMinutes(service: "b", office: "KAM", hour: 10) == 15) // the office's mean
        #expect(model.expectedMinutes(service: "b", office: "VIC", hour: 10) == 10) // the default
        var sparse = ServiceTimeModel()
        for _ in 0..<4 { sparse.record(service: "a", office: "KAM", hour: 10, minutes: 99) }
        #expect(sparse.expectedMinutes(service: "a", office: "KAM", hour: 10) == 10, "four samples are not trusted")
    }

    @Test func waitsFollowTheCountersFreeingUp() throws {
        let estimator = WaitEstimator(model: model(["short": 5, "long": 20]), office: "KAM")
        let entries = (0..<4).map { QueueEntry(id: TicketID(rawValue: UUID()), service: $0 == 1 ? "long" : "short", checkedInAt: now.addingTimeInterval(Double($0) * 60)) }
        // Two counters: one free, one 5 minutes into a 20-minute service.
        let counters = [WaitEstimator.Counter(skills: AgentSkills(counter: 1)),
                        WaitEstimator.Counter(skills: AgentSkills(counter: 2), servingForMinutes: 5, servingExpectedMinutes: 20)]
        let waits = estimator.estimate(waiting: entries, counters: counters, now: now.addingTimeInterval(240), hour: 10)
        // First: counter 1 now (0). Second (long): counter 1 at 5. Third: counter 2 at 15. Fourth: counter 2 at 20.
        #expect(waits[entries[0].id] == .some(0))
        #expect(waits[entries[1].id] == .some(5))
        #expect(waits[entries[2].id] == .some(15))
        #expect(waits[entries[3].id] == .some(20))
    }

    @Test func noCounterAbleToServeGivesNoEstimate() {
        let estimator = WaitEstimator(model: ServiceTimeModel(), office: "KAM")
        let entry = QueueEntry(id: TicketID(rawValue: UUID()), service: "business", checkedInAt: now)
        let waits = estimator.estimate(waiting: [entry], counters: [.init(skills: AgentSkills(counter: 1, services: ["licence"]))], now: now, hour: 10)
        #expect(waits[entry.id] == .some(nil))
        #expect(estimator.estimate(waiting: [entry], counters: [], now: now, hour: 10)[entry.id] == .some(nil))
    }

    @Test func theSimulationBeatsTheAverageWaitBaseline() {
        let outcome = QueueSimulation(seed: 7).run(trainingDays: 5, evaluatedDays: 10)
        #expect(outcome.predictions > 1000)
        #expect(outcome.meanWait > 5, "the days must be busy enough to matter")
        #expect(outcome.estimatorError < outcome.baselineError * 0.75, "estimator \(outcome.estimatorError) vs baseline \(outcome.baselineError)")
        // Replays exactly with the same seed.
        let again = QueueSimulation(seed: 7).run(trainingDays: 5, evaluatedDays: 10)
        #expect(again.estimatorError == outcome.estimatorError)
    }
}
