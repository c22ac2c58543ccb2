/// Long-form records (`checkpoint_step, coefficient, component, layer, kind, value`) gathered into
/// dense per-checkpoint matrices: what the CSV and JSON-lines readers share.
///
/// Components keep the order they first appear in; coefficients and steps are sorted. Every
/// (checkpoint, coefficient, component) must be given exactly once.
struct LongFormTable {
    struct Record {
        var step: Int
        var coefficient: Double
        var label: String
        var layer: Int?
        var kind: ComponentKind?
        var value: Float
    }

    let file: String
    private var components: [Component] = []
    private var componentIndex = LabelIndex()
    private var coefficients = SlotIndex<Double>()
    private var steps = SlotIndex<Int>()
    private var cells: [(step: Int32, coefficient: Int32, component: Int32, line: Int32)] = []
    private var values: [Float] = []

    init(file: String) { self.file = file }

    var isEmpty: Bool { values.isEmpty }

    mutating func add(_ record: Record, line: Int) throws {
        let component: Int32
        var label = record.label
        if let known = label.withUTF8({ componentIndex.find(UnsafeRawBufferPointer($0)) }) {
            component = known
            let stored = components[Int(known)]
            if let layer = record.layer, layer != stored.layer {
                throw IngestError(file: file, location: .lineColumn(line: line, column: "layer"), expected: "layer \(stored.layer) for \(record.label), as on earlier lines", found: "\(layer)")
            }
        } else {
            if let nul = LabelText.withNUL(record.label) {
                throw IngestError(file: file, location: .lineColumn(line: line, column: "component"), expected: "a component label without NUL characters", found: nul)
            }
            let parsed = Component.parse(label: record.label)
            guard let kind = record.kind ?? parsed?.kind, let layer = record.layer ?? parsed?.layer else {
                throw IngestError(file: file, location: .lineColumn(line: line, column: "component"), expected: "a TransformerLens label (embed, pos_embed, L{l}H{h}, {l}_mlp_out, L{l}N{n}, bias), or layer and kind columns", found: "'\(record.label)'")
            }
            component = label.withUTF8 { componentIndex.insert(UnsafeRawBufferPointer($0)) }
            components.append(Component(label: record.label, layer: layer, kind: kind, index: parsed?.index))
        }
        // axes.json refuses a non-finite coefficient; so must every reader.
        guard record.coefficient.isFinite else {
            throw IngestError(file: file, location: .lineColumn(line: line, column: "coefficient"), expected: "a finite coefficient", found: "\(record.coefficient)")
        }
        append(step: stepSlot(record.step), coefficient: coefficientSlot(record.coefficient), component: component, value: record.value, line: line)
    }

    // What a reader that checked a record itself calls instead of `add`: it finds the slots once and
    // keeps them while the next rows repeat the same text.

    /// The number of `step` among the steps seen, adding it when new.
    mutating func stepSlot(_ step: Int) -> Int32 { steps.slot(step) }

    /// The number of a finite `coefficient` among those seen, adding it when new.
    mutating func coefficientSlot(_ coefficient: Double) -> Int32 { coefficients.slot(coefficient) }

    /// The number and layer of a component already added by its label's bytes, or nil: a new label
    /// goes through `add`, which checks and parses it. `previous` is the slot of the row before (or
    /// -1): the component after it is compared first, then the same one, and only then is the label
    /// hashed — long-form files list the components in order, so the guess is nearly always right.
    func knownComponent(_ label: UnsafeRawBufferPointer, after previous: Int32 = -1) -> (slot: Int32, layer: Int)? {
        let next = previous &+ 1
        let slot: Int32
        if next < componentIndex.count && componentIndex.matches(next, label) {
            slot = next
        } else if previous >= 0 && previous < componentIndex.count && componentIndex.matches(previous, label) {
            slot = previous
        } else {
            guard let found = componentIndex.find(label) else { return nil }
            slot = found
        }
        return (slot, components[Int(slot)].layer)
    }

    /// One value at slots from the functions above (and `knownComponent`).
    mutating func append(step: Int32, coefficient: Int32, component: Int32, value: Float, line: Int) {
        cells.append((step, coefficient, component, Int32(clamping: line)))
        values.append(value)
    }

