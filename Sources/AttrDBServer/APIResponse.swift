import AttrDB
import Hummingbird

/// How the API answers: a table as the command line's `--format json` writes it (the same
/// ``TableWriter``, into memory), an error as `{"error": message, "status": exit status}`.
enum APIResponse {
    /// The JSON array `attrdb … --format json` prints for `table`, byte for byte.
    static func json(_ table: ResultTable) throws -> [UInt8] {
        let sink = OutputSink.memory()
        try TableWriter.write(table, format: .json, sink: sink, digits: OutputFormat.json.defaultDigits)
        return sink.collected ?? []
    }

    /// An error's answer: the HTTP status that matches the command line's exit status, and the
    /// command line's message.
    static func error(_ message: String, exitStatus: Int32) -> Response {
        let body = "{\"error\":" + Escape.json(message) + ",\"status\":\(exitStatus)}\n"
        return response(Array(body.utf8), status: httpStatus(exitStatus), contentType: "application/json; charset=utf-8")
    }

    /// 404 for not found (3), 500 for a store that cannot be used (2), 409 for a conflict (4),
    /// 400 for bad input (1) and usage errors (64).
    static func httpStatus(_ exitStatus: Int32) -> HTTPResponse.Status {
        switch exitStatus {
        case 2: return .internalServerError
        case 3: return .notFound
        case 4: return .conflict
        default: return .badRequest
        }
    }

    static func response(_ bytes: [UInt8], status: HTTPResponse.Status = .ok, contentType: String) -> Response {
        var headers = HTTPFields()
        headers[.contentType] = contentType
        headers[.cacheControl] = "no-store"
        return Response(status: status, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(bytes: bytes)))
    }
}
