/// `attrdb sql --timeout`: the statement ran past its time and was interrupted. The query's
/// doing, not the store's.
public struct QueryTimedOut: UserFacingError, Equatable {
    public let seconds: Double

    public var description: String {
        let shown = seconds == seconds.rounded() && seconds < 1e15 ? String(Int(seconds)) : String(seconds)
        return "the query ran longer than --timeout \(shown) s and was stopped"
    }
}
