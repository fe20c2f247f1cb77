import AnyDoorCore
import Foundation
import Testing

@Suite struct QueueTests {
    let start = Date(timeIntervalSince1970: 1_800_000_000)
    func at(_ minutes: Double) -> Date { start.addingTimeInterval(minutes * 60) }
    func entry(_ service: String = "renew-licence", at minutes: Double, language: LanguageCode = .base, interpreter: Bool = false,
               priority: PriorityReason? = nil, appointment: Double? = nil, counter: Int? = nil) -> QueueEntry {
        QueueEntry(id: TicketID(rawValue: UUID()), service: service, language: language, interpreterNeeded: interpreter, priority: priority,
                   checkedInAt: at(minutes), appointmentAt: appointment.map(at), forCounter: counter)
    }

    @Test func everyTransitionStartsOnlyWhereItMay() throws {
        #expect(try QueueWorkflow.apply(.call, to: .waiting) == .called)
        #expect(try QueueWorkflow.apply(.serve, to: .called) == .serving)
        #expect(try QueueWorkflow.apply(.finish, to: .serving) == .finished)
        #expect(try QueueWorkflow.apply(.transfer, to: .serving) == .waiting)
        #expect(try QueueWorkflow.apply(.call, to: .held) == .called)
        #expect(try QueueWorkflow.apply(.noShow, to: .called) == .noShow)
        #expect(throws: QueueWorkflow.NotAllowed(transition: "finish", from: .waiting)) { try QueueWorkflow.apply(.finish, to: .waiting) }
        #expect(throws: QueueWorkflow.NotAllowed.self) { try QueueWorkflow.apply(.call, to: .finished) }
        #expect(throws: QueueWorkflow.NotAllowed.self) { try QueueWorkflow.apply(.noShow, to: .serving) }
        #expect(throws: QueueWorkflow.NotAllowed.self) { try QueueWorkflow.apply(.leave, to: .serving) }
        // Closed tickets stay closed.
        for transition in QueueTransition.allCases {
            for closed in [TicketStatus.finished, .noShow, .left] {
                #expect(throws: QueueWorkflow.NotAllowed.self) { try QueueWorkflow.apply(transition, to: closed) }
            }
        }
    }

    @Test func labelsAreShortAndUseOnlyLettersHeardDistinctly() {
        #expect(TicketLabel.make(prefix: "K", number: 42) == "K-042")
        #expect(TicketLabel.make(prefix: "K", number: 1000) == "K-1000", "never the same label twice in a day")
        #expect(TicketLabel.spoken("K-042") == "K 0 4 2")
        let confusable = Set("BCDEGPTVZNMIOQSUJ")
        for prefix in TicketLabel.servicePrefixes + [TicketLabel.appointmentPrefix] {
            #expect(!confusable.contains(Character(prefix)), "\(prefix) sounds like another letter")
        }
        #expect(!TicketLabel.servicePrefixes.contains(TicketLabel.appointmentPrefix))
    }

    @Test func dueAppointmentsThenPriorityThenArrivalOrder() {
        let policy = CallNextPolicy()
        let early = entry(at: 0), later = entry(at: 5), priority = entry(at: 10, priority: .accessibility)
        let dueAppointment = entry(at: 12, appointment: 20), futureAppointment = entry(at: 11, appointment: 60)
        let order = policy.order([early, later, priority, dueAppointment, futureAppointment], now: at(16))
        #expect(order.map(\.id) == [dueAppointment.id, priority.id, early.id, later.id, futureAppointment.id])
        // Before the grace period, the appointment waits its turn like anyone else.
        #expect(policy.order([early, dueAppointment], now: at(13)).map(\.id) == [early.id, dueAppointment.id])
    }

    @Test func anAgentTakesOnlyTheirServicesLanguagesAndCounter() {
        let policy = CallNextPolicy()
        let punjabi = entry("renew-licence", at: 0, language: .punjabi)
        let business = entry("register-business", at: 1)
        let english = entry("renew-licence", at: 2)
        let forCounterTwo = entry("renew-licence", at: -5, counter: 2)
        let licencesOnly = AgentSkills(counter: 1, services: ["renew-licence"])
        #expect(policy.next(for: licencesOnly, among: [punjabi, business, english, forCounterTwo], now: at(3))?.id == english.id)
        let speaksPunjabi = AgentSkills(counter: 1, services: ["renew-licence"], languages: [.punjabi])
        #expect(policy.next(for: speaksPunjabi, among: [punjabi, business, english], now: at(3))?.id == punjabi.id)
        #expect(policy.next(for: AgentSkills(counter: 2), among: [punjabi, business, english, forCounterTwo], now: at(3))?.id == forCounterTwo.id)
        // An interpreter is coming, or the wait has gone past the limit: any agent.
        let withInterpreter = entry(at: 0, language: .korean, interpreter: true)
        #expect(policy.next(for: licencesOnly, among: [withInterpreter], now: at(1))?.id == withInterpreter.id)
        #expect(policy.next(for: licencesOnly, among: [punjabi], now: at(14)) == nil)
        #expect(policy.next(for: licencesOnly, among: [punjabi], now: at(15))?.id == punjabi.id)
    }
}
