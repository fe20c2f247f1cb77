@testable import AnyDoorApp
import AnyDoorCore
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

@Suite struct CounterPagesTests {
    static let service = "enrol-msp"

    @Test func officesArePublicInPagesAndJSONWithRealTownsHoursAndHolidays() async throws {
        try await withRequestsApp { client in
            let list = try await client.execute(uri: "/api/v1/offices", method: .get) { try $0.json() }
            let items = try #require(list["items"] as? [[String: Any]])
            #expect(items.count == 66, "65 offices in real BC towns and the training centre")
            let codes = items.compactMap { $0["code"] as? String }
            #expect(Set(codes).count == codes.count)
            let kamloops = try #require(items.first { $0["town"] as? String == "Kamloops" })
            #expect(kamloops["place_id"] as? Int == 8373)
            #expect(abs((kamloops["latitude"] as? Double ?? 0) - 50.6783) < 0.0001)
            #expect(items.first { $0["town"] as? String == "Cranbrook" }?["time_zone"] as? String == "America/Edmonton")
            #expect(items.first { $0["town"] as? String == "Dawson Creek" }?["time_zone"] as? String == "America/Dawson_Creek")
            // 03:06 on a Wednesday in Vancouver: every public office is closed; the training centre never closes.
            #expect(items.filter { $0["open_now"] as? Bool == true }.compactMap { $0["code"] as? String } == ["TRN"])
            let detail = try await client.execute(uri: "/api/v1/offices/KAM", method: .get) { try $0.json() }
            let holidays = try #require(detail["holidays"] as? [[String: String]])
            #expect(holidays.first == ["date": "2026-11-11", "reason": "remembrance-day"] || holidays.first?["date"] == "2026-12-25")
            #expect((detail["services"] as? [String])?.contains(Self.service) == true)
            #expect(try await client.execute(uri: "/api/v1/offices/NOPE", method: .get) { $0.status } == .notFound)
            let page = try await Browser(client).get("/offices/KAM?lang=fr")
            #expect(page.html.contains("Service BC de Kamloops") && page.html.contains("Noël") && !page.html.contains("Christmas"))
            #expect(page.html.contains("/offices/KAM/appointments/new"))
            let english = try await Browser(client).get("/offices/KAM")
            #expect(english.html.contains("Christmas Day") && english.html.contains("Closed now") && english.html.contains("Monday"))
        }
    }

