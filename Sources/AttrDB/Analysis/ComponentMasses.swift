/// How a value counts toward a component's mass.
public enum MassMode: String, Sendable, CaseIterable {
    /// Sum of |value| (the default: attribution of either sign is capacity used).
    case absolute
    /// Sum of signed values.
    case signed
    /// Sum of squared values.
    case squared
}

/// Each selected component's mass at each selected checkpoint: the reduction over the selected
/// coefficients that capacity, concentration, turnover and compare all start from.
public struct ComponentMasses: Sendable {
    public let steps: [Int]
    /// The kept components, in run order.
    public let components: [Component]
    /// `masses[checkpoint][component]`, accumulated in Double.
    public let masses: [[Double]]

    /// Reads each selected checkpoint's matrix once and reduces every kept component's slice of
    /// the coefficient grid.
    public init(_ selection: ResolvedSelection, mode: MassMode = .absolute) throws {
        let scan = selection.scan
        let n = scan.coefficients.count
        let range = selection.coefficients
        let kept = selection.components
        let reader = try scan.matrixReader()
        let buffer = UnsafeMutableBufferPointer<Float>.allocate(capacity: scan.valuesPerCheckpoint)
        defer { buffer.deallocate() }
        var masses: [[Double]] = []
        masses.reserveCapacity(selection.checkpoints.count)
        for checkpoint in selection.checkpoints {
            try reader.read(checkpoint: checkpoint, into: buffer)
            var row = [Double](repeating: 0, count: kept.count)
            for (k, p) in kept.enumerated() {
                let slice = UnsafeBufferPointer(rebasing: buffer[(p * n + range.lowerBound)..<(p * n + range.upperBound)])
                row[k] = ComponentMasses.reduce(slice, mode)
            }
            masses.append(row)
        }
        self.steps = selection.steps
        self.components = kept.map { scan.components[$0] }
        self.masses = masses
    }

    /// The reduction of one profile slice, in Double. Four partial sums let the loop vectorise.
    @inline(__always)
    static func reduce(_ values: UnsafeBufferPointer<Float>, _ mode: MassMode) -> Double {
        var s0 = 0.0, s1 = 0.0, s2 = 0.0, s3 = 0.0
        let count = values.count, whole = count & ~3
        var i = 0
        switch mode {
        case .absolute:
            while i < whole {
                s0 += Double(abs(values[i])); s1 += Double(abs(values[i + 1])); s2 += Double(abs(values[i + 2])); s3 += Double(abs(values[i + 3]))
                i += 4
            }
            while i < count { s0 += Double(abs(values[i])); i += 1 }
        case .signed:
            while i < whole {
                s0 += Double(values[i]); s1 += Double(values[i + 1]); s2 += Double(values[i + 2]); s3 += Double(values[i + 3])
                i += 4
            }
            while i < count { s0 += Double(values[i]); i += 1 }
        case .squared:
            while i < whole {
                let a = Double(values[i]), b = Double(values[i + 1]), c = Double(values[i + 2]), d = Double(values[i + 3])
                s0 += a * a; s1 += b * b; s2 += c * c; s3 += d * d
                i += 4
            }
            while i < count { let a = Double(values[i]); s0 += a * a; i += 1 }
        }
        return (s0 + s1) + (s2 + s3)
    }
}
