@testable import AnyDoorCore
import Testing

@Suite struct NotificationRulesTests {
    @Test func statusesOnlyMoveForward() {
        #expect(NotificationStatus.created.canMove(to: .sending))
        #expect(NotificationStatus.sending.canMove(to: .delivered))
        #expect(NotificationStatus.created.canMove(to: .permanentFailure))
        #expect(!NotificationStatus.delivered.canMove(to: .sending))
        #expect(!NotificationStatus.sending.canMove(to: .created))
        #expect(!NotificationStatus.delivered.canMove(to: .temporaryFailure))
        #expect(!NotificationStatus.sending.canMove(to: .sending))
    }

    @Test func phoneNumbersAreNormalisedOrRefused() {
        #expect(NotificationPreferences.normalisedPhone("250 555 0123") == "+12505550123")
        #expect(NotificationPreferences.normalisedPhone("+1 (250) 555-0123") == "+12505550123")
        #expect(NotificationPreferences.normalisedPhone("+44 20 7946 0958") == "+442079460958")
        #expect(NotificationPreferences.normalisedPhone("555 0123") == nil)
        #expect(NotificationPreferences.normalisedPhone("250 555 0123 ext 4") == nil)
        #expect(NotificationPreferences.normalisedPhone("250+555 0123") == nil)
    }
}
