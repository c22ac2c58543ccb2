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
    /// Ten distinct hues (Tableau 10 with its grey swapped for a dark indigo, since grey marks "the rest").
    public static let palette = ["#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f", "#edc948", "#b07aa1", "#ff9da7", "#9c755f", "#393b79"]
    /// Dash patterns that tell apart series sharing a hue: solid first, then dashed, dotted, dash-dot.
    public static let dashes: [String?] = [nil, "7,3", "2,2.5", "9,3,2,3"]
    /// How many series one plot can draw with no two alike.
    public static var distinctStyles: Int { palette.count * dashes.count }

    /// How one line series is drawn.
    public struct LineStyle: Hashable, Sendable {
        public var color: String
        /// An SVG `stroke-dasharray`, nil for solid.
        public var dash: String?
    }

    /// The `index`-th of ``distinctStyles`` line styles: every hue solid, then every hue dashed, …;
    /// nil past the last, where a plot must stop drawing distinct series (and say how many more).
    public static func lineStyle(_ index: Int) -> LineStyle? {
        guard index >= 0, index < distinctStyles else { return nil }
        return LineStyle(color: palette[index % palette.count], dash: dashes[index / palette.count])
    }

    /// What a series past ``distinctStyles`` would be drawn in; plots stop before needing it.
    public static let overflow = LineStyle(color: "#888888", dash: nil)

    /// Twenty fills for stacked bands (Tableau 20's ten strong hues, then their light partners), so
    /// neighbouring bands differ in hue; past twenty they repeat.
    public static let fills = ["#4e79a7", "#f28e2b", "#59a14f", "#e15759", "#b6992d", "#499894", "#d37295", "#b07aa1", "#9d7660", "#79706e",
                               "#a0cbe8", "#ffbe7d", "#8cd17d", "#ff9d9a", "#f1ce63", "#86bcb6", "#fabfd2", "#d4a6c8", "#d7b5a6", "#bab0ac"]

    /// The viridis colour at `t` in [0, 1].
    public static func sequential(_ t: Double) -> String { interpolate(viridis, t) }

    /// The diverging colour at `t` in [−1, 1], white at 0.
    public static func signed(_ t: Double) -> String { interpolate(diverging, (t + 1) / 2) }

    /// The fill of the `index`-th stacked band.
    public static func fill(_ index: Int) -> String { fills[((index % fills.count) + fills.count) % fills.count] }

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