    @Test func aWalkInChecksInIsCalledServedAndShownOnTheDisplay() async throws {
        let clock = TestClock()
        try await withRequestsApp(clock: clock) { client in
            // Bad check-ins change nothing and name the field.
            let kiosk = Browser(client)
            try await kiosk.get("/offices/TRN/check-in?kiosk=1")
            let noService = try await kiosk.post("/offices/TRN/check-in", ["kiosk": "1", "service": "", "language": "pa"])
            #expect(noService.status == .unprocessableContent)
            #expect(noService.html.contains("#field-service"))
            let badPhone = try await kiosk.post("/offices/TRN/check-in", ["kiosk": "1", "service": Self.service, "phone": "12"])
            #expect(badPhone.status == .unprocessableContent && badPhone.html.contains("10 to 15 digits"))
            let closed = try await kiosk.post("/offices/KAM/check-in", ["kiosk": "1", "service": Self.service])
            #expect(closed.status == .unprocessableContent && closed.html.contains("closed now"))
            let staffView = try await client.execute(uri: "/api/v1/offices/TRN", method: .get) { try $0.json() }
            #expect(staffView["waiting"] as? Int == 0)
            // A good one: a ticket and a page that follows it.
            let ticket = try await kiosk.post("/offices/TRN/check-in", ["kiosk": "1", "service": Self.service, "language": "pa", "interpreter": "1", "priority": "senior"])
            let link = try #require(ticket.location)
            #expect(link.hasPrefix("/queue/"))
            let mine = try await kiosk.get(link + "?lang=pa")
            let label = try #require(Browser.capture(#"class="ticket-label"[^>]*>([A-Z]-\d{3})<"#, in: mine.html))
            #expect(mine.html.contains(#"lang="pa""#))
            // The agent at counter 2 calls next and serves.
            let agent = Browser(client)
            try await agent.signInStaff(.counterAgent, clock: clock)
            let console = try await agent.get("/staff/offices/TRN/queue")
            #expect(console.status == .ok && console.html.contains(label))
            let notSeated = try await agent.post("/staff/offices/TRN/call-next", [:])
            #expect(notSeated.status == .unprocessableContent)
            #expect(try await agent.post("/staff/offices/TRN/sit", ["counter": "2"]).status == .seeOther)
            try await agent.get("/staff/offices/TRN/queue")
            let redirect = try await agent.post("/staff/offices/TRN/call-next", [:])
            #expect(redirect.status == .seeOther)
            let called = try await agent.get(try #require(redirect.location))
            #expect(called.html.contains("Called \(label)."))
            // The display shows it, in English and in the Punjabi of the person waiting.
            let display = try await Browser(client).get("/offices/TRN/display")
            #expect(display.html.contains(label) && display.html.contains("please go to counter 2"))
            #expect(display.html.contains(#"lang="pa" dir="ltr""#))
            let status = try await client.execute(uri: link + "/status", method: .get) { try $0.json() }
            #expect(status["counter"] as? String == "Please go to counter 2")
            let id = try #require(Browser.capture(#"/tickets/([0-9a-f-]{36})/serve""#, in: called.html))
            #expect(try await agent.post("/staff/offices/TRN/tickets/\(id)/finish", [:]).status == .conflict, "not served yet")
            try await agent.get("/staff/offices/TRN/queue")
            #expect(try await agent.post("/staff/offices/TRN/tickets/\(id)/serve", [:]).status == .seeOther)
            try await agent.get("/staff/offices/TRN/queue")
            clock.advance(minutes: 7)
            #expect(try await agent.post("/staff/offices/TRN/tickets/\(id)/finish", [:]).status == .seeOther)
            #expect(try await kiosk.get(link + "?lang=en").html.contains("Finished"))
            // The dashboard counts it and draws its charts.
            let dashboard = try await agent.get("/staff/offices/TRN/dashboard")
            #expect(dashboard.status == .ok && dashboard.html.contains(#"<svg"#) && dashboard.html.contains(#"role="img""#))
            #expect(dashboard.html.contains("Served today"))
            // Someone who does not work at counters is refused, an anonymous visitor sent to sign in.
            let caseworker = Browser(client)
            try await caseworker.signInStaff(.ministryCaseworker, clock: clock)
            #expect(try await caseworker.get("/staff/offices/TRN/queue").status == .forbidden)
            #expect(try await caseworker.post("/staff/offices/TRN/call-next", [:]).status == .forbidden)
            #expect(try await Browser(client).get("/staff/offices/TRN/dashboard").status == .found)
        }
    }

    @Test func theCallDisplayStreamsServerSentEvents() async throws {
        try await TestApp.run({ $0.seedDemoCatalogue = true; $0.displayStreamSeconds = 2 }) { client in
            let kiosk = Browser(client)
            try await kiosk.get("/offices/TRN/check-in")
            let ticket = try await kiosk.post("/offices/TRN/check-in", ["service": Self.service, "language": "fa"])
            let link = try #require(ticket.location)
            let page = try await kiosk.get(link)
            let label = try #require(Browser.capture(#"class="ticket-label"[^>]*>([A-Z]-\d{3})<"#, in: page.html))
            try await client.execute(uri: "/offices/TRN/display/events", method: .get) { response in
                #expect(response.status == .ok)
                #expect(response.headers[.contentType] == "text/event-stream")
                let text = String(buffer: response.body)
                #expect(text.hasPrefix("retry: 3000\n\n"))
                // Nobody called yet: one event with one person waiting; no ticket label (nothing is called).
                #expect(text.contains("event: queue\ndata: {\"calls\":[],\"waiting\":1}\n\n"))
                #expect(!text.contains(label))
            }
        }
    }

    @Test func aPersonBooksGetsACalendarFileMovesAndCancels() async throws {
        let clock = TestClock()
        try await withRequestsApp(clock: clock) { client in
            let ada = Browser(client)
            try await ada.register(email: "ada.book@example.ca")
            _ = try await ada.enableTOTP(clock: { clock.now })
            try await ada.get("/account/notifications")
            try await ada.post("/account/notifications", ["email": "on"])
            let form = try await ada.get("/offices/TRN/appointments/new?service=\(Self.service)&lang=pa")
            #expect(form.status == .ok)
            let slots = Browser.allMatches(#"name="slot" value="(\d+)""#, in: form.html)
            #expect(slots.count > 10)
            let date = try #require(Browser.capture(#"<option value="(\d{4}-\d{2}-\d{2})" selected"#, in: form.html))
            // No time chosen: the form says so.
            let none = try await ada.post("/offices/TRN/appointments", ["service": Self.service, "date": date, "slot": ""])
            #expect(none.status == .unprocessableContent && none.html.contains("#field-slot"))
            let booked = try await ada.post("/offices/TRN/appointments", ["service": Self.service, "date": date, "slot": slots[1], "interpreter": "pa", "accommodation": "Step-free access"])
            let location = try #require(booked.location)
            let path = try #require(location.split(separator: "?").first.map(String.init))
            let page = try await ada.get(path)
            #expect(page.html.contains("Step-free access") && page.html.contains("ਪੰਜਾਬੀ"))
            let calendar = try await client.execute(uri: path + ".ics", method: .get, headers: [.cookie: ada.cookies.map { "\($0.key)=\($0.value)" }.joined(separator: "; ")]) { response in
                (response.headers[.contentType], String(buffer: response.body))
            }
            #expect(calendar.0 == "text/calendar; charset=utf-8")
            #expect(calendar.1.contains("BEGIN:VEVENT") && calendar.1.contains("DTSTART:"))
            // Someone else cannot see it.
            let grace = Browser(client)
            try await grace.register(email: "grace.book@example.ca")
            _ = try await grace.enableTOTP(clock: { clock.now })
            #expect(try await grace.get(path).status == .notFound)
            // The confirmation went out by email with the calendar link.
            var mailbox = ""
            for _ in 0..<50 where !mailbox.contains(".ics") {
                mailbox = try await Browser(client).get("/dev/mailbox").html
                try await Task.sleep(for: .milliseconds(100))
            }
            #expect(mailbox.contains(".ics"), "the confirmation email links the calendar file")
            // Moving it frees the first time; cancelling frees the second.
            let id = try #require(path.split(separator: "/").last.map(String.init))
            let moved = try await ada.post("/offices/TRN/appointments", ["service": Self.service, "date": date, "slot": slots[2], "reschedule": id])
            #expect(moved.location?.hasPrefix("/my/appointments/\(id)") == true)
            try await ada.get("/my/appointments/\(id)?lang=en")
            #expect(try await ada.post("/my/appointments/\(id)/cancel", [:]).html.contains("Cancelled"))
            #expect(try await ada.post("/my/appointments/\(id)/cancel", [:]).status == .conflict)
            #expect(try await ada.get("/my/appointments").html.contains(path))
        }
    }

    @Test func aPhoneAgentVerifiesACallerLogsTheCallAndBooksACallback() async throws {
        let clock = TestClock(LocalDate(2026, 11, 30).at(minutes: 10 * 60, in: TimeZone(identifier: "America/Vancouver")!))
        try await withRequestsApp(clock: clock) { client in
            let ada = Browser(client)
            try await ada.register(email: "ada.call@example.ca")
            _ = try await ada.enableTOTP(clock: { clock.now })
            try await ada.get("/account/profile")
            try await ada.post("/account/profile", ["dateOfBirth": "1980-04-02", "street": "1 Main St", "city": "Surrey", "postalCode": "V3T 1A1", "phone": "", "interpreter": "", "accessibility": ""])
            let agent = Browser(client)
            try await agent.signInStaff(.contactCentreAgent, clock: clock)
            try await agent.get("/staff/contact")
            let unknown = try await agent.post("/staff/contact/find", ["email": "nobody@example.ca"])
            #expect(unknown.status == .notFound)
            let found = try await agent.post("/staff/contact/find", ["email": "ada.call@example.ca"])
            let callPath = try #require(found.location)
            let call = try await agent.get(callPath)
            #expect(call.html.contains("answer-date-of-birth") && call.html.contains("answer-postal-code") && !call.html.contains("1980-04-02"))
            let wrong = try await agent.post(callPath + "/verify", ["answer-date-of-birth": "1980-04-03", "answer-postal-code": "v3t1a1"])
            #expect(wrong.html.contains("Not verified: 1 of 2"))
            let right = try await agent.post(callPath + "/verify", ["answer-date-of-birth": "1980-04-02", "answer-postal-code": "v3t1a1"])
            #expect(right.html.contains("Caller verified"))
            // A callback outside the contact centre's hours is refused and nothing is logged.
            let late = try await agent.post(callPath + "/log", ["reason": "request-status", "outcome": "callback-scheduled", "duration": "6",
                                                                "callbackPhone": "250 555 0100", "callbackAt": "2026-11-30T18:30"])
            #expect(late.status == .unprocessableContent && late.html.contains("#field-callbackAt"))
            let logged = try await agent.post(callPath + "/log", ["reason": "request-status", "outcome": "callback-scheduled", "duration": "6",
                                                                  "callbackPhone": "250 555 0100", "callbackAt": "2026-11-30T14:00",
                                                                  "answer-date-of-birth": "1980-04-02", "answer-postal-code": "V3T 1A1"])
            #expect(logged.status == .seeOther)
            let console = try await agent.get(try #require(logged.location))
            #expect(console.html.contains("Call logged and callback scheduled.") && console.html.contains("+12505550100"))
            // The call is on Ada's record, and her record shows the agent looked.
            #expect(try await agent.get(callPath).html.contains("Callback scheduled"))
            #expect(try await ada.get("/account/who-looked").html.contains("phone enquiry"))
            // Counter agents do not use the contact centre's console.
            let counter = Browser(client)
            try await counter.signInStaff(.counterAgent, clock: clock)
            #expect(try await counter.get("/staff/contact").status == .forbidden)
        }
    }

    @Test func aManagerClosesAnOfficeForADayAndItsAppointmentsAreCancelled() async throws {
        let clock = TestClock()
        try await withRequestsApp(clock: clock) { client in
            let ada = Browser(client)
            try await ada.register(email: "ada.closed@example.ca")
            _ = try await ada.enableTOTP(clock: { clock.now })
            let friday = LocalDate(2026, 11, 20)
            let form = try await ada.get("/offices/KAM/appointments/new?service=\(Self.service)&date=\(friday)")
            let slot = try #require(Browser.allMatches(#"name="slot" value="(\d+)""#, in: form.html).first)
            let booked = try await ada.post("/offices/KAM/appointments", ["service": Self.service, "date": friday.description, "slot": slot])
            #expect(booked.status == .seeOther)
            let manager = Browser(client)
            try await manager.signInStaff(.officeManager, clock: clock)
            let dashboard = try await manager.get("/staff/offices/KAM/dashboard")
            #expect(dashboard.html.contains("/staff/offices/KAM/closures"))
            let noReason = try await manager.post("/staff/offices/KAM/closures", ["date": friday.description, "closeReason": ""])
            #expect(noReason.status == .unprocessableContent && noReason.html.contains("#field-closeReason") && noReason.html.contains("Say why the office is closed."))
            let closed = try await manager.post("/staff/offices/KAM/closures", ["date": friday.description, "closeReason": "Water main repair"])
            #expect(closed.html.contains("1 appointment was cancelled"))
            let again = try await manager.post("/staff/offices/KAM/closures", ["date": friday.description, "closeReason": "Again"])
            #expect(again.status == .unprocessableContent && again.html.contains("already closed"))
            #expect(try await Browser(client).get("/offices/KAM").html.contains("Water main repair"))
            #expect(try await ada.get("/my/appointments?lang=en").html.contains("Cancelled"))
            // A counter agent works the queue but does not close offices; the person's visits and calls show on their record.
            let counter = Browser(client)
            try await counter.signInStaff(.counterAgent, clock: clock)
            #expect(!(try await counter.get("/staff/offices/KAM/dashboard")).html.contains("/closures"))
            #expect(try await counter.post("/staff/offices/KAM/closures", ["date": "2026-11-23", "closeReason": "x"]).status == .forbidden)
            let id = try await RequestPagesTests.personID(of: "ada.closed@example.ca", agent: counter)
            let record = try await counter.get("/staff/people/\(id)?purpose=serving-in-person")
            #expect(record.html.contains("Visits, appointments and calls") && record.html.contains("Appointment · Service BC Kamloops"))
        }
    }

    @Test func aManagerSetsWhatAnAgentDeliversAndSpeaksAtAnOffice() async throws {
        let clock = TestClock()
        try await withRequestsApp(clock: clock) { client in
            let manager = Browser(client)
            try await manager.signInStaff(.officeManager, clock: clock)
            #expect(try await manager.get("/staff/offices/TRN/dashboard").html.contains("/staff/offices/TRN/skills"))
            let page = try await manager.get("/staff/offices/TRN/skills")
            #expect(page.status == .ok)
            #expect(page.html.contains("Casey Counter") && page.html.contains("Jordan Manager"))
            let action = try #require(Browser.allMatches(#"action="(/staff/offices/TRN/skills/[0-9a-f-]{36})""#, in: page.html).first { path in
                page.html.range(of: "Casey Counter").map { page.html[$0.upperBound...].contains(path) } ?? false
            })
            // No language, and a service the office does not offer: both named, nothing saved.
            let refused = try await manager.send(action, method: .post,
                                                 body: "csrf_token=\(try #require(Browser.csrfToken(in: page.html)))&service=not-a-service")
            #expect(refused.status == .unprocessableContent)
            #expect(refused.html.contains("Choose at least one language.") && refused.html.contains("Choose only services this office offers."))
            // Punjabi and English, one service.
            try await manager.get("/staff/offices/TRN/skills")
            let token = try #require(Browser.csrfToken(in: try await manager.get("/staff/offices/TRN/skills").html))
            let saved = try await manager.send(action, method: .post, body: "csrf_token=\(token)&service=\(Self.service)&language=pa&language=en")
            #expect(saved.status == .seeOther)
            let after = try await manager.get(try #require(saved.location))
            #expect(after.html.contains("The skills were saved."))
            let staffID = try #require(action.split(separator: "/").last.map(String.init))
            #expect(after.html.contains(#"id="language-\#(staffID)-pa" name="language" value="pa" checked"#))
            #expect(after.html.contains(#"id="service-\#(staffID)-\#(Self.service)" name="service" value="\#(Self.service)" checked"#))
            #expect(!after.html.contains(#"id="language-\#(staffID)-fr" name="language" value="fr" checked"#))
            // Someone who does not work the counters, and a counter agent trying to manage: refused.
            try await manager.get("/staff/offices/TRN/skills")
            #expect(try await manager.post("/staff/offices/TRN/skills/\(UUID().uuidString.lowercased())", ["language": "en"]).status == .notFound)
            let counter = Browser(client)
            try await counter.signInStaff(.counterAgent, clock: clock)
            #expect(try await counter.get("/staff/offices/TRN/skills").status == .forbidden)
        }
    }
}
