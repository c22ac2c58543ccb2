import Foundation
import XCTest

/// Runs the built `attrdb` binary and captures what it prints.
struct CLI {
    struct Result {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    static var binary: URL {
        // On Linux the test bundle runs from the products folder, where `attrdb` was built too.
        Bundle.main.bundleURL.appendingPathComponent("attrdb")
    }

    static let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let example = repositoryRoot.appendingPathComponent("examples/tl-modadd")

    /// The newest schema version: the number of the last `schema/NNNN_name.sql` (what `init` reports).
    static func latestSchemaVersion() throws -> Int {
        let names = try FileManager.default.contentsOfDirectory(atPath: repositoryRoot.appendingPathComponent("schema").path)
        return names.filter { $0.hasSuffix(".sql") }.compactMap { Int($0.prefix(4)) }.max() ?? 0
    }

    /// A store in `folder` holding the bundled example as run `run`.
    static func exampleStore(in folder: TemporaryFolder, run: String = "modadd") throws -> String {
        try exampleStore(in: folder, runs: [run])
    }

    /// A store in `folder` with the bundled example ingested once per name in `runs`.
    static func exampleStore(in folder: TemporaryFolder, runs: [String]) throws -> String {
        let db = folder.path("s.sqlite")
        for run in runs {
            let result = try CLI.run(["ingest", example.path, "--run", run, "--db", db])
            XCTAssertEqual(result.status, 0, result.stderr)
        }
        return db
    }

    /// Runs `attrdb COMMAND` (a shell command line after the binary) on a pseudo-terminal through
    /// script(1), as a person at a terminal would; what the terminal shows comes back as one text.
    static func onTerminal(_ command: String) throws -> (status: Int32, text: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/script")
        process.arguments = ["-qec", "\(binary.path) \(command)", "/dev/null"]
        let out = Pipe()
        process.standardOutput = out
        try process.run()
        let text = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        return (process.terminationStatus, text)
    }

    /// Runs python3 with `script`; skips the test when a module it imports is missing.
    static func python(_ script: String, _ arguments: [String]) throws -> String {
        let result = try run(["-c", script] + arguments, executable: URL(fileURLWithPath: "/usr/bin/env"), prefix: [Python.command])
        if result.stderr.contains("No module named") { throw XCTSkip(result.stderr) }
        XCTAssertEqual(result.status, 0, result.stderr)
        return result.stdout
    }

    @discardableResult
    static func run(_ arguments: [String], stdin: String? = nil, environment: [String: String] = [:],
                    in folder: URL? = nil, executable: URL? = nil, prefix: [String] = []) throws -> Result {
        let process = Process()
        process.executableURL = executable ?? binary
        process.arguments = prefix + arguments
        var env = ProcessInfo.processInfo.environment
        env.removeValue(forKey: "ATTRDB_DB")
        for (key, value) in environment { env[key] = value }
        process.environment = env
        if let folder { process.currentDirectoryURL = folder }
        let out = Pipe(), err = Pipe(), input = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = input
        try process.run()
        if let stdin { input.fileHandleForWriting.write(Data(stdin.utf8)) }
        try input.fileHandleForWriting.close()
        // Read both pipes concurrently so a large output cannot block the child.
        let errData = UncheckedBox(Data())
        let done = DispatchSemaphore(value: 0)
        let errHandle = err.fileHandleForReading
        Thread {
            errData.value = errHandle.readDataToEndOfFile()
            done.signal()
        }.start()
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        done.wait()
        return Result(status: process.terminationStatus, stdout: String(decoding: outData, as: UTF8.self),
                      stderr: String(decoding: errData.value, as: UTF8.self))
    }
}

final class TemporaryFolder {
    let url: URL

    init() throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("attrdb-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(at: url) }

    func path(_ name: String) -> String { url.appendingPathComponent(name).path }
}

/// Hands a value to another thread where the test itself orders the accesses.
final class UncheckedBox<T>: @unchecked Sendable {
    var value: T
    init(_ value: T) { self.value = value }
}
