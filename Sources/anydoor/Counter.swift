import AnyDoorCore
import ArgumentParser
import Foundation

struct Counter: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "The counter's tools.",
        subcommands: [Simulate.self]
    )

    struct Simulate: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Replay generated busy office days and compare AnyDoor's wait estimates with the average-wait baseline."
        )

        @Option(help: "Days scored (after 10 days that build the history).")
        var days = 20

        @Option(help: "Seed of the generated days (the same seed replays the same days).")
        var seed: UInt64 = 2026

        @Option(help: "Counters open (one fewer over lunch).")
        var counters = 4

        func validate() throws {
            guard (1...365).contains(days) else { throw ValidationError("--days must be 1 to 365") }
            guard (1...50).contains(counters) else { throw ValidationError("--counters must be 1 to 50") }
        }

        func run() async throws {
            var simulation = QueueSimulation(seed: seed, counters: counters)
            simulation.arrivalsPerMinute = 0.085 * Double(counters)
            FileHandle.standardError.write(Data("Simulating \(10 + days) office days (10 to learn from, \(days) scored)...\n".utf8))
            let outcome = simulation.run(trainingDays: 10, evaluatedDays: days)
            print(String(format: "Wait estimates over %d arrivals (mean real wait %.1f min):", outcome.predictions, outcome.meanWait))
            print(String(format: "  AnyDoor estimator   mean absolute error %.2f min", outcome.estimatorError))
            print(String(format: "  average-wait baseline mean absolute error %.2f min", outcome.baselineError))
            print(String(format: "  ratio %.2f (lower is better; below 1 beats the baseline)", outcome.estimatorError / max(outcome.baselineError, 0.0001)))
        }
    }
}
