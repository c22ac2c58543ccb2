/// A deterministic random number generator: the same seed gives the same numbers on every machine
/// and every Swift version, so `--seed 7` gives the same clusters everywhere.
///
/// The generator is xoshiro256** (Blackman and Vigna, 2018) with its 256-bit state filled from the
/// seed by SplitMix64, the seeding its authors recommend. Both are a few lines of integer
/// arithmetic, fully specified here, with published reference outputs.
///
/// Swift's `Int.random(in:using:)` and `Double.random(in:using:)` are not promised to turn the
/// same 64-bit words into the same numbers in every standard library release, so code that needs
/// reproducible draws uses ``nextUnitInterval()`` and ``nextIndex(below:)`` instead.
///
/// ```swift
/// var generator = SeededGenerator(seed: 42)
/// let first = generator.nextIndex(below: 10)   // the same on every machine
/// ```
public struct SeededGenerator: RandomNumberGenerator, Sendable, Equatable {
    private var state: (UInt64, UInt64, UInt64, UInt64)

    /// A generator whose whole sequence is determined by `seed`.
    public init(seed: UInt64) {
        var splitMix = seed
        state = (
            SeededGenerator.splitMix64(&splitMix), SeededGenerator.splitMix64(&splitMix),
            SeededGenerator.splitMix64(&splitMix), SeededGenerator.splitMix64(&splitMix)
        )
    }

    /// The next 64 random bits (xoshiro256**).
    public mutating func next() -> UInt64 {
        let result = rotateLeft(state.1 &* 5, by: 7) &* 9
        let shifted = state.1 << 17
        state.2 ^= state.0
        state.3 ^= state.1
        state.1 ^= state.2
        state.0 ^= state.3
        state.2 ^= shifted
        state.3 = rotateLeft(state.3, by: 45)
        return result
    }

    /// A uniform double in [0, 1): the top 53 bits of ``next()`` times 2⁻⁵³.
    public mutating func nextUnitInterval() -> Double {
        Double(next() >> 11) * 0x1.0p-53
    }

    /// A uniform integer in `0..<bound`, without modulo bias (Lemire's multiply-and-reject method).
    ///
    /// `bound` must be positive.
    public mutating func nextIndex(below bound: Int) -> Int {
        precondition(bound > 0, "nextIndex(below:) needs a positive bound")
        let range = UInt64(bound)
        // Products whose low word falls below 2⁶⁴ mod range would over-represent some results.
        let threshold = (0 &- range) % range
        while true {
            let product = next().multipliedFullWidth(by: range)
            if product.low >= threshold { return Int(product.high) }
        }
    }

    /// One SplitMix64 step (Steele, Lea and Flood, 2014): advances `state` and returns its output.
    public static func splitMix64(_ state: inout UInt64) -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    public static func == (lhs: SeededGenerator, rhs: SeededGenerator) -> Bool {
        lhs.state == rhs.state
    }
}

private func rotateLeft(_ x: UInt64, by k: UInt64) -> UInt64 {
    (x << k) | (x >> (64 - k))
}
