import Dispatch
import XCTest
@testable import AttrDB

/// The reader thread of an ingest: a prefetch dropped mid-way (an ingest that failed) must let go
/// of its buffers without waiting on itself.
final class PrefetchTests: XCTestCase {
    /// A source whose second checkpoint is read only when the test lets it.
    private final class GatedSource: AttributionSource, @unchecked Sendable {
        let axes = Axes(checkpointSteps: [1, 2], coefficients: [0], components: [Component(label: "embed", layer: -1, kind: .embed, index: nil)],
                        metric: nil, metadataJSON: "{}", model: nil, task: nil, hook: nil)
        let statistics = Statistics()
        let gate = DispatchSemaphore(value: 0)
        let started = DispatchSemaphore(value: 0)

        func fill(checkpoint index: Int, into buffer: UnsafeMutableBufferPointer<Float>) throws {
            if index == 1 {
                started.signal()
                gate.wait()
            }
            buffer[0] = Float(index)
        }
    }

    /// The ingest drops its prefetch (a write failed) while the next checkpoint is still being
    /// read; the reader thread then holds the last reference. Before the fix the prefetch's deinit
    /// ran on its own queue and waited on it: libdispatch stopped the process.
    func testDroppedWhileReadingAheadFreesOnTheReaderThread() throws {
        let source = GatedSource()
        var prefetch: Prefetch? = Prefetch(source: source, count: 2, valuesPerCheckpoint: 1)
        XCTAssertEqual(try prefetch?.take(0).values.first, 0)
        source.started.wait()
        prefetch = nil
        source.gate.signal()
        // The reader thread finishes checkpoint 1 and releases the prefetch; the test process must survive it.
        let done = DispatchSemaphore(value: 0)
        DispatchQueue.global().asyncAfter(deadline: .now() + 0.2) { done.signal() }
        done.wait()
    }
}
