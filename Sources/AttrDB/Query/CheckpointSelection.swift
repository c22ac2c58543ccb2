/// Which stored checkpoints a query reads: `all`, `last`, `first`, a step, `A:B` (steps from A to B
/// inclusive; either side may be left open), or `every:N` (every Nth stored checkpoint, keeping the last).
public enum CheckpointSelection: Equatable, Sendable {
    case all
    case last
    case first
    case step(Int)
    case range(Int?, Int?)
    case every(Int)

    /// Parses the text of `--checkpoint`. A reversed range or `every:N` with N < 1 is refused here,
    /// before any store is opened: they could never select anything.
    public init(parsing text: String) throws {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        switch trimmed.lowercased() {
        case "all": self = .all
        case "last": self = .last
        case "first": self = .first
        default:
            if trimmed.lowercased().hasPrefix("every:") {
                guard let n = Int(trimmed.dropFirst(6)), n >= 1 else {
                    throw SelectionError("--checkpoint '\(text)': every:N takes a whole number N ≥ 1 (every Nth stored checkpoint)")
                }
                self = .every(n)
            } else if let colon = trimmed.firstIndex(of: ":") {
                let lower = trimmed[..<colon], upper = trimmed[trimmed.index(after: colon)...]
                guard lower.isEmpty || Int(lower) != nil, upper.isEmpty || Int(upper) != nil else { throw CheckpointSelection.invalid(text) }
                if let a = Int(lower), let b = Int(upper), a > b {
                    throw SelectionError("--checkpoint '\(text)': the range is reversed (\(a) > \(b)); write the lower step first: \(b):\(a)")
                }
                self = .range(Int(lower), Int(upper))
            } else if let step = Int(trimmed) {
                self = .step(step)
            } else {
                throw CheckpointSelection.invalid(text)
            }
        }
    }

    static func invalid(_ text: String) -> SelectionError {
        SelectionError("--checkpoint '\(text)': expected all, last, first, a step, A:B or every:N")
    }

    /// Indices into `steps` (ascending) that the selection takes. A step that is not stored is an
    /// error naming the closest stored steps; a range that takes none of them is a ``SelectionError``
    /// naming the stored steps on either side. `run` names the run in those messages.
    public func indices(in steps: [Int], run: String? = nil) throws -> [Int] {
        guard !steps.isEmpty else { return [] }
        switch self {
        case .all: return Array(steps.indices)
        case .last: return [steps.count - 1]
        case .first: return [0]
        case .step(let step):
            if let index = steps.firstIndex(of: step) { return [index] }
            let closest = steps.sorted { abs($0 - step) < abs($1 - step) }.prefix(3).map(String.init)
            throw StoreError.unknown(what: "checkpoint", name: String(step), suggestions: closest)
        case .range(let lower, let upper):
            let taken = steps.indices.filter { i in (lower.map { steps[i] >= $0 } ?? true) && (upper.map { steps[i] <= $0 } ?? true) }
            guard taken.isEmpty else { return taken }
            let below = steps.last { step in lower.map { step < $0 } ?? false }
            let above = steps.first { step in upper.map { step > $0 } ?? false }
            let closest = [below, above].compactMap { $0 }.map(String.init).joined(separator: ", ")
            let of = run.map { " of run '\(Escape.terminal($0))'" } ?? ""
            throw SelectionError("--checkpoint \(lower.map(String.init) ?? ""):\(upper.map(String.init) ?? "") selects no stored checkpoint\(of) "
                + "(\(steps.count) stored, steps \(steps[0]) to \(steps[steps.count - 1]); closest: \(closest))")
        case .every(let n):
            guard n >= 1 else { throw SelectionError("--checkpoint every:\(n): every:N takes a whole number N ≥ 1 (every Nth stored checkpoint)") }
            var picked = Array(stride(from: 0, to: steps.count, by: n))
            if picked.last != steps.count - 1 { picked.append(steps.count - 1) }
            return picked
        }
    }
}
