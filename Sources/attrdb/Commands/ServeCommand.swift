import ArgumentParser
import AttrDB
import AttrDBServer
import Foundation
import Synchronization

struct ServeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "A local, read-only web dashboard and JSON API over the store.",
        discussion: "GET /api/runs, /api/losses?run=NAME and /api/COMMAND?run=NAME&… for capacity, top, profile, clusters, turnover, concentration, norms and compare, with the command's option names as parameters, answer what `attrdb COMMAND --format json` prints. / lists the runs; /run/NAME is a run's dashboard, which follows an ingest live. Binds the loopback address unless --host names another. Stops on SIGINT or SIGTERM.")

    @OptionGroup var store: StoreOptions
    @Option(parsing: .unconditional, help: "The port (0: any free one).") var port = 8712
    @Option(help: "The address to bind. Anything but loopback makes the data readable by anyone who can reach it.") var host = "127.0.0.1"

    func validate() throws {
        if !(0...65_535).contains(port) { throw ValidationError("--port takes a number from 0 to 65535, found \(port).") }
    }

    func run() throws {
        // The store must be usable before the server says it is serving it.
        _ = try store.open(.read)
        if !DashboardServer.isLoopback(host) {
            Diagnostics.note("warning: serving on \(host): anyone who can reach this address can read the store.")
        }
        let server = DashboardServer(storePath: store.path, busyTimeout: store.busyTimeoutSeconds, host: host, port: port,
                                     exitStatus: { ExitStatus.of($0) })
        let host = self.host, port = self.port
        let finished = DispatchSemaphore(value: 0)
        let outcome = Mutex<Error?>(nil)
        Task {
            do {
                try await server.run { port in
                    let shown = host.contains(":") ? "[\(host)]" : host
                    // Unbuffered: whoever started the server reads the URL while it runs.
                    let out = OutputSink.standardOutput()
                    try? out.write("attrdb serve: http://\(shown):\(port)/  (Ctrl-C stops)\n")
                    try? out.flush()
                } stopper: { stop in
                    SignalCleanup.onSignal(stop)
                }
            } catch {
                // Binding fails here: an address that does not resolve, a port in use.
                outcome.withLock { $0 = ServeFailed(host: host, port: port, reason: String(describing: error)) }
            }
            finished.signal()
        }
        finished.wait()
        if let error = outcome.withLock({ $0 }) { throw error }
    }
}

/// The server could not start or stopped with an error: the address, and the system's reason.
struct ServeFailed: UserFacingError {
    let host: String
    let port: Int
    let reason: String
    var description: String { "cannot serve on \(host) port \(port): \(reason)" }
}
