@testable import AnyDoorCore
import Foundation
import Testing

@Suite struct AttachmentRulesTests {
    static let pdf = Data("%PDF-1.7\n%\u{E2}\u{E3}\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n".utf8)
    static let jpeg = Data([0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10, 0x4A, 0x46, 0x49, 0x46])
    static let png = Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0x00, 0x00, 0x00, 0x0D])
    /// A Windows executable's first bytes ("MZ").
    static let exe = Data([0x4D, 0x5A, 0x90, 0x00, 0x03, 0x00])

    @Test func theKindIsReadFromTheBytesNotTheName() {
        #expect(AttachmentKind.sniff(Self.pdf) == .pdf)
        #expect(AttachmentKind.sniff(Self.jpeg) == .jpeg)
        #expect(AttachmentKind.sniff(Self.png) == .png)
        #expect(AttachmentKind.sniff(Self.exe) == nil)
        #expect(AttachmentKind.sniff(Data("<html><script>".utf8)) == nil)
        #expect(AttachmentKind.sniff(Data([0x89, 0x50, 0x4E, 0x47])) == nil) // a PNG signature cut short
        // An executable named like a PDF is refused; a PDF named like anything is a PDF with a .pdf name.
        guard case .failure(let refused) = AttachmentRules.check([UploadedFile(name: "scan.pdf", data: Self.exe)]) else { Issue.record("accepted an executable"); return }
        #expect(refused.errors.map(\.code) == ["fileType"])
        let accepted = try? AttachmentRules.check([UploadedFile(name: "setup.exe", data: Self.pdf)]).get()
        #expect(accepted?.map(\.name) == ["setup.exe.pdf"])
        #expect(accepted?.map(\.kind) == [.pdf])
    }

    @Test func everyProblemIsNamedAndNothingIsAcceptedWithOne() {
        let big = Self.pdf + Data(count: AttachmentRules.maxFileBytes)
        let result = AttachmentRules.check([UploadedFile(name: "a.pdf", data: Self.pdf), UploadedFile(name: "empty.pdf", data: Data()),
                                            UploadedFile(name: "big.pdf", data: big), UploadedFile(name: "x.txt", data: Data("hello".utf8))])
        guard case .failure(let error) = result else { Issue.record("accepted bad files"); return }
        #expect(error.errors.map(\.code) == ["emptyFile", "fileTooLarge", "fileType"])
        #expect(error.errors.allSatisfy { $0.field == "attachments" })
        // Exactly at the limit is allowed; one byte more is not.
        let limit = Self.pdf + Data(count: AttachmentRules.maxFileBytes - Self.pdf.count)
        #expect((try? AttachmentRules.check([UploadedFile(name: "limit.pdf", data: limit)]).get())?.first?.size == AttachmentRules.maxFileBytes)
        #expect((try? AttachmentRules.check([UploadedFile(name: "over.pdf", data: limit + Data([0]))]).get()) == nil)
        // Ten per request, counting those already there.
        let two = Array(repeating: UploadedFile(name: "p.png", data: Self.png), count: 2)
        #expect((try? AttachmentRules.check(two, existing: 8).get())?.count == 2)
        guard case .failure(let tooMany) = AttachmentRules.check(two, existing: 9) else { Issue.record("accepted an eleventh document"); return }
        #expect(tooMany.errors.map(\.code) == ["tooMany"])
    }

    @Test func namesCannotHideTheirTypeOrLeaveTheirFolder() {
        #expect(AttachmentRules.safeName("C:\\Users\\ada\\Desktop\\birth certificate.PDF", kind: .pdf) == "birth certificate.PDF")
        #expect(AttachmentRules.safeName("../../etc/passwd", kind: .png) == "passwd.png")
        // U+202E RIGHT-TO-LEFT OVERRIDE would show "invoice\u{202E}fdp.exe" as "invoiceexe.pdf".
        #expect(AttachmentRules.safeName("invoice\u{202E}fdp.exe", kind: .pdf) == "invoicefdp.exe.pdf")
        #expect(AttachmentRules.safeName("line\nbreak\u{0}.jpg", kind: .jpeg) == "linebreak.jpg")
        #expect(AttachmentRules.safeName("...", kind: .pdf) == "document.pdf")
        #expect(AttachmentRules.safeName("", kind: nil) == "document")
        #expect(AttachmentRules.safeName("ਜਨਮ ਸਰਟੀਫਿਕੇਟ.jpeg", kind: .jpeg) == "ਜਨਮ ਸਰਟੀਫਿਕੇਟ.jpeg")
        let long = AttachmentRules.safeName(String(repeating: "a", count: 300) + ".pdf", kind: .pdf)
        #expect(long.count == AttachmentRules.maxNameLength)
        #expect(long.hasSuffix(".pdf"))
    }

    @Test func contentDispositionParametersFollowRFC6266() throws {
        let plain = try #require(ContentDisposition(#"form-data; name="attachments"; filename="scan 1.pdf""#))
        #expect(plain.type == "form-data")
        #expect(plain.name == "attachments")
        #expect(plain.filename == "scan 1.pdf")
        // Separators and escaped quotes inside a quoted string belong to the value.
        let tricky = try #require(ContentDisposition(#"form-data; name="f"; filename="a; b=\"c\".pdf""#))
        #expect(tricky.filename == #"a; b="c".pdf"#)
        // filename* (RFC 8187, UTF-8) wins over filename.
        let encoded = try #require(ContentDisposition("attachment; filename=\"fallback.pdf\"; filename*=UTF-8''%E0%A8%9C%E0%A8%A8%E0%A8%AE.pdf"))
        #expect(encoded.filename == "ਜਨਮ.pdf")
        #expect(ContentDisposition(#"form-data; name="unclosed"#) == nil)
        #expect(ContentDisposition("") == nil)
        let type = try #require(ContentDisposition("multipart/form-data; boundary=----WebKitFormBoundary7MA4YWxkTrZu0gW"))
        #expect(type.parameters["boundary"] == "----WebKitFormBoundary7MA4YWxkTrZu0gW")
    }
}
