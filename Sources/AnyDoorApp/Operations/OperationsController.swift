import AnyDoorStore
import Foundation
import Hummingbird
import Prometheus

/// Health checks for load balancers and orchestrators, and metrics for Prometheus.
struct OperationsController: Sendable {
    let database: Database
    let registry: PrometheusCollectorRegistry

    struct Health: Codable, Sendable {
        let status: String
        let database: String?
    }

    func addRoutes(to router: Router<AppRequestContext>) {
        // Live: the process answers. Never touches the database, so an outage does not get us restarted.
        router.get("/health/live") { _, _ in
            try APIResponse.json(Health(status: "ok", database: nil))
        }
        // Ready: the database answers. 503 (problem+json) while it does not; recovers by itself.
        router.get("/health/ready") { _, _ in
            do {
                try await database.ping()
            } catch {
                throw DatabaseUnavailable(underlying: String(describing: type(of: error)))
            }
            return try APIResponse.json(Health(status: "ok", database: database.flavour.rawValue))
        }
        router.get("/metrics") { _, _ in
            registry.makeGauge(name: "anydoor_db_pool_connections_max", labels: [("database", database.flavour.rawValue)])
                .set(Double(database.maxConnections))
            registry.makeGauge(name: "anydoor_db_pool_connections_in_use", labels: [("database", database.flavour.rawValue)])
                .set(Double(database.connectionsInUse))
            var buffer: [UInt8] = []
            registry.emit(into: &buffer)
            return Response(
                status: .ok,
                headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                body: .init(byteBuffer: ByteBuffer(bytes: buffer))
            )
        }
    }
}
