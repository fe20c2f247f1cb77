import AnyDoorCore
import Foundation
import SQLKit

/// An office with what its pages and its queue need besides the office itself.
public struct OfficeRecord: Sendable {
    public var office: Office
    public var rules: AppointmentRules
    /// A virtual-queue ticket gets its "come in now" message at this position.
    public var comeInAt: Int
}

/// What one member of staff does at one office.
public struct StaffSkills: Sendable, Equatable {
    public var staff: StaffID
    /// Empty: every service of the office.
    public var services: Set<String>
    public var languages: Set<LanguageCode>

    public init(staff: StaffID, services: Set<String>, languages: Set<LanguageCode>) {
        self.staff = staff
        self.services = services
        self.languages = languages
    }
}

/// The province's offices: hours, closures (blackouts), services offered with their ticket prefixes, staff skills.
public struct SQLOffices: Sendable {
    let database: Database
    let keys: KeyRing

    public init(database: Database, keys: KeyRing) {
        self.database = database
        self.keys = keys
    }

    static let columns = ["id", "code", "town", "place_id", "latitude", "longitude", "time_zone", "hours_json", "counters", "languages", "rules_json", "come_in_at", "holidays"]

    static func decode(_ row: any SQLRow) throws -> OfficeRecord {
        let decoder = JSONDecoder()
        let office = Office(
            id: OfficeID(try row.decode(column: "id", as: String.self))!, code: try row.decode(column: "code", as: String.self),
            town: try row.decode(column: "town", as: String.self), placeID: try row.decode(column: "place_id", as: Int?.self),
            latitude: try row.decode(column: "latitude", as: Double.self), longitude: try row.decode(column: "longitude", as: Double.self),
            timeZone: TimeZone(identifier: try row.decode(column: "time_zone", as: String.self)) ?? TimeZone(identifier: "America/Vancouver")!,
            hours: try decoder.decode(WeeklyHours.self, from: Data(try row.decode(column: "hours_json", as: String.self).utf8)),
            counters: try row.decode(column: "counters", as: Int.self),
            interpretedLanguages: try row.decode(column: "languages", as: String.self).split(separator: " ").compactMap { LanguageCode(rawValue: String($0)) },
            observesHolidays: try row.decode(column: "holidays", as: Int.self) != 0)
        return OfficeRecord(office: office, rules: try decoder.decode(AppointmentRules.self, from: Data(try row.decode(column: "rules_json", as: String.self).utf8)),
                            comeInAt: try row.decode(column: "come_in_at", as: Int.self))
    }

    public func list() async throws -> [OfficeRecord] {
        try await database.withSQL { sql in
            try await sql.select().columns(Self.columns.map { SQLIdentifier($0) }).from("offices").orderBy("town").all().map(Self.decode)
        }
    }

    /// By id or by code (`KAM`, any case).
    public func find(_ key: String) async throws -> OfficeRecord? {
        try await database.withSQL { sql in
            let query = sql.select().columns(Self.columns.map { SQLIdentifier($0) }).from("offices")
            if let id = OfficeID(key) { query.where("id", .equal, id.description) } else { query.where("code", .equal, key.uppercased()) }
            return try await query.first().map(Self.decode)
        }
    }

    public func create(_ office: Office, rules: AppointmentRules = AppointmentRules(), comeInAt: Int = 3) async throws {
        try rules.validate()
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        try await database.withSQL { sql in
            try await sql.insert(into: "offices").columns(Self.columns)
                .values(SQLBind(office.id.description), SQLBind(office.code), SQLBind(office.town), SQLBind(office.placeID), SQLBind(office.latitude), SQLBind(office.longitude),
                        SQLBind(office.timeZone.identifier), SQLBind(String(decoding: try encoder.encode(office.hours), as: UTF8.self)), SQLBind(office.counters),
                        SQLBind(office.interpretedLanguages.map(\.rawValue).joined(separator: " ")), SQLBind(String(decoding: try encoder.encode(rules), as: UTF8.self)),
                        SQLBind(comeInAt), SQLBind(office.observesHolidays ? 1 : 0))
                .run()
        }
    }

