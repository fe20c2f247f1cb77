import Foundation

/// Password rules of NIST SP 800-63B (section 3.1.1.2), REFERENCE.md section 6:
/// at least 15 characters when the password is the only factor (8 with a second factor), at least 64
/// accepted, no composition rules, and no password from the blocklist (common and breached passwords,
/// the service's name, the person's own email address).
public struct PasswordPolicy: Sendable {
    public static let minimumSingleFactor = 15
    public static let minimumWithSecondFactor = 8
    /// We accept far more than the 64 NIST requires; the cap only bounds bcrypt's work (it reads 72 bytes).
    public static let maximum = 256

    let blocklist: Set<String>

    /// - Parameter blocklist: lower-cased common and breached passwords.
    public init(blocklist: Set<String>) {
        self.blocklist = blocklist
    }

    /// Words that name the service; a password that is only these (with digits or punctuation) is refused.
    static let serviceWords = ["anydoor", "servicebc", "service bc", "bcservices", "britishcolumbia"]

    /// Checks a new password. `field` names the form field in the errors.
    public func check(_ password: String, email: String?, hasSecondFactor: Bool, field: String = "password") throws(ValidationError) {
        let normalised = password.precomposedStringWithCompatibilityMapping
        let length = normalised.count
        let minimum = hasSecondFactor ? Self.minimumWithSecondFactor : Self.minimumSingleFactor
        if length < minimum {
            throw ValidationError(field: field, code: "tooShort", message: "Use at least \(minimum) characters. A few unrelated words make a long password that is easy to remember.")
        }
        if length > Self.maximum {
            throw ValidationError(field: field, code: "tooLong", message: "Use at most \(Self.maximum) characters.")
        }
        let lowered = normalised.lowercased()
        let lettersOnly = lowered.filter { $0.isLetter }
        if blocklist.contains(lowered) || blocklist.contains(lettersOnly) {
            throw ValidationError(field: field, code: "common", message: "This password is too common or has appeared in a data breach. Choose another.")
        }
        if Self.serviceWords.contains(where: { lettersOnly.hasPrefix($0.filter(\.isLetter)) && lettersOnly.count <= $0.count + 4 }) {
            throw ValidationError(field: field, code: "serviceName", message: "Do not use the name of this service as your password.")
        }
        if let email = email?.lowercased(), !email.isEmpty {
            let local = String(email.split(separator: "@").first ?? "")
            if lowered.contains(email) || (local.count >= 4 && lowered.contains(local)) {
                throw ValidationError(field: field, code: "containsEmail", message: "Do not use your email address in your password.")
            }
        }
        if Set(normalised).count <= 2 {
            throw ValidationError(field: field, code: "repetitive", message: "Do not repeat the same character over and over.")
        }
    }
}
