import Foundation
import XCTest
@testable import AttrDB

final class ReadAheadTests: XCTestCase {
    private struct Stop: Error, Equatable { let at: Int }

    /// Bytes made in pieces of many sizes, some larger than a slot.
    private static func produce(total: Int, failAt: Int? = nil, _ sink: (UnsafeRawBufferPointer) throws -> Void) throws {
        var made = 0, size = 1
        while made < total {
            let count = min(size, total - made)
            let piece = (made..<made + count).map { UInt8(truncatingIfNeeded: $0 &* 31) }
            try piece.withUnsafeBytes { try sink($0) }
            made += count
            if let failAt, made >= failAt { throw Stop(at: made) }
            size = size * 3 % (ReadAhead.slotSize * 2 + 7) + 1
        }
    }

    func testTheBytesArriveWholeAndInOrder() throws {
        let total = 9 * ReadAhead.slotSize + 12345
        var received: [UInt8] = []
        try ReadAhead.run(produce: { try Self.produce(total: total, $0) }, consume: { received.append(contentsOf: $0) })
        XCTAssertEqual(received.count, total)
        XCTAssertTrue(received.enumerated().allSatisfy { $0.element == UInt8(truncatingIfNeeded: $0.offset &* 31) })
    }

    func testTheProducersErrorComesAfterEveryByteBeforeIt() {
        var received = 0
        XCTAssertThrowsError(try ReadAhead.run(produce: { try Self.produce(total: 1 << 30, failAt: 5 * ReadAhead.slotSize, $0) },
                                               consume: { received += $0.count })) { error in
            guard let stop = error as? Stop else { return XCTFail("\(error)") }
            XCTAssertEqual(received, stop.at)
        }
    }

    func testAConsumerThatStopsStopsTheProducer() {
        // The producer would run for a gigabyte; the consumer stops at the second buffer.
        var calls = 0
        let start = Date()
        XCTAssertThrowsError(try ReadAhead.run(produce: { try Self.produce(total: 1 << 30, $0) }, consume: { _ in
            calls += 1
            if calls == 2 { throw Stop(at: 0) }
        })) { error in XCTAssertEqual(error as? Stop, Stop(at: 0)) }
        XCTAssertEqual(calls, 2)
        XCTAssertLessThan(Date().timeIntervalSince(start), 30)
    }
}
