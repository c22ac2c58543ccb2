import Foundation
import XCTest

/// `attrdb serve` running on a free port for a test, fetched with curl; stopped with SIGTERM.
final class ServeProcess {
    let process = Process()
    let base: String
    let firstLine: String
    private let errors = Pipe()

    init(db: String, arguments: [String] = []) throws {
        process.executableURL = CLI.binary
        process.arguments = ["serve", "--db", db, "--port", "0"] + arguments
        let out = Pipe()
        process.standardOutput = out
        process.standardError = errors
        try process.run()
        // The first line is the URL, printed once the server accepts connections.
        var line = Data()
        let handle = out.fileHandleForReading
        while true {
            let byte = handle.readData(ofLength: 1)
            if byte.isEmpty || byte == Data("\n".utf8) { break }
            line.append(byte)
        }
        firstLine = String(decoding: line, as: UTF8.self)
        guard let start = firstLine.range(of: "http://"), let end = firstLine[start.upperBound...].firstIndex(of: "/") else {
            process.terminate()
            throw XCTSkip("attrdb serve printed no URL: '\(firstLine)' \(String(decoding: errors.fileHandleForReading.availableData, as: UTF8.self))")
        }
        base = String(firstLine[start.lowerBound..<end])
    }

    deinit { if process.isRunning { process.terminate(); process.waitUntilExit() } }

    /// The port the server bound.
    var port: Int { Int(base.split(separator: ":").last ?? "") ?? 0 }

    /// Sends `signal` and returns the exit status and what the server wrote on standard error.
    func stop(_ signal: Int32 = SIGTERM) -> (status: Int32, stderr: String) {
        kill(process.processIdentifier, signal)
        let text = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        return (process.terminationStatus, text)
    }

    struct Answer {
        var status: Int
        var body: String
        var headers: String
    }

    /// GETs `path` (sent as is: no `..` folding by curl).
    func get(_ path: String) throws -> Answer {
        let folder = try TemporaryFolder()
        let body = folder.path("body"), headers = folder.path("headers")
        let result = try CLI.run(["-s", "-g", "--path-as-is", "-o", body, "-D", headers, "-w", "%{http_code}", base + path],
                                 executable: URL(fileURLWithPath: "/usr/bin/curl"))
        XCTAssertEqual(result.status, 0, result.stderr)
        return Answer(status: Int(result.stdout) ?? 0,
                      body: (try? String(contentsOfFile: body, encoding: .utf8)) ?? "",
                      headers: (try? String(contentsOfFile: headers, encoding: .utf8)) ?? "")
    }

    /// GETs every path at once (curl --parallel, up to 50 connections); the bodies in order.
    func getConcurrently(_ paths: [String]) throws -> [String] {
        let folder = try TemporaryFolder()
        var arguments = ["-s", "-g", "--parallel", "--parallel-immediate", "--parallel-max", "50"]
        for (index, path) in paths.enumerated() { arguments += ["-o", folder.path("\(index)"), base + path] }
        let result = try CLI.run(arguments, executable: URL(fileURLWithPath: "/usr/bin/curl"))
        XCTAssertEqual(result.status, 0, result.stderr)
        return paths.indices.map { (try? String(contentsOfFile: folder.path("\($0)"), encoding: .utf8)) ?? "" }
    }
}
