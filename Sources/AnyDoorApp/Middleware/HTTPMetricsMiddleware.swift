import HTTPTypes
import Foundation
import Hummingbird
import Prometheus

/// Counts requests and records their latency in Prometheus histograms, labelled by route template,
/// method and status. Uses the application's own registry (no global state), so each test app has its own.
struct HTTPMetricsMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext
    let registry: PrometheusCollectorRegistry

    static let buckets: [Double] = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10]

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let start = ContinuousClock.now
        let response = try await next(request, context)
        let labels = [
            ("route", context.endpointPath ?? "unmatched"),
            ("method", request.method.rawValue),
            ("status", String(response.status.code)),
        ]
        let elapsed = ContinuousClock.now - start
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        registry.makeCounter(name: "anydoor_http_requests_total", labels: labels).increment()
        registry.makeValueHistogram(name: "anydoor_http_request_duration_seconds", labels: labels, buckets: Self.buckets).record(seconds)
        return response
    }
}
