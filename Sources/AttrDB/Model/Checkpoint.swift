/// A saved training step of a run, with what was measured there besides attributions.
public struct Checkpoint: Equatable, Sendable {
    public var step: Int
    public var tokensSeen: Int?

    public init(step: Int, tokensSeen: Int? = nil) {
        self.step = step
        self.tokensSeen = tokensSeen
    }
}

/// A per-checkpoint scalar such as `train_loss` or `test_acc`.
public struct CheckpointStat: Equatable, Sendable {
    public var step: Int
    public var name: String
    public var value: Double?
}

/// Mean L2 norm of the residual stream at one hook of one layer.
public struct ResidNorm: Equatable, Sendable {
    public var step: Int
    public var layer: Int
    public var hook: String
    public var norm: Double
}

/// Frobenius norm of W_V·W_O of one attention head.
public struct WOVNorm: Equatable, Sendable {
    public var step: Int
    public var layer: Int
    public var head: Int
    public var frobeniusNorm: Double
}
