/// The commit policy of a frame stream (docs/stream-format.md): each frame is committed on its own,
/// except the frames a `G` frame groups, which are committed together after the last of them.
///
/// A writer groups what belongs together — a checkpoint's matrix, statistics, norms and weights hash
/// — so that it is stored whole or not at all, in one commit instead of one per frame. Every frame
/// is still acknowledged, in order, once it is committed: a group's frames (its `G` frame first)
/// all after the group's commit.
struct FrameGroup {
    /// The most frames one `G` frame may group.
    static let maxFrames = 1 << 16

    /// Frames of the open group still to come; 0 when no group is open.
    private(set) var remaining = 0
    /// Frames read since the last commit: each is owed an `ok` once it is committed.
    private var uncommitted = 0
    /// The `G` frame that opened the group, for errors.
    private var opener: IngestError.Location?
    /// Frames the open group holds.
    private var size = 0

    /// Takes the next frame: checks that it may stand where it is and says whether the transaction
    /// is to be committed after it (false inside a group, before its last frame).
    mutating func admit(_ frame: PreparedFrame, file: String) throws -> Bool {
        if remaining > 0 {
            guard frame.kind != .group && frame.kind != .end else {
                throw IngestError(file: file, location: frame.location,
                                  expected: "frame \(size - remaining + 1) of the \(size) grouped by the G frame at \(opener.map { "\($0)" } ?? "?") (C, S, R, W or K)",
                                  found: "a \(frame.kind.letter) frame")
            }
            remaining -= 1
            uncommitted += 1
            return remaining == 0
        }
        uncommitted += 1
        guard case .group(let frames) = frame.content else { return true }
        size = frames
        remaining = size
        opener = frame.location
        return false
    }

    /// The frames that the commit just made stored, to acknowledge; none are owed after it.
    mutating func committed() -> Int {
        defer { uncommitted = 0 }
        return uncommitted
    }

    /// An error when input ended inside a group: its frames are not stored.
    func truncation(file: String, at offset: Int) -> IngestError? {
        guard remaining > 0, let opener else { return nil }
        return IngestError(file: file, location: opener,
                           expected: "\(size) grouped frames", found: "end of input at byte \(offset) after \(size - remaining) (the stream is truncated; nothing of the group is stored)")
    }
}
