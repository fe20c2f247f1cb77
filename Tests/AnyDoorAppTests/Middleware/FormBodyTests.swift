@testable import AnyDoorApp
import AnyDoorCore
import Foundation
import Hummingbird
import Testing

@Suite struct FormBodyTests {
    @Test func urlEncodedFormsDecodeAsBrowsersEncodeThem() {
        let form = FormBody(parsing: "a=1&name=%E0%A8%9C%E0%A8%A8%E0%A8%AE+ਸਿੰਘ&empty=&=skipped&bad=%zz&short=%E&cafe=caf%C3%A9&a=2&plus=1%2B1&lone")
        #expect(form.values["a"] == ["1", "2"])
        #expect(form["name"] == "ਜਨਮ ਸਿੰਘ")
        #expect(form["empty"] == "")
        #expect(form.values[""] == nil)
        #expect(form["bad"] == "", "a malformed escape gives nothing, as before")
        #expect(form["short"] == "")
        #expect(form["cafe"] == "café")
        #expect(form["plus"] == "1+1")
        #expect(form.values["lone"] == [""])
        #expect(FormBody(parsing: "x=%FF%FE")["x"] == "", "bytes that are not UTF-8 give nothing")
    }

    @Test func multipartFormsGiveTextFieldsAndFilesAndRefuseWhatCannotBeRead() throws {
        let boundary = "----WebKitFormBoundaryAnyDoor1234"
        var body = Data()
        body += Data("--\(boundary)\r\nContent-Disposition: form-data; name=\"csrf_token\"\r\n\r\ntoken-123\r\n".utf8)
        body += Data("--\(boundary)\r\nContent-Disposition: form-data; name=\"answers.city\"\r\n\r\nPrince George\r\n".utf8)
        body += Data("--\(boundary)\r\nContent-Disposition: form-data; name=\"attachments\"; filename=\"a; b=\\\"c\\\".pdf\"\r\nContent-Type: application/pdf\r\n\r\n".utf8)
        body += Data("%PDF-1.7\r\n--not-the-boundary\r\n".utf8) + Data("\r\n".utf8)
        body += Data("--\(boundary)\r\nContent-Disposition: form-data; name=\"attachments\"; filename=\"\"\r\nContent-Type: application/octet-stream\r\n\r\n\r\n".utf8)
        body += Data("--\(boundary)--\r\n".utf8)
        let form = try FormBody(body: ByteBuffer(bytes: body), contentType: "multipart/form-data; boundary=\(boundary)")
        #expect(form["csrf_token"] == "token-123")
        #expect(form["answers.city"] == "Prince George")
        #expect(form.files["attachments"]?.count == 1, "the empty file input sends no file")
        #expect(form.files["attachments"]?.first?.name == #"a; b="c".pdf"#)
        #expect(form.files["attachments"]?.first?.data == Data("%PDF-1.7\r\n--not-the-boundary\r\n".utf8))
        #expect(FormBody.multipartBoundary("multipart/form-data; boundary=\(boundary)") == boundary)
        #expect(FormBody.multipartBoundary("application/x-www-form-urlencoded") == nil)
        #expect(FormBody.multipartBoundary("multipart/form-data") == nil)
        #expect(throws: Problem.self) {
            try FormBody(body: ByteBuffer(string: "--\(boundary)\r\nContent-Disposition: form-data; name=\"x\"\r\n\r\nvalue\r\n--\(boundary)\r\ngarbage"),
                         contentType: "multipart/form-data; boundary=\(boundary)")
        }
    }
}
