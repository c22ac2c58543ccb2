import Foundation
import XCTest
@testable import AttrDB

/// A seeded mutation fuzzer over every reader: valid seed inputs from the bundled example's format,
/// mutated (bit flips, interesting bytes, truncation, insertion, duplication, splicing, numbers made
/// huge) and fed to the reader. Any thrown error is fine; a crash would end the test process, a
/// hang is caught by the per-input time limit. `ATTRDB_FUZZ_ITERATIONS` sets inputs per reader
/// (default 2 000; `make fuzz` runs 1 000 000).
final class FuzzTests: XCTestCase {
    private var iterations: Int { Int(ProcessInfo.processInfo.environment["ATTRDB_FUZZ_ITERATIONS"] ?? "") ?? 2_000 }

    /// Inputs go through files on a RAM-backed folder where there is one.
    private func scratch() throws -> URL {
        let base = FileManager.default.fileExists(atPath: "/dev/shm") ? URL(fileURLWithPath: "/dev/shm") : FileManager.default.temporaryDirectory
        let url = base.appendingPathComponent("attrdb-fuzz-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    struct Mutator {
        var generator: SeededGenerator
        let seeds: [[UInt8]]
        static let interesting: [UInt8] = [0, 0xFF, 0x7F, 0x80, 0x22, 0x2C, 0x0A, 0x0D, 0x7B, 0x7D, 0x5B, 0x5D, 0x3A, 0x2D, 0x30, 0x39, 0x09, 0x5C, 0x27]

        mutating func index(_ bound: Int) -> Int { bound <= 0 ? 0 : generator.nextIndex(below: bound) }

        mutating func next() -> [UInt8] {
            var bytes = seeds[index(seeds.count)]
            for _ in 0...index(4) {
                switch index(9) {
                case 0 where !bytes.isEmpty: let i = index(bytes.count); bytes[i] ^= 1 << UInt8(index(8))
                case 1 where !bytes.isEmpty: bytes[index(bytes.count)] = Mutator.interesting[index(Mutator.interesting.count)]
                case 2: bytes = Array(bytes.prefix(index(bytes.count + 1)))
                case 3: bytes.insert(contentsOf: (0..<(1 + index(16))).map { _ in UInt8(truncatingIfNeeded: generator.next()) }, at: index(bytes.count + 1))
                case 4 where bytes.count > 1:
                    let start = index(bytes.count), length = min(1 + index(64), bytes.count - start)
                    bytes.insert(contentsOf: bytes[start..<(start + length)], at: index(bytes.count + 1))
                case 5 where bytes.count > 1:
                    let start = index(bytes.count), length = min(1 + index(64), bytes.count - start)
                    bytes.removeSubrange(start..<(start + length))
                case 6:
                    let other = seeds[index(seeds.count)]
                    let cut = index(bytes.count + 1), from = index(other.count + 1)
                    bytes = Array(bytes.prefix(cut)) + Array(other.suffix(from: from))
                case 7 where !bytes.isEmpty:
                    // A digit run made huge or negative: shapes, lengths, steps.
                    let big = Array(["99999999999999999999", "-1", "4294967296", "1e308", "nan", "0"][index(6)].utf8)
                    bytes.insert(contentsOf: big, at: index(bytes.count + 1))
                default: if bytes.count > 2 { bytes.swapAt(index(bytes.count), index(bytes.count)) }
                }
            }
            return bytes
        }
    }

    /// Feeds `iterations` mutations of `seeds` to `read`, asserting each returns or throws in time.
    private func fuzz(_ name: String, seeds: [[UInt8]], seed: UInt64, _ read: (URL, [UInt8]) throws -> Void) throws {
        let folder = try scratch()
        defer { try? FileManager.default.removeItem(at: folder) }
        for input in seeds {
            XCTAssertNoThrow(try read(folder, input), "\(name): a seed must be valid, or mutants test nothing")
        }
        var mutator = Mutator(generator: SeededGenerator(seed: seed), seeds: seeds)
        var accepted = 0, refused = 0, slowest = 0.0
        let started = Date()
        for _ in 0..<iterations {
            let input = mutator.next()
            let begin = Date()
            do { try read(folder, input); accepted += 1 } catch { refused += 1 }
            let seconds = Date().timeIntervalSince(begin)
            slowest = max(slowest, seconds)
            XCTAssertLessThan(seconds, 5, "\(name): one input took \(seconds) s")
        }
        let summary = "fuzz \(name): \(iterations) inputs (\(accepted) read, \(refused) refused with an error), slowest \(String(format: "%.3f", slowest)) s, \(String(format: "%.1f", Date().timeIntervalSince(started))) s in all"
        print(summary)
    }

    private func file(_ name: String) throws -> [UInt8] {
        [UInt8](try Data(contentsOf: Repository.example.appendingPathComponent(name)))
    }

    /// A small valid .npy (the example's first two checkpoints) in several layouts.
    private func npySeeds() throws -> [[UInt8]] {
        let whole = try file("attributions.npy")
        let header = try whole.withUnsafeBytes { try NPYHeader(parsing: $0, file: "seed") }
        let small = 2 * 128 * 13 * 4
        let text = String(decoding: whole[10..<header.dataOffset], as: UTF8.self).replacingOccurrences(of: "(33, 128, 13)", with: "(2, 128, 13) ")  // same length: the header's length field stays right
        let seed = Array(whole[0..<10]) + Array(text.utf8) + Array(whole[header.dataOffset..<(header.dataOffset + small)])
        let fortran = Array(whole[0..<10]) + Array(text.replacingOccurrences(of: "False", with: "True ").utf8) + Array(whole[header.dataOffset..<(header.dataOffset + small)])
        return [seed, fortran]
    }

    func testNPYReader() throws {
        try fuzz("npy", seeds: try npySeeds(), seed: 1) { folder, bytes in
            let path = folder.appendingPathComponent("a.npy").path
            try Data(bytes).write(to: URL(fileURLWithPath: path))
            let array = try NPYArray(path: path)
            let buffer = UnsafeMutableBufferPointer<Float>.allocate(capacity: array.coefficientCount * array.componentCount)
            defer { buffer.deallocate() }
            for c in 0..<array.checkpointCount { array.componentMajorSlice(checkpoint: c, into: buffer) }
        }
    }

    func testNPZReader() throws {
        let npy = try npySeeds()[0]
        let axes = try file("axes.json")
        let folder = try scratch()
        defer { try? FileManager.default.removeItem(at: folder) }
        try Data(npy).write(to: folder.appendingPathComponent("attributions.npy"))
        _ = try python("import zipfile, sys; z = zipfile.ZipFile(sys.argv[1] + '/seed.npz', 'w'); z.write(sys.argv[1] + '/attributions.npy', 'attributions.npy'); z.close()", arguments: [folder.path])
        let seed = [UInt8](try Data(contentsOf: folder.appendingPathComponent("seed.npz")))
        try Data(axes).write(to: folder.appendingPathComponent("axes.json"))
        try fuzz("npz", seeds: [seed], seed: 2) { _, bytes in
            let path = folder.appendingPathComponent("a.npz").path
            try Data(bytes).write(to: URL(fileURLWithPath: path))
            let archive = try NPZArchive(path: path)
            _ = archive.memberNames
            let array = try archive.array(named: "attributions")
            let buffer = UnsafeMutableBufferPointer<Float>.allocate(capacity: array.coefficientCount * array.componentCount)
            defer { buffer.deallocate() }
            for c in 0..<array.checkpointCount { array.componentMajorSlice(checkpoint: c, into: buffer) }
        }
    }

    func testCSVReader() throws {
        // A small complete grid in the example's format: small seeds make a million inputs affordable.
        let csv = try file("attributions.csv")
        let lines = csv.split(separator: 0x0A, omittingEmptySubsequences: false).map { String(decoding: $0, as: UTF8.self) }
        let kept = lines.dropFirst().filter { $0.hasPrefix("0,-10.0,") || $0.hasPrefix("1,-10.0,") }
        let seed = Array(([lines[0]] + kept).joined(separator: "\n").utf8) + [0x0A]
        let quoted = Array("checkpoint_step,coefficient,component,value\r\n1,\"0.5\",\"L0H0\",\"1e-3\"\r\n1,0.5,\"embed\",2\r\n".utf8)
        try fuzz("csv", seeds: [seed, quoted], seed: 3) { folder, bytes in
            let path = folder.appendingPathComponent("a.csv").path
            try Data(bytes).write(to: URL(fileURLWithPath: path))
            _ = try LongFormReader.readCSV(path: path)
        }
    }

    func testJSONLinesReader() throws {
        var lines: [String] = []
        for step in [1, 2] { for label in ["L0H0", "0_mlp_out", "embed"] {
            lines.append(#"{"checkpoint_step": \#(step), "coefficient": -0.5, "component": "\#(label)", "value": 0.125, "kind": null}"#)
        } }
        let seed = Array((lines.joined(separator: "\n") + "\n").utf8)
        try fuzz("jsonl", seeds: [seed, Array(#"{"checkpoint_step": 3, "component": "L1N\u0032", "value": 1e5, "coefficient": null, "x": [1, {"b": "\u00e9\ud83d\ude00"}]}"#.utf8)], seed: 4) { folder, bytes in
            let path = folder.appendingPathComponent("a.jsonl").path
            try Data(bytes).write(to: URL(fileURLWithPath: path))
            _ = try LongFormReader.readJSONLines(path: path)
        }
    }

    func testAxesParser() throws {
        let axes = try file("axes.json")
        let bare = Array(#"{"checkpoint_steps": [0, 5], "coefficients": [0.0], "components": ["L0H0", "1_mlp_out", "bias"], "metric": "m"}"#.utf8)
        try fuzz("axes.json", seeds: [axes, bare], seed: 5) { _, bytes in
            _ = try Axes.parse(Data(bytes), file: "axes.json")
        }
    }
}
