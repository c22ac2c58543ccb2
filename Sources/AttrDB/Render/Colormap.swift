import Foundation

/// Colour maps for plots: viridis for magnitudes, a blue–white–red diverging map for signed values,
/// and a qualitative palette for series and clusters.
public enum Colormap {
    /// Viridis, sampled at nine points and interpolated: perceptually uniform, readable in grey.
    static let viridis: [(Double, Double, Double)] = [
        (68, 1, 84), (71, 44, 122), (59, 81, 139), (44, 113, 142), (33, 144, 141),
        (39, 173, 129), (92, 200, 99), (170, 220, 50), (253, 231, 37),
    ]
    static let diverging: [(Double, Double, Double)] = [(33, 102, 172), (103, 169, 207), (209, 229, 240), (247, 247, 247), (253, 219, 199), (239, 138, 98), (178, 24, 43)]
    /// Tableau 10: distinct hues for up to ten series.
    public static let palette = ["#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f", "#edc948", "#b07aa1", "#ff9da7", "#9c755f", "#bab0ac"]

    /// The viridis colour at `t` in [0, 1].
    public static func sequential(_ t: Double) -> String { interpolate(viridis, t) }

    /// The diverging colour at `t` in [−1, 1], white at 0.
    public static func signed(_ t: Double) -> String { interpolate(diverging, (t + 1) / 2) }

    public static func series(_ index: Int) -> String { palette[((index % palette.count) + palette.count) % palette.count] }

    static func interpolate(_ stops: [(Double, Double, Double)], _ t: Double) -> String {
        let clamped = t.isFinite ? min(1, max(0, t)) : 0
        let position = clamped * Double(stops.count - 1)
        let low = Int(position.rounded(.down)), high = min(low + 1, stops.count - 1)
        let f = position - Double(low)
        let a = stops[low], b = stops[high]
        func channel(_ x: Double, _ y: Double) -> Int { Int((x + (y - x) * f).rounded()) }
        return String(format: "#%02x%02x%02x", channel(a.0, b.0), channel(a.1, b.1), channel(a.2, b.2))
    }
}
