import Foundation

/// The embedded database's key file: made once in the data folder with owner-only permissions, so the
/// demo encrypts personal data without any set-up. Production sets the variables instead.
public enum KeyFile {
    struct Contents: Codable {
        var dataKeys: [String]
        var indexKey: String
    }

    /// Loads `keys.json` from `folder`, creating it with fresh keys when absent.
    public static func loadOrCreate(in folder: URL) throws -> KeyRing {
        let file = folder.appendingPathComponent("keys.json")
        if FileManager.default.fileExists(atPath: file.path) {
            let contents = try JSONDecoder().decode(Contents.self, from: Data(contentsOf: file))
            return try KeyRing.parse(dataKeys: contents.dataKeys.joined(separator: ","), indexKey: contents.indexKey)
        }
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let contents = Contents(dataKeys: ["k1:\(KeyRing.generateKeyText())"], indexKey: KeyRing.generateKeyText())
        try save(contents, to: file)
        return try KeyRing.parse(dataKeys: contents.dataKeys.joined(separator: ","), indexKey: contents.indexKey)
    }

    /// Adds a new current key in front of the others (used by `anydoor keys rotate` on the embedded database).
    public static func addKey(in folder: URL) throws -> KeyRing {
        let file = folder.appendingPathComponent("keys.json")
        var contents = try JSONDecoder().decode(Contents.self, from: Data(contentsOf: file))
        let next = (contents.dataKeys.compactMap { Int($0.split(separator: ":").first?.dropFirst() ?? "") }.max() ?? 0) + 1
        contents.dataKeys.insert("k\(next):\(KeyRing.generateKeyText())", at: 0)
        try save(contents, to: file)
        return try KeyRing.parse(dataKeys: contents.dataKeys.joined(separator: ","), indexKey: contents.indexKey)
    }

    /// Keeps only the current key (after every value has been re-encrypted under it).
    public static func retireOldKeys(in folder: URL) throws {
        let file = folder.appendingPathComponent("keys.json")
        var contents = try JSONDecoder().decode(Contents.self, from: Data(contentsOf: file))
        contents.dataKeys = Array(contents.dataKeys.prefix(1))
        try save(contents, to: file)
    }

    static func save(_ contents: Contents, to file: URL) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        let data = try encoder.encode(contents)
        FileManager.default.createFile(atPath: file.path, contents: data, attributes: [.posixPermissions: 0o600])
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: file.path)
    }
}