    public func closures(of office: OfficeID) async throws -> [OfficeClosure] {
        try await database.withSQL { sql in
            try await sql.select().columns("day", "reason").from("office_closures").where("office_id", .equal, office.description).orderBy("day").all().compactMap { row in
                LocalDate(try row.decode(column: "day", as: String.self)).map { OfficeClosure(date: $0, reason: try! row.decode(column: "reason", as: String.self)) }
            }
        }
    }

    /// Every office's closures, for lists of offices (one query instead of one per office).
    public func allClosures() async throws -> [OfficeID: [OfficeClosure]] {
        try await database.withSQL { sql in
            var result: [OfficeID: [OfficeClosure]] = [:]
            for row in try await sql.select().columns("office_id", "day", "reason").from("office_closures").all() {
                guard let office = OfficeID(try row.decode(column: "office_id", as: String.self)), let day = LocalDate(try row.decode(column: "day", as: String.self)) else { continue }
                result[office, default: []].append(OfficeClosure(date: day, reason: try row.decode(column: "reason", as: String.self)))
            }
            return result
        }
    }

    /// Adds a blackout day. Appointments already booked that day are cancelled by the caller (`SQLAppointments.cancelAll`).
    public func addClosure(_ closure: OfficeClosure, office: OfficeID, actor: String, at time: Date) async throws {
        let reason = closure.reason.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !reason.isEmpty, reason.count <= 200 else { throw ValidationError(field: "reason", code: reason.isEmpty ? "required" : "tooLong", message: "Say why the office is closed, in at most 200 characters.") }
        try await database.transaction { sql in
            if try await sql.select().column("day").from("office_closures").where("office_id", .equal, office.description).where("day", .equal, closure.date.description).first() != nil {
                throw ValidationError(field: "date", code: "duplicate", message: "The office is already closed that day.")
            }
            try await sql.insert(into: "office_closures").columns("office_id", "day", "reason")
                .values(SQLBind(office.description), SQLBind(closure.date.description), SQLBind(reason)).run()
            try await SQLAuditLog(database: database, keys: keys).append(AuditEntry(at: time, actor: actor, action: "office.closure-added", target: "office:\(office)",
                                                                                     channel: .inPerson, detail: closure.date.description), on: sql)
        }
    }

    /// Services offered with their ticket prefixes, in the order they were added.
    public func services(of office: OfficeID) async throws -> [(code: String, prefix: String)] {
        try await database.withSQL { sql in
            try await sql.select().columns("service_code", "prefix").from("office_services").where("office_id", .equal, office.description).orderBy("service_code").all().map {
                (try $0.decode(column: "service_code", as: String.self), try $0.decode(column: "prefix", as: String.self))
            }
        }
    }

    public func offer(_ services: [String], at office: OfficeID) async throws {
        try await database.transaction { sql in
            let existing = try await sql.select().column("service_code").from("office_services").where("office_id", .equal, office.description).all().count
            for (index, code) in services.enumerated() {
                try await sql.insert(into: "office_services").columns("office_id", "service_code", "prefix")
                    .values(SQLBind(office.description), SQLBind(code), SQLBind(TicketLabel.prefix(forServiceAt: existing + index))).run()
            }
        }
    }

    /// Saves what one member of staff does at `office` (services empty: every service of the office), audited.
    public func setSkills(_ skills: StaffSkills, at office: OfficeID, actor: String, at time: Date) async throws {
        try await database.transaction { sql in
            try await sql.delete(from: "office_staff").where("office_id", .equal, office.description).where("staff_id", .equal, skills.staff.description).run()
            try await sql.insert(into: "office_staff").columns("office_id", "staff_id", "services", "languages")
                .values(SQLBind(office.description), SQLBind(skills.staff.description), SQLBind(skills.services.sorted().joined(separator: " ")),
                        SQLBind(skills.languages.map(\.rawValue).sorted().joined(separator: " "))).run()
            try await SQLAuditLog(database: database, keys: keys).append(AuditEntry(
                at: time, actor: actor, action: "office.skills-changed", target: "staff:\(skills.staff)", channel: .inPerson,
                detail: "office:\(office) services:\(skills.services.isEmpty ? "all" : skills.services.sorted().joined(separator: ",")) languages:\(skills.languages.map(\.rawValue).sorted().joined(separator: ","))"),
                on: sql)
        }
    }

