import Foundation
import XCTest
@testable import AttrDB

final class AtomicFileTests: XCTestCase {
    private func contents(_ path: String) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: path).sorted()
    }

    func testCommitReplacesTheTargetAndKeepsItsPermissions() throws {
        let folder = try TemporaryFolder()
        let target = folder.path("v.csv")
        try Data("old".utf8).write(to: URL(fileURLWithPath: target))
        chmod(target, 0o600)
        let file = try AtomicFile(target: target)
        XCTAssertEqual(file.previous, .file)
        try Array("new".utf8).withUnsafeBytes { try file.write($0) }
        XCTAssertEqual(try String(contentsOfFile: target, encoding: .utf8), "old", "the target is untouched until the commit")
        XCTAssertEqual(try contents(folder.path("")).count, 2)
        try file.commit()
        XCTAssertEqual(try String(contentsOfFile: target, encoding: .utf8), "new")
        XCTAssertEqual(try contents(folder.path("")), ["v.csv"])
        let mode = try FileManager.default.attributesOfItem(atPath: target)[.posixPermissions] as? Int
        XCTAssertEqual(mode, 0o600)
    }

    func testAFileNotCommittedIsRemovedAndTheTargetStands() throws {
        let folder = try TemporaryFolder()
        let target = folder.path("r.html")
        try Data("old".utf8).write(to: URL(fileURLWithPath: target))
        do {
            let file = try AtomicFile(target: target)
            try Array("half".utf8).withUnsafeBytes { try file.write($0) }
        }
        XCTAssertEqual(try contents(folder.path("")), ["r.html"])
        let discarded = try AtomicFile(target: folder.path("new.svg"))
        discarded.discard()
        XCTAssertEqual(try contents(folder.path("")), ["r.html"])
        XCTAssertEqual(try String(contentsOfFile: target, encoding: .utf8), "old")
    }

    func testAFolderOrAMissingFolderIsRefused() throws {
        let folder = try TemporaryFolder()
        XCTAssertThrowsError(try AtomicFile(target: folder.path(""))) {
            XCTAssertEqual($0 as? OutputFileError, .isFolder(path: folder.path("")))
        }
        XCTAssertThrowsError(try AtomicFile(target: folder.path("no/such.csv"))) {
            XCTAssertEqual($0 as? OutputFileError, .cannotCreate(path: folder.path("no/such.csv"), reason: "No such file or directory"))
        }
    }

    func testAFolderIsRenamedIntoPlaceOnlyWhenCommitted() throws {
        let folder = try TemporaryFolder()
        let target = folder.path("parts")
        try FileManager.default.createDirectory(atPath: target, withIntermediateDirectories: true)
        try Data("old".utf8).write(to: URL(fileURLWithPath: target + "/old.parquet"))
        XCTAssertThrowsError(try AtomicFolder(target: target, replace: false)) {
            XCTAssertEqual($0 as? OutputFileError, .exists(path: target, why: "has files in it; readers of the dataset would mix them in"))
        }
        do {
            let abandoned = try AtomicFolder(target: target, replace: true)
            try abandoned.makeFolder("a=1/b=2")
            try Data("x".utf8).write(to: URL(fileURLWithPath: abandoned.temporaryPath + "/a=1/b=2/part-0.parquet"))
        }
        XCTAssertEqual(try contents(folder.path("")), ["parts"])
        XCTAssertEqual(try contents(target), ["old.parquet"])

        let dataset = try AtomicFolder(target: target, replace: true)
        try dataset.makeFolder("a=1")
        try Data("x".utf8).write(to: URL(fileURLWithPath: dataset.temporaryPath + "/a=1/part-0.parquet"))
        try dataset.commit()
        XCTAssertEqual(try contents(folder.path("")), ["parts"])
        XCTAssertEqual(try contents(target), ["a=1"])
        XCTAssertEqual(try contents(target + "/a=1"), ["part-0.parquet"])

        // A new target, and an empty folder, need no --force.
        for name in ["fresh", "empty"] {
            if name == "empty" { try FileManager.default.createDirectory(atPath: folder.path(name), withIntermediateDirectories: true) }
            let made = try AtomicFolder(target: folder.path(name), replace: false)
            try made.commit()
            XCTAssertEqual(try contents(folder.path(name)), [])
        }
    }
}
