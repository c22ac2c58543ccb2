import Foundation
import XCTest
@testable import AttrDB

/// A fresh temporary folder per test, removed afterwards.
final class TemporaryFolder {
    let url: URL

    /// A folder under `base` (the system's temporary folder when nil).
    init(base: URL? = nil) throws {
        url = (base ?? FileManager.default.temporaryDirectory).appendingPathComponent("attrdb-test-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(at: url) }

    func path(_ name: String) -> String { url.appendingPathComponent(name).path }
}

enum Repository {
    /// The repository's root, found from this file's path.
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    /// The bundled example dataset.
    static let example = root.appendingPathComponent("examples/tl-modadd")
}

/// The Python the tests run as an oracle: `$ATTRDB_PYTHON` (make test sets it to the python3 of the
/// virtualenv it makes, since Debian's own python3 refuses pip installs), else `python3` on PATH.
enum Python {
    static let command = ProcessInfo.processInfo.environment["ATTRDB_PYTHON"].flatMap { $0.isEmpty ? nil : $0 } ?? "python3"
}

/// Runs python3 with `script`; skips the test when python3 or numpy is missing.
func python(_ script: String, arguments: [String] = []) throws -> String {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = [Python.command, "-c", script] + arguments
    let output = Pipe(), errors = Pipe()
    process.standardOutput = output
    process.standardError = errors
    try process.run()
    let data = output.fileHandleForReading.readDataToEndOfFile()
    let errorData = errors.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    let errorText = String(decoding: errorData, as: UTF8.self)
    if process.terminationStatus != 0 {
        if errorText.contains("No module named") { throw XCTSkip("python module missing: \(errorText)") }
        XCTFail("python failed: \(errorText)")
    }
    return String(decoding: data, as: UTF8.self)
}

/// Hands a value to another thread where the test itself orders the accesses.
final class UncheckedBox<T>: @unchecked Sendable {
    var value: T
    init(_ value: T) { self.value = value }
}