    /// The members of staff who work the counters of `office`: enabled counter agents and office managers of
    /// that office or of the whole province, by name.
    public func counterStaff(at office: OfficeID) async throws -> [(id: StaffID, name: String)] {
        try await database.withSQL { sql in
            let rows = try await sql.raw("""
                SELECT DISTINCT s.id, s.name_enc FROM staff s JOIN staff_roles r ON r.staff_id = s.id
                WHERE s.disabled_at IS NULL AND r.role IN ('counter-agent', 'office-manager')
                AND ((r.scope_kind = 'office' AND r.scope_id = \(bind: office.description)) OR r.scope_kind = 'province')
                """).all()
            return try rows.compactMap { row -> (id: StaffID, name: String)? in
                guard let id = StaffID(try row.decode(column: "id", as: String.self)) else { return nil }
                return (id, try keys.open(try row.decode(column: "name_enc", as: String.self), context: "staff.name"))
            }.sorted { $0.name < $1.name }
        }
    }

    public func skills(of staff: StaffID, at office: OfficeID) async throws -> StaffSkills {
        try await database.withSQL { sql in
            guard let row = try await sql.select().columns("services", "languages").from("office_staff").where("office_id", .equal, office.description)
                .where("staff_id", .equal, staff.description).first() else { return StaffSkills(staff: staff, services: [], languages: [.base]) }
            return StaffSkills(staff: staff, services: Set(try row.decode(column: "services", as: String.self).split(separator: " ").map(String.init)),
                               languages: Set(try row.decode(column: "languages", as: String.self).split(separator: " ").compactMap { LanguageCode(rawValue: String($0)) }))
        }
    }

    // MARK: Demo offices

    /// The training centre's code: not a public office.
    public static let trainingCode = "TRN"

    /// Loads the 65 demo offices (Resources/DemoData/offices.csv, real towns from the Community Information Tool)
    /// with the in-person services of the catalogue; returns how many were created.
    public func seedDemo(inPersonServices: [String], progress: (Int, Int) -> Void = { _, _ in }) async throws -> Int {
        let rows = try DemoSeeder.readTable("offices")
        let existing = Set(try await list().map(\.office.code))
        var created = 0
        for (index, row) in rows.enumerated() {
            progress(index + 1, rows.count)
            guard row.count == 8, !existing.contains(row[0]) else { continue }
            guard let latitude = Double(row[3]), let longitude = Double(row[4]), let zone = TimeZone(identifier: row[5]), let counters = Int(row[6]) else {
                throw DemoDataError.invalid("offices.csv line \(index + 2)", "latitude, longitude, time zone or counters")
            }
            let office = Office(id: OfficeID(rawValue: UUID()), code: row[0], town: row[1], placeID: Int(row[2]), latitude: latitude, longitude: longitude,
                                timeZone: zone, counters: counters, interpretedLanguages: row[7].split(separator: " ").compactMap { LanguageCode(rawValue: String($0)) })
            try await create(office, rules: AppointmentRules(slotMinutes: [:], defaultSlotMinutes: 15, seats: max(1, counters / 2), reservedSeats: counters >= 6 ? 1 : 0))
            try await offer(inPersonServices, at: office.id)
            created += 1
        }
        if !existing.contains(Self.trainingCode) {
            // Open every hour of every day, so the queue and appointments can be tried (and the browser journeys run) at any time.
            let training = Office(id: OfficeID(rawValue: UUID()), code: Self.trainingCode, town: "Victoria (training centre)", latitude: 48.4334, longitude: -123.3617,
                                  timeZone: TimeZone(identifier: "America/Vancouver")!, hours: .always, counters: 4,
                                  interpretedLanguages: [.punjabi, .chineseTraditional, .chineseSimplified, .french], observesHolidays: false)
            try await create(training, rules: AppointmentRules(leadTimeMinutes: 0, defaultSlotMinutes: 15, perPersonPerDay: 3, seats: 2, reservedSeats: 0), comeInAt: 3)
            try await offer(inPersonServices, at: training.id)
            created += 1
        }
        return created
    }
}
