import AnyDoorStore
import Foundation

enum TestKeys {
    static func key(_ byte: UInt8) -> Data { Data(repeating: byte, count: 32) }

    static let ring = try! KeyRing(dataKeys: [("k1", key(1))], indexKey: key(9))
}
