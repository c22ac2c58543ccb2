import Foundation

/// Axis scales and ticks.
public enum Axis {
    /// About `count` round tick values covering [low, high].
    public static func ticks(_ low: Double, _ high: Double, count: Int = 5) -> [Double] {
        guard low.isFinite, high.isFinite, high > low else { return low.isFinite ? [low] : [] }
        let raw = (high - low) / Double(max(1, count))
        let magnitude = pow(10, (log10(raw)).rounded(.down))
        let step = [1.0, 2, 2.5, 5, 10].map { $0 * magnitude }.first { $0 >= raw } ?? magnitude * 10
        var ticks: [Double] = []
        var value = (low / step).rounded(.up) * step
        while value <= high + step * 1e-9 {
            ticks.append(abs(value) < step * 1e-9 ? 0 : value)
            value += step
        }
        return ticks
    }

    /// Whether positive steps are log-spaced (each about a constant factor apart), as checkpoint
    /// steps saved at 1, 2, 3, 5, 7, 10, … 4000 are: such steps are plotted on a log(1 + step) axis.
    public static func isLogSpaced(_ steps: [Int]) -> Bool {
        let positive = steps.filter { $0 > 0 }
        guard positive.count >= 5, let first = positive.first, let last = positive.last, last >= first * 50 else { return false }
        let gaps = zip(positive, positive.dropFirst()).map { Double($1 - $0) }
        // Linear spacing has equal gaps; log spacing has gaps growing by orders of magnitude.
        return (gaps.last ?? 1) / max(gaps.first ?? 1, 1) > 20
    }

    /// Maps a value to a pixel, linearly or on log(1 + x).
    public struct Scale {
        public var low: Double
        public var high: Double
        public var from: Double
        public var to: Double
        public var logarithmic: Bool

        public init(low: Double, high: Double, from: Double, to: Double, logarithmic: Bool = false) {
            self.low = low
            self.high = high
            self.from = from
            self.to = to
            self.logarithmic = logarithmic
        }

        func transform(_ value: Double) -> Double { logarithmic ? log10(1 + max(0, value)) : value }

        public func callAsFunction(_ value: Double) -> Double {
            let a = transform(low), b = transform(high)
            guard b != a else { return (from + to) / 2 }
            return from + (transform(value) - a) / (b - a) * (to - from)
        }

        /// Tick values: round numbers, or 0, 1, 10, 100, … on a log axis.
        public func ticks(count: Int = 5) -> [Double] {
            guard logarithmic else { return Axis.ticks(low, high, count: count) }
            var values: [Double] = low <= 0 ? [0] : []
            var power = 1.0
            while power <= high {
                if power >= low { values.append(power) }
                power *= 10
            }
            return values
        }
    }

    /// A short label for a tick value.
    public static func label(_ value: Double) -> String {
        if value == value.rounded() && abs(value) < 1e6 { return String(Int(value)) }
        let magnitude = abs(value)
        if magnitude >= 1e4 || magnitude < 1e-3 { return String(format: "%.1e", value) }
        return String(format: "%.3g", value)
    }
}
