import Foundation

/// An iCalendar (RFC 5545) file with one event: what an appointment confirmation attaches so the person's
/// calendar keeps it. Lines end in CRLF and are folded at 75 octets; text values are escaped.
public struct ICalendarEvent: Sendable, Equatable {
    public var uid: String
    public var start: Date
    public var end: Date
    public var stamp: Date
    public var summary: String
    public var location: String
    public var description: String
    /// `CANCELLED` turns the file into a cancellation the calendar applies to the same `uid`.
    public var cancelled: Bool
    /// Bumped on every change so calendars replace the older copy.
    public var sequence: Int

    public init(uid: String, start: Date, end: Date, stamp: Date, summary: String, location: String, description: String,
                cancelled: Bool = false, sequence: Int = 0) {
        self.uid = uid
        self.start = start
        self.end = end
        self.stamp = stamp
        self.summary = summary
        self.location = location
        self.description = description
        self.cancelled = cancelled
        self.sequence = sequence
    }

    public var text: String {
        var lines = [
            "BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//AnyDoor//Appointments//EN", "CALSCALE:GREGORIAN",
            "METHOD:\(cancelled ? "CANCEL" : "PUBLISH")",
            "BEGIN:VEVENT",
            "UID:\(Self.escape(uid))",
            "SEQUENCE:\(sequence)",
            "DTSTAMP:\(Self.utc(stamp))",
            "DTSTART:\(Self.utc(start))",
            "DTEND:\(Self.utc(end))",
            "SUMMARY:\(Self.escape(summary))",
            "LOCATION:\(Self.escape(location))",
            "DESCRIPTION:\(Self.escape(description))",
            "STATUS:\(cancelled ? "CANCELLED" : "CONFIRMED")",
        ]
        if !cancelled {
            lines += ["BEGIN:VALARM", "ACTION:DISPLAY", "TRIGGER:-PT1H", "DESCRIPTION:\(Self.escape(summary))", "END:VALARM"]
        }
        lines += ["END:VEVENT", "END:VCALENDAR"]
        return lines.map(Self.fold).joined(separator: "\r\n") + "\r\n"
    }

    /// `20261130T170000Z`.
    static func utc(_ date: Date) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let c = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: date)
        return String(format: "%04d%02d%02dT%02d%02d%02dZ", c.year!, c.month!, c.day!, c.hour!, c.minute!, c.second!)
    }

    /// RFC 5545 3.3.11: backslash, semicolon and comma escaped, newlines as `\n`.
    static func escape(_ text: String) -> String {
        var out = ""
        for character in text {
            switch character {
            case "\\": out += "\\\\"
            case ";": out += "\\;"
            case ",": out += "\\,"
            case "\n", "\r\n": out += "\\n"
            case "\r": continue
            default: out.append(character)
            }
        }
        return out
    }

    /// RFC 5545 3.1: lines longer than 75 octets continue on the next line after CRLF and a space,
    /// never splitting a UTF-8 character (nor a letter from its combining marks, so Punjabi stays readable).
    static func fold(_ line: String) -> String {
        var result = "", current = 0
        for character in line {
            let size = character.utf8.count
            if current + size > 75 {
                result += "\r\n "
                current = 1
            }
            result.append(character)
            current += size
        }
        return result
    }
}
