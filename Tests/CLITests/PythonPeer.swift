import Foundation

/// The Python the tests run: `$ATTRDB_PYTHON` (make test sets it to the python3 of the virtualenv
/// it makes, since Debian's own python3 refuses pip installs), else `python3` on PATH.
enum Python {
    static let command = ProcessInfo.processInfo.environment["ATTRDB_PYTHON"].flatMap { $0.isEmpty ? nil : $0 } ?? "python3"
}

/// A python3 process running `script` with the store path; its standard input and output are
/// pipes the test speaks through, a line at a time.
final class PythonPeer {
    let process = Process()
    private let input = Pipe(), output = Pipe(), errors = Pipe()
    private var buffer = Data()

    init(_ script: String, store: String) throws {
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [Python.command, "-c", script, store]
        process.standardInput = input
        process.standardOutput = output
        process.standardError = errors
        try process.run()
    }

    /// The next line the script prints (blocks until it does).
    func line() -> String {
        let handle = output.fileHandleForReading
        while !buffer.contains(UInt8(ascii: "\n")) {
            let chunk = handle.availableData
            if chunk.isEmpty { break }
            buffer.append(chunk)
        }
        guard let end = buffer.firstIndex(of: UInt8(ascii: "\n")) else {
            let rest = String(decoding: buffer, as: UTF8.self)
            buffer.removeAll()
            return rest + " [stderr: " + String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self) + "]"
        }
        let text = String(decoding: buffer[buffer.startIndex..<end], as: UTF8.self)
        buffer.removeSubrange(buffer.startIndex...end)
        return text
    }

    func send(_ text: String) {
        input.fileHandleForWriting.write(Data((text + "\n").utf8))
    }

    deinit {
        if process.isRunning { process.terminate() }
        process.waitUntilExit()
    }
}
