import Foundation

/// Which coefficients of a scan a query reads: all, the grid value nearest a number, or a range `A:B`.
public enum CoefficientSelection: Equatable, Sendable {
    case all
    case nearest(Double)
    case range(Double?, Double?)

    /// Parses the text of `--coef`.
    public init(parsing text: String) throws {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        if trimmed.lowercased() == "all" { self = .all; return }
        // A leading minus belongs to the number: split on the colon that is not at the start.
        if let colon = trimmed.dropFirst().firstIndex(of: ":") {
            let lower = trimmed[..<colon], upper = trimmed[trimmed.index(after: colon)...]
            guard lower.isEmpty || Double(lower) != nil, upper.isEmpty || Double(upper) != nil else {
                throw StoreError.invalidArgument("--coef '\(text)': expected a number, A:B, or all")
            }
            self = .range(Double(lower), Double(upper))
        } else if trimmed.hasPrefix(":"), let upper = Double(trimmed.dropFirst()) {
            self = .range(nil, upper)
        } else if let value = Double(trimmed), value.isFinite {
            self = .nearest(value)
        } else {
            throw StoreError.invalidArgument("--coef '\(text)': expected a number, A:B, or all")
        }
    }

    /// The contiguous range of grid positions taken (the grid is sorted ascending when ingested
    /// from long form, and in the experiment's own order from axes.json; a range keeps the
    /// positions whose value lies inside it, which must be contiguous).
    public func positions(in grid: [Double]) throws -> Range<Int> {
        guard !grid.isEmpty else { return 0..<0 }
        switch self {
        case .all: return 0..<grid.count
        case .nearest(let value):
            var best = 0
            for (i, c) in grid.enumerated() where abs(c - value) < abs(grid[best] - value) { best = i }
            return best..<(best + 1)
        case .range(let lower, let upper):
            let inside = grid.indices.filter { i in (lower.map { grid[i] >= $0 } ?? true) && (upper.map { grid[i] <= $0 } ?? true) }
            guard let first = inside.first, let last = inside.last else { return 0..<0 }
            guard last - first + 1 == inside.count else {
                throw StoreError.invalidArgument("--coef range \(lower.map { "\($0)" } ?? ""):\(upper.map { "\($0)" } ?? "") takes grid positions that are not contiguous; the grid is not sorted")
            }
            return first..<(last + 1)
        }
    }
}
