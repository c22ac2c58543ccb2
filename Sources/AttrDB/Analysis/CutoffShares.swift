/// One checkpoint's masses read as shares of their total (mass / total, 0 when the total is 0, as
/// ``Turnover/shares(_:)`` makes them) and compared with a cut-off without dividing every mass.
///
/// For a finite positive total the correctly rounded `mass / total` never decreases as the mass
/// grows, so the masses whose share is at or above the cut-off are exactly those at or above one
/// mass, ``threshold``: the least whose share is. Comparing masses with it gives the answers the
/// divided shares give, bit for bit; turnover divides only the shares of the components it prints.
struct CutoffShares {
    let masses: UnsafeBufferPointer<Double>
    let total: Double
    /// The least mass whose share is at or above the cut-off; nil when the shares are divided out
    /// (a total that is not finite and positive, a cut-off that is not finite, or a threshold not
    /// found in a few steps from `cutoff × total`).
    let threshold: Double?
    let cutoff: Double

    /// `total` is the masses added in order from 0 (or the stored total that equals it).
    init(_ masses: UnsafeBufferPointer<Double>, total: Double, cutoff: Double) {
        self.masses = masses
        self.total = total
        self.cutoff = cutoff
        threshold = CutoffShares.threshold(total: total, cutoff: cutoff)
    }

    /// The masses added in order from 0, as the shares' total is.
    static func total(_ masses: UnsafeBufferPointer<Double>) -> Double {
        var total = 0.0
        for mass in masses { total += mass }
        return total
    }

    static func threshold(total: Double, cutoff: Double) -> Double? {
        guard cutoff.isFinite else { return nil }
        // Every share is 0: at or above the cut-off is all of them or none (a total of 0 has no NaN or infinite mass in it).
        if total == 0 { return cutoff <= 0 ? -.infinity : .infinity }
        guard total.isFinite, total > 0 else { return nil }
        var mass = cutoff * total
        guard mass.isFinite else { return nil }
        let steps = 64
        if mass / total >= cutoff {
            for _ in 0..<steps {
                if mass.nextDown / total < cutoff { return mass }
                mass = mass.nextDown
            }
        } else {
            for _ in 0..<steps {
                mass = mass.nextUp
                if mass / total >= cutoff { return mass }
            }
        }
        return nil
    }

    /// Component `p`'s share: its mass / the total, 0 when the total is 0.
    @inline(__always)
    func share(_ p: Int) -> Double { total != 0 ? masses[p] / total : 0 }

    /// Whether component `p`'s share is at or above the cut-off (a NaN share is neither this nor below).
    @inline(__always)
    func isAbove(_ p: Int) -> Bool {
        guard let threshold else { return share(p) >= cutoff }
        return masses[p] >= threshold
    }

    /// Whether component `p`'s share is below the cut-off.
    @inline(__always)
    func isBelow(_ p: Int) -> Bool {
        guard let threshold else { return share(p) < cutoff }
        return masses[p] < threshold
    }
}
