@testable import AnyDoorApp
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

@Suite struct OperationsTests {
    @Test func livenessAndReadinessAnswerOKWithTheDatabaseKind() async throws {
        try await TestApp.run { client in
            try await client.execute(uri: "/health/live", method: .get) { response in
                #expect(response.status == .ok)
                let body = try response.json()
                #expect(body["status"] as? String == "ok")
            }
            try await client.execute(uri: "/health/ready", method: .get) { response in
                #expect(response.status == .ok)
                let body = try response.json()
                #expect(body["database"] as? String == "sqlite")
            }
        }
    }

    @Test func metricsExposeRequestCountsLatencyHistogramsByRouteAndPoolState() async throws {
        try await TestApp.run { client in
            try await client.execute(uri: "/api/v1/ministries", method: .get) { _ in }
            try await client.execute(uri: "/api/v1/ministries/\(UUID())", method: .get) { _ in }
            try await client.execute(uri: "/metrics", method: .get) { response in
                #expect(response.status == .ok)
                #expect(response.headers[.contentType]?.hasPrefix("text/plain; version=0.0.4") == true)
                let text = response.text
                #expect(text.contains(#"anydoor_http_requests_total{route="/api/v1/ministries",method="GET",status="200"} 1"#))
                #expect(text.contains(#"anydoor_http_requests_total{route="/api/v1/ministries/{id}",method="GET",status="404"} 1"#))
                #expect(text.contains(#"anydoor_http_request_duration_seconds_bucket{route="/api/v1/ministries",method="GET",status="200",le="+Inf"} 1"#))
                #expect(text.contains(#"anydoor_db_pool_connections_max{database="sqlite"}"#))
                #expect(text.contains(#"anydoor_db_pool_connections_in_use{database="sqlite"}"#))
            }
        }
    }
}
