import Foundation

/// Which coefficients of a scan a query reads: all, the grid value nearest a number, or a range `A:B`.
public enum CoefficientSelection: Equatable, Sendable {
    case all
    case nearest(Double)
    case range(Double?, Double?)

    /// Parses the text of `--coef`. NaN, ±inf and numbers past Double's range are refused (nothing is
    /// nearest to NaN, and an infinite bound is what an empty side already says); so is a reversed range.
    public init(parsing text: String) throws {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        if trimmed.lowercased() == "all" { self = .all; return }
        // A leading minus belongs to the number: split on the colon that is not at the start.
        if let colon = trimmed.dropFirst().firstIndex(of: ":") ?? (trimmed.hasPrefix(":") ? trimmed.startIndex : nil) {
            let lower = trimmed[..<colon], upper = trimmed[trimmed.index(after: colon)...]
            let a = try CoefficientSelection.bound(lower, in: text, openRange: ":\(upper)")
            let b = try CoefficientSelection.bound(upper, in: text, openRange: "\(lower):")
            if let a, let b, a > b {
                throw SelectionError("--coef '\(text)': the range is reversed (\(lower) > \(upper)); write the lower value first: \(upper):\(lower)")
            }
            self = .range(a, b)
        } else if let value = try CoefficientSelection.bound(Substring(trimmed), in: text, openRange: nil) {
            self = .nearest(value)
        } else {
            throw CoefficientSelection.invalid(text)
        }
    }

    /// One side of a range (nil when empty) or the single value: a finite number. `openRange` is the
    /// range with this side left open, suggested in place of an infinite bound.
    private static func bound(_ part: Substring, in text: String, openRange: String?) throws -> Double? {
        guard !part.isEmpty else { return nil }
        guard let value = Double(part) else { throw invalid(text) }
        guard value.isFinite else {
            let hint = value.isInfinite ? openRange.map { " (leave a side empty for an open range, e.g. \($0))" } ?? "" : ""
            throw SelectionError("--coef '\(text)': \(part) is not a finite number\(hint)")
        }
        return value
    }

    static func invalid(_ text: String) -> SelectionError {
        SelectionError("--coef '\(text)': expected a number, A:B, or all")
    }

    /// The contiguous range of grid positions taken (the grid is sorted ascending when ingested
    /// from long form, and in the experiment's own order from axes.json; a range keeps the
    /// positions whose value lies inside it, which must be contiguous). A range that takes no grid
    /// value is a ``SelectionError`` naming the grid values on either side; `run` names the run there.
    public func positions(in grid: [Double], run: String? = nil) throws -> Range<Int> {
        guard !grid.isEmpty else { return 0..<0 }
        switch self {
        case .all: return 0..<grid.count
        case .nearest(let value):
            guard value.isFinite, let low = grid.min(), let high = grid.max() else {
                throw SelectionError("--coef \(value): not a finite number")
            }
            // Clamped first: past the grid's ends |c − value| rounds to the same number for every c
            // (|10 − 1e20| == |−10 − 1e20|), and the first would win; the clamped value has an exact nearest.
            let target = min(max(value, low), high)
            var best = 0
            for (i, c) in grid.enumerated() where abs(c - target) < abs(grid[best] - target) { best = i }
            return best..<(best + 1)
        case .range(let lower, let upper):
            let inside = grid.indices.filter { i in (lower.map { grid[i] >= $0 } ?? true) && (upper.map { grid[i] <= $0 } ?? true) }
            let text = "\(lower.map { "\($0)" } ?? ""):\(upper.map { "\($0)" } ?? "")"
            guard let first = inside.first, let last = inside.last else {
                let below = grid.filter { c in lower.map { c < $0 } ?? false }.max()
                let above = grid.filter { c in upper.map { c > $0 } ?? false }.min()
                let closest = [below, above].compactMap { $0 }.map { "\($0)" }.joined(separator: ", ")
                let of = run.map { " of run '\(Escape.terminal($0))'" } ?? ""
                throw SelectionError("--coef \(text) selects no coefficient\(of) "
                    + "(\(grid.count) on the grid, \(grid.min() ?? 0) to \(grid.max() ?? 0); closest: \(closest))")
            }
            guard last - first + 1 == inside.count else {
                throw StoreError.badInput("--coef range \(text) takes grid positions that are not contiguous; the grid is not sorted")
            }
            return first..<(last + 1)
        }
    }
}