    /// The first (checkpoint, coefficient, component) in grid order that no record gives, found
    /// without allocating the grid: it is among the first `cells.count + 1` cells.
    private func missingCell(stepOrder: [Int], coefficientOrder: [Int]) -> IngestError {
        var given = Set<Int64>()
        given.reserveCapacity(cells.count)
        let nc = Int64(coefficients.count), np = Int64(components.count)
        var rankOfStep = [Int](repeating: 0, count: steps.count), rankOfCoefficient = [Int](repeating: 0, count: coefficients.count)
        for (rank, index) in stepOrder.enumerated() { rankOfStep[index] = rank }
        for (rank, index) in coefficientOrder.enumerated() { rankOfCoefficient[index] = rank }
        for cell in cells {
            given.insert((Int64(rankOfStep[Int(cell.step)]) * np + Int64(cell.component)) * nc + Int64(rankOfCoefficient[Int(cell.coefficient)]))
        }
        var key: Int64 = 0
        while given.contains(key) { key += 1 }
        let j = Int(key % nc), p = Int((key / nc) % np), s = Int(key / nc / np)
        return IngestError(file: file, message: "no value for checkpoint \(steps.values[stepOrder[s]]), coefficient \(coefficients.values[coefficientOrder[j]]), component \(components[p].label): every checkpoint needs every component at every coefficient")
    }

    /// The gathered axes and dense matrices, or an error naming a duplicate or a missing cell.
    func build() throws -> (axes: Axes, matrices: [[Float]]) {
        guard !values.isEmpty else { throw IngestError(file: file, expected: "at least one record", found: "none") }
        // A bias read from its label alone has no layer yet (-2): it sits one past the deepest layer.
        var finalComponents = components
        let deepest = components.filter { $0.kind != .bias }.map(\.layer).max() ?? -1
        for i in finalComponents.indices where finalComponents[i].kind == .bias && finalComponents[i].layer < -1 {
            finalComponents[i].layer = deepest + 1
        }
        let coefficientOrder = coefficients.values.indices.sorted { coefficients.values[$0] < coefficients.values[$1] }
        var coefficientRank = [Int](repeating: 0, count: coefficients.count)
        for (rank, index) in coefficientOrder.enumerated() { coefficientRank[index] = rank }
        let stepOrder = steps.values.indices.sorted { steps.values[$0] < steps.values[$1] }
        var stepRank = [Int](repeating: 0, count: steps.count)
        for (rank, index) in stepOrder.enumerated() { stepRank[index] = rank }

        let nCoefficients = coefficients.count, perCheckpoint = components.count * nCoefficients
        // A dense grid holds exactly one record per cell. Check the count before allocating: N
        // records naming N new steps, coefficients and components would otherwise ask for N³ cells.
        let (grid, overflow) = perCheckpoint.multipliedReportingOverflow(by: steps.count)
        if overflow || grid > cells.count {
            throw missingCell(stepOrder: stepOrder, coefficientOrder: coefficientOrder)
        }
        var matrices = [[Float]](repeating: [Float](repeating: 0, count: perCheckpoint), count: steps.count)
        var filled = [[Int32]](repeating: [Int32](repeating: 0, count: perCheckpoint), count: steps.count)
        for (i, cell) in cells.enumerated() {
            let s = stepRank[Int(cell.step)]
            let offset = Int(cell.component) * nCoefficients + coefficientRank[Int(cell.coefficient)]
            if filled[s][offset] != 0 {
                throw IngestError(file: file, location: .line(Int(cell.line)), message: "checkpoint \(steps.values[Int(cell.step)]), coefficient \(coefficients.values[Int(cell.coefficient)]), component \(components[Int(cell.component)].label) is given twice (first on line \(filled[s][offset]))")
            }
            filled[s][offset] = max(cell.line, 1)
            matrices[s][offset] = values[i]
        }
        for (s, marks) in filled.enumerated() {
            if let missing = marks.firstIndex(of: 0) {
                let (p, j) = missing.quotientAndRemainder(dividingBy: nCoefficients)
                throw IngestError(file: file, message: "no value for checkpoint \(steps.values[stepOrder[s]]), coefficient \(coefficients.values[coefficientOrder[j]]), component \(components[p].label): every checkpoint needs every component at every coefficient")
            }
        }
        let axes = Axes(checkpointSteps: stepOrder.map { steps.values[$0] }, coefficients: coefficientOrder.map { coefficients.values[$0] },
                        components: finalComponents, metric: nil, metadataJSON: "{}", model: nil, task: nil, hook: nil)
        return (axes, matrices)
    }
}
