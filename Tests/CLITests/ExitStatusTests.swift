@testable import AttrDB
@testable import attrdb
import XCTest

/// Every error the library throws gives the exit status README.md's table documents for it.
final class ExitStatusTests: XCTestCase {
    func testEachLibraryErrorMapsToItsDocumentedStatus() {
        let table: [(error: Error, status: Int32)] = [
            (StoreError.missing(path: "s"), 2),
            (StoreError.isDirectory(path: "s"), 2),
            (StoreError.missingFolder(path: "s", folder: "f"), 2),
            (StoreError.notADatabase(path: "s"), 2),
            (StoreError.notAnAttrDBStore(path: "s"), 2),
            (StoreError.readOnly(path: "s"), 2),
            (StoreError.newerSchema(path: "s", found: 9, supported: 8), 2),
            (StoreError.needsUpgrade(path: "s", found: 1, supported: 8), 2),
            (StoreError.diskFull(path: "s"), 2),
            (StoreError.cannotOpen(path: "s", reason: "r"), 2),
            (StoreError.locked(path: "s", holder: nil, waitedSeconds: 1), 2),
            (StoreError.corrupt(path: "s", detail: "d"), 2),
            (StoreError.truncatedMatrix(step: 1, found: 2, expected: 4), 2),
            (StoreError.corruptMatrix(path: "s", run: "r", scan: "c", metric: "m", step: 1, stored: 1, found: 2), 2),
            (StoreError.unknownRun(name: "r", suggestions: []), 3),
            (StoreError.unknown(what: "scan", name: "c", suggestions: []), 3),
            (StoreError.badInput("b"), 1),
            (IngestError(file: "f", message: "m"), 1),
            (IngestError(file: "f", message: "m", kind: .conflict), 4),
            (SelectionError("s"), 64),
            (SQLiteError(extendedCode: 1, message: "m"), 1),
            (QueryTimedOut(seconds: 1), 1),
            (NumericInputError(kernel: "k", message: "m"), 1),
            (OutputFileError.exists(path: "o", why: ""), 1),
            (ParquetError.invalidSchema("p"), 1),
            (CheckFailed(problems: 1), 1),
        ]
        for (error, status) in table {
            XCTAssertEqual(ExitStatus.of(error), status, "\(error)")
        }
    }

    func testTheArgumentParsersOwnErrorsAreLeftToIt() {
        struct Other: Error {}
        XCTAssertNil(ExitStatus.of(Other()))
    }
}
