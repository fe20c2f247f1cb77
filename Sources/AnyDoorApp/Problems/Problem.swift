import AnyDoorCore
import Foundation
import HTTPTypes

/// An RFC 9457 problem detail, AnyDoor's one shape for every API error.
struct Problem: Error, Encodable, Sendable {
    /// A URI naming the kind of problem; resolves to AnyDoor's documentation of it.
    var type: String
    var title: String
    var status: Int
    var detail: String
    /// The request id, so a client can quote it to support (extension member).
    var requestID: String?
    /// Field-level validation errors (extension member).
    var errors: [FieldError]?
    /// Seconds after which to try again, sent as `Retry-After` too.
    var retryAfter: Int?

    enum CodingKeys: String, CodingKey {
        case type, title, status, detail, errors
        case requestID = "request_id"
    }

    init(_ status: HTTPResponse.Status, slug: String, title: String, detail: String, errors: [FieldError]? = nil, retryAfter: Int? = nil) {
        self.type = "https://anydoor.gov.bc.ca/problems/\(slug)"
        self.title = title
        self.status = status.code
        self.detail = detail
        self.errors = errors
        self.retryAfter = retryAfter
    }

    var httpStatus: HTTPResponse.Status { HTTPResponse.Status(code: status) }

    static let mediaType = "application/problem+json"
}
