/// When a frame stream's checkpoints commit together: a checkpoint frame whose commit point is
/// reached while the next checkpoint frame is already read and prepared, and can be refused for
/// nothing, leaves its transaction open for that one, up to ``maxFrames`` frames or ``maxBytes``.
///
/// Why: every commit rewrites, besides the matrix's own pages, one 64 KiB page of each table and
/// index a checkpoint adds a row to and the database header — nine pages, 590 kB beside a 400 kB
/// matrix (measured from the log of a 100-frame stream). Frames committed in pairs write those
/// pages once per pair. A frame joins only when its writer is ahead of the store (the next frame is
/// waiting), so a writer that waits for each `ok` (in flight 1) still gets one commit per frame.
///
/// What stays: each frame is acknowledged only after the commit that stores it; frames join only
/// when nothing about them can be refused at the commit (``Recorder/canJoin(checkpoint:nonFinite:)``),
/// so a refused frame is refused alone, after the frames before it are committed and acknowledged;
/// a reader sees whole checkpoints only. Only an I/O error (a full disk) inside a batch refuses the
/// frames of the batch not yet acknowledged together.
struct CommitBatch {
    /// The most frames one commit takes.
    static let maxFrames = 4
    /// The most payload bytes one commit takes: the transaction's pages stay in SQLite's page cache
    /// (JournalPolicy.writerCacheKiB sizes it).
    static let maxBytes = 8 << 20

    /// Frames and bytes in the open transaction that reached their commit point.
    private var frames = 0
    private var bytes = 0

    /// Whether the transaction stays open after `frame`, at its commit point, for `next`, the frame
    /// the reader has ready (nil: none yet). When not, the caller commits.
    mutating func keepsOpen(after frame: PreparedFrame, for next: PreparedFrame?, recorder: Recorder) throws -> Bool {
        guard case .checkpoint = frame.content, let next, case .checkpoint(let step, _, let digest) = next.content,
              frames + 2 <= CommitBatch.maxFrames, bytes + frame.payloadLength + next.payloadLength <= CommitBatch.maxBytes,
              try recorder.canJoin(checkpoint: step, nonFinite: digest?.nonFinite) else {
            frames = 0
            bytes = 0
            return false
        }
        frames += 1
        bytes += frame.payloadLength
        return true
    }
}
