import AttrDB
import Hummingbird

/// The JSON API's handlers: each opens the store read-only, reads in one snapshot, and answers
/// the table as JSON or the error as JSON with its status.
struct APIRoutes: Sendable {
    let server: DashboardServer

    /// `GET /api/runs[?tag=key=value…]`: `attrdb runs --format json`.
    func runs(_ request: Request) -> Response {
        answer(request) { parameters, store in
            var wanted: [(key: Substring, value: Substring)] = []
            for tag in parameters.all("tag") {
                guard let equals = tag.firstIndex(of: "=") else { throw APIUsageError("tag takes key=value, found '\(tag)'.") }
                wanted.append((tag[..<equals], tag[tag.index(after: equals)...]))
            }
            try parameters.refuseUnread(command: "runs")
            let runs = try store.runs().filter { summary in
                wanted.allSatisfy { summary.run.tags[String($0.key)] == String($0.value) }
            }
            return ResultTable(RunTables.runs(runs))
        }
    }

    /// `GET /api/losses?run=NAME`: `attrdb export losses --run NAME --format json`.
    func losses(_ request: Request) -> Response {
        answer(request) { parameters, store in
            guard let run = try parameters.one("run") else { throw APIUsageError("Give a run with run=NAME.") }
            try parameters.refuseUnread(command: "losses")
            return ResultTable(try StoreTables.losses(store: store, run: run))
        }
    }

    /// `GET /api/COMMAND?…`: `attrdb COMMAND … --format json`.
    func query(_ name: String, _ request: Request) -> Response {
        guard let query = APIQuery(rawValue: name) else {
            return APIResponse.error("No API command '\(name)': one of runs, losses, \(APIQuery.allCases.map(\.rawValue).joined(separator: ", ")).", exitStatus: 3)
        }
        return answer(request) { parameters, store in try query.table(&parameters, store: store) }
    }

    /// Opens the store, runs `body` in one snapshot and answers its table; any error as JSON.
    private func answer(_ request: Request, _ body: (inout APIParameters, Store) throws -> ResultTable) -> Response {
        var parameters = APIParameters(request.uri.queryParameters.map { (String($0.key), String($0.value)) })
        do {
            let store = try Store(path: server.storePath, access: .read, busyTimeout: server.busyTimeout)
            let table = try store.snapshot { try body(&parameters, store) }
            return APIResponse.response(try APIResponse.json(table), contentType: "application/json; charset=utf-8")
        } catch let error as APIUsageError {
            return APIResponse.error(error.description, exitStatus: 64)
        } catch {
            let status = server.exitStatus(error) ?? 1
            return APIResponse.error(String(describing: error), exitStatus: status)
        }
    }
}
