import Foundation
import XCTest
@testable import AttrDB

/// Tries an operation with every fault the shim VFS can inject: for each N from 1 until the
/// operation finishes without reaching N, once with the N-th I/O operation failing (a dead disk
/// after it), once with the power cut after it and unsynced writes dropped, once with the last
/// write torn at a sector. After each, the files are read back with the default VFS and must be
/// exactly the state before or the state after the operation, and the state after whenever the
/// operation reported success.
struct FaultSweep {
    /// The scenario's name in messages and in the printed count.
    let name: String
    /// A folder holding the files the operation changes, as they are before it; copied afresh
    /// for every trial.
    let template: String
    /// The files whose state is compared, by name inside the folder.
    let observed: [String]
    /// The operation, given the trial's folder. It must open stores with `vfs: FaultVFS.name` and
    /// release every connection before it returns.
    let operation: (String) throws -> Void

    /// How the states ended.
    struct Tally: CustomStringConvertible {
        var states = 0
        var reportedFailureOld = 0
        /// Where the failures that left the new state were injected: "operation 57 (sync)".
        var reportedFailureNew: [String] = []
        var succeeded = 0

        var description: String {
            let late = reportedFailureNew.isEmpty ? "" : " (at \(reportedFailureNew.joined(separator: ", ")))"
            return "\(states) states: \(reportedFailureOld) failed and left the old state, \(reportedFailureNew.count) failed after the new state was durable\(late), \(succeeded) succeeded"
        }
    }

    /// Runs every trial; returns the tallies per kind of fault (I/O error, power loss, torn write).
    @discardableResult
    func run(file: StaticString = #filePath, line: UInt = #line) throws -> [String: Tally] {
        let vfs = FaultVFS.shared
        // Durability is the shim's model, not the disk's: on tmpfs a trial's fsyncs cost nothing.
        let memory = URL(fileURLWithPath: "/dev/shm")
        let work = try TemporaryFolder(base: FileManager.default.isWritableFile(atPath: memory.path) ? memory : nil)
        let trial = work.path("trial")

        try copyTemplate(to: trial)
        let before = try states(in: trial)
        try copyTemplate(to: trial)
        vfs.arm(.count)
        do { try operation(trial) } catch {
            vfs.disarm()
            XCTFail("\(name): the operation fails without faults: \(error)", file: file, line: line)
            return [:]
        }
        let total = vfs.disarm().operations
        let after = try states(in: trial)
        XCTAssertNotEqual(before, after, "\(name): the operation changes nothing", file: file, line: line)

        var tallies: [String: Tally] = [:]
        let kinds: [(String, (Int) -> FaultVFS.Plan)] = [
            ("I/O error", { .ioError(at: $0) }),
            ("power loss", { .powerLoss(after: $0, torn: false) }),
            ("torn write", { .powerLoss(after: $0, torn: true) }),
        ]
        for (kind, plan) in kinds {
            var tally = Tally()
            var n = 1
            while true {
                try copyTemplate(to: trial)
                vfs.arm(plan(n))
                var failure: Error?
                do { try operation(trial) } catch { failure = error }
                let (reached, _, hit) = vfs.disarm()
                let state: [StoreState]
                do { state = try states(in: trial) } catch {
                    XCTFail("\(name), \(kind) at operation \(n) of \(total): the store does not pass its checks: \(error)", file: file, line: line)
                    break
                }
                guard reached else {
                    // The operation finished before operation n: every state has been tried.
                    XCTAssertNil(failure, "\(name), \(kind): fails without a fault: \(failure.map { "\($0)" } ?? "")", file: file, line: line)
                    XCTAssertEqual(state, after, "\(name), \(kind): a run without a fault ends elsewhere", file: file, line: line)
                    break
                }
                tally.states += 1
                let context = "\(name), \(kind) at operation \(n) of \(total)"
                if let failure {
                    if state == before {
                        tally.reportedFailureOld += 1
                    } else if state == after {
                        tally.reportedFailureNew.append("operation \(n) (\(hit.map { "\($0)" } ?? "?"))")
                    } else {
                        XCTFail("\(context): neither the old nor the new state (\(state)) after: \(failure)", file: file, line: line)
                    }
                } else if state == after {
                    tally.succeeded += 1
                } else {
                    XCTFail("\(context): reported success, but the store is \(state == before ? "the old state: silent loss" : "neither old nor new")", file: file, line: line)
                }
                n += 1
                if n > total * 4 + 100 {
                    XCTFail("\(name), \(kind): still reaching operation \(n), the reference run took \(total)", file: file, line: line)
                    break
                }
            }
            tallies[kind] = tally
        }
        let states = tallies.values.map(\.states).reduce(0, +)
        print("fault sweep \(name): \(total) I/O operations; \(states) states tried — " + kinds.map { "\($0.0): \(tallies[$0.0] ?? Tally())" }.joined(separator: "; "))
        return tallies
    }

    private func copyTemplate(to trial: String) throws {
        try? FileManager.default.removeItem(atPath: trial)
        try FileManager.default.copyItem(atPath: template, toPath: trial)
    }

    private func states(in folder: String) throws -> [StoreState] {
        try observed.map { try StoreState.read(path: (folder as NSString).appendingPathComponent($0)) }
    }
}
