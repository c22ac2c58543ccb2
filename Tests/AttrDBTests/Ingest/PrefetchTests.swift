import Dispatch
import Foundation
import XCTest
@testable import AttrDB

/// The prefetching reader released while it is still reading ahead (issue 9, defect 6).
final class PrefetchTests: XCTestCase {
    /// A source whose fill of checkpoint 1 waits until the test lets it go, and that says when it
    /// is freed (which happens once the reader and its fill are both done with it).
    final class GatedSource: AttributionSource, @unchecked Sendable {
        let axes: Axes
        var statistics: Statistics { Statistics() }
        let gate = DispatchSemaphore(value: 0)
        let filling = DispatchSemaphore(value: 0)
        let freed: DispatchSemaphore

        init(axes: Axes, freed: DispatchSemaphore) {
            self.axes = axes
            self.freed = freed
        }

        deinit { freed.signal() }

        func fill(checkpoint index: Int, into buffer: UnsafeMutableBufferPointer<Float>) throws {
            buffer.initialize(repeating: Float(index))
            if index == 1 {
                filling.signal()
                gate.wait()
            }
        }
    }

    /// Dropping the reader while checkpoint 1 is being read (as a refused ingest does) made the
    /// fill's block the last owner: the reader's deinit then ran on its own queue and called
    /// `queue.sync` there, which traps (SIGILL). It must finish quietly and free everything.
    func testReleasedWhileReadingAheadFinishesQuietly() throws {
        let axes = try Axes.parse(Data(#"{"checkpoint_steps": [1, 2, 3], "coefficients": [0.0], "components": ["L0H0"]}"#.utf8), file: "axes.json")
        let freed = DispatchSemaphore(value: 0)
        var source: GatedSource? = GatedSource(axes: axes, freed: freed)
        let gate = source!.gate, filling = source!.filling
        var prefetch: Prefetch? = Prefetch(source: source!, count: 3, valuesPerCheckpoint: 1, layout: SummaryLayout(layers: [0], kinds: [.attnHead], coefficients: 1, encoding: .float64))
        source = nil
        XCTAssertEqual(try prefetch!.take(0).values.first, 0)
        filling.wait()      // checkpoint 1 is being read on the prefetch queue
        prefetch = nil      // the ingest gives up, as on a conflict
        gate.signal()       // the fill finishes after its reader is gone
        XCTAssertEqual(freed.wait(timeout: .now() + 10), .success, "the source was never freed")
    }
}
