import AttrDB
import Foundation
import Hummingbird
import Logging
import ServiceLifecycle

/// `attrdb serve`: a local, read-only web application over one store — the JSON API
/// (``APIQuery``), the runs page and each run's dashboard (``Assets``).
///
/// Read-only by construction: every request opens the store with `.read` access (the library's
/// read-only connection, whose guard refuses any write) and reads inside one snapshot, so an
/// ingest committing meanwhile is seen whole or not at all.
public struct DashboardServer: Sendable {
    /// The store file.
    public var storePath: String
    /// Seconds to wait for a writer's lock, as `--busy-timeout`.
    public var busyTimeout: Double
    /// The address to bind: loopback unless the user names another.
    public var host: String
    /// The port; 0 picks a free one (the tests' way), told through `onRunning`.
    public var port: Int
    /// The command line's mapping from a library error to its exit status (`ExitStatus.of`), so
    /// the API's statuses follow the one mapping; nil for an error it does not know.
    public var exitStatus: @Sendable (Error) -> Int32?

    public init(storePath: String, busyTimeout: Double, host: String, port: Int, exitStatus: @escaping @Sendable (Error) -> Int32?) {
        self.storePath = storePath
        self.busyTimeout = busyTimeout
        self.host = host
        self.port = port
        self.exitStatus = exitStatus
    }

    /// Whether `host` is a loopback address, the only kind served without a warning.
    public static func isLoopback(_ host: String) -> Bool {
        host == "localhost" || host == "::1" || host.hasPrefix("127.")
    }

    /// Serves until stopped, then finishes the requests in flight and returns. `onRunning` is
    /// called with the bound port once the server accepts connections; `stopper` receives the
    /// function that stops it (the command line calls it on SIGINT or SIGTERM, which it owns).
    public func run(onRunning: @escaping @Sendable (Int) -> Void, stopper: (@escaping @Sendable () -> Void) -> Void) async throws {
        let router = Router()
        router.add(middleware: SecurityHeaders())
        let routes = APIRoutes(server: self)
        router.get("/api/runs") { request, _ in routes.runs(request) }
        router.get("/api/losses") { request, _ in routes.losses(request) }
        router.get("/api/:command") { request, context in
            routes.query(context.parameters.get("command") ?? "", request)
        }
        router.get("/") { _, _ in Assets.response(Assets.indexHTML, contentType: "text/html; charset=utf-8") }
        router.get("/run/:name") { _, _ in Assets.response(Assets.runHTML, contentType: "text/html; charset=utf-8") }
        router.get("/assets/:file") { _, context in
            // Only the named assets: any other path, `..` included, is not found.
            guard let (body, type) = Assets.files[context.parameters.get("file") ?? ""] else {
                return APIResponse.error("No such asset.", exitStatus: 3)
            }
            return Assets.response(body, contentType: type)
        }
        // Warnings and errors only: the command prints its own URL, and a request log would bury it.
        var logger = Logger(label: "attrdb-serve")
        logger.logLevel = .warning
        let app = Application(router: router,
                              configuration: .init(address: .hostname(host, port: port), serverName: nil),
                              onServerRunning: { channel in onRunning(channel.localAddress?.port ?? port) },
                              logger: logger)
        let group = ServiceGroup(configuration: .init(services: [app], logger: logger))
        stopper { Task { await group.triggerGracefulShutdown() } }
        try await group.run()
    }
}

/// Every response says: only this origin's own scripts, styles and images; not framed; no sniffing.
/// A path no route takes is answered as JSON 404, with the same headers.
struct SecurityHeaders<Context: RequestContext>: RouterMiddleware {
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var response: Response
        do {
            response = try await next(request, context)
        } catch let error as HTTPError where error.status == .notFound {
            response = APIResponse.error("Not found: \(request.uri.path)", exitStatus: 3)
        }
        response.headers[.contentSecurityPolicy] = "default-src 'self'; frame-ancestors 'none'"
        response.headers[.xContentTypeOptions] = "nosniff"
        return response
    }
}
