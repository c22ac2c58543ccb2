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
    private var componentIndex: [String: Int32] = [:]
    private var coefficientIndex: [Double: Int32] = [:]
    private var coefficientValues: [Double] = []
    private var stepIndex: [Int: Int32] = [:]
    private var stepValues: [Int] = []
    private var cells: [(step: Int32, coefficient: Int32, component: Int32, line: Int32)] = []
    private var values: [Float] = []

    init(file: String) { self.file = file }

    var isEmpty: Bool { values.isEmpty }

    mutating func add(_ record: Record, line: Int) throws {
        let component: Int32
        if let known = componentIndex[record.label] {
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
            component = Int32(components.count)
            componentIndex[record.label] = component
            components.append(Component(label: record.label, layer: layer, kind: kind, index: parsed?.index))
        }
        let coefficient: Int32
        if let known = coefficientIndex[record.coefficient] { coefficient = known } else {
            coefficient = Int32(coefficientValues.count)
            coefficientIndex[record.coefficient] = coefficient
            coefficientValues.append(record.coefficient)
        }
        let step: Int32
        if let known = stepIndex[record.step] { step = known } else {
            step = Int32(stepValues.count)
            stepIndex[record.step] = step
            stepValues.append(record.step)
        }
        cells.append((step, coefficient, component, Int32(clamping: line)))
        values.append(record.value)
    }

    /// The first (checkpoint, coefficient, component) in grid order that no record gives, found
    /// without allocating the grid: it is among the first `cells.count + 1` cells.
    private func missingCell(stepOrder: [Int], coefficientOrder: [Int]) -> IngestError {
        var given = Set<Int64>()
        given.reserveCapacity(cells.count)
        let nc = Int64(coefficientValues.count), np = Int64(components.count)
        var rankOfStep = [Int](repeating: 0, count: stepValues.count), rankOfCoefficient = [Int](repeating: 0, count: coefficientValues.count)
        for (rank, index) in stepOrder.enumerated() { rankOfStep[index] = rank }
        for (rank, index) in coefficientOrder.enumerated() { rankOfCoefficient[index] = rank }
        for cell in cells {
            given.insert((Int64(rankOfStep[Int(cell.step)]) * np + Int64(cell.component)) * nc + Int64(rankOfCoefficient[Int(cell.coefficient)]))
        }
        var key: Int64 = 0
        while given.contains(key) { key += 1 }
        let j = Int(key % nc), p = Int((key / nc) % np), s = Int(key / nc / np)
        return IngestError(file: file, message: "no value for checkpoint \(stepValues[stepOrder[s]]), coefficient \(coefficientValues[coefficientOrder[j]]), component \(components[p].label): every checkpoint needs every component at every coefficient")
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
        let coefficientOrder = coefficientValues.indices.sorted { coefficientValues[$0] < coefficientValues[$1] }
        var coefficientRank = [Int](repeating: 0, count: coefficientValues.count)
        for (rank, index) in coefficientOrder.enumerated() { coefficientRank[index] = rank }
        let stepOrder = stepValues.indices.sorted { stepValues[$0] < stepValues[$1] }
        var stepRank = [Int](repeating: 0, count: stepValues.count)
        for (rank, index) in stepOrder.enumerated() { stepRank[index] = rank }

        let nCoefficients = coefficientValues.count, perCheckpoint = components.count * nCoefficients
        // A dense grid holds exactly one record per cell. Check the count before allocating: N
        // records naming N new steps, coefficients and components would otherwise ask for N³ cells.
        let (grid, overflow) = perCheckpoint.multipliedReportingOverflow(by: stepValues.count)
        if overflow || grid > cells.count {
            throw missingCell(stepOrder: stepOrder, coefficientOrder: coefficientOrder)
        }
        var matrices = [[Float]](repeating: [Float](repeating: 0, count: perCheckpoint), count: stepValues.count)
        var filled = [[Int32]](repeating: [Int32](repeating: 0, count: perCheckpoint), count: stepValues.count)
        for (i, cell) in cells.enumerated() {
            let s = stepRank[Int(cell.step)]
            let offset = Int(cell.component) * nCoefficients + coefficientRank[Int(cell.coefficient)]
            if filled[s][offset] != 0 {
                throw IngestError(file: file, location: .line(Int(cell.line)), message: "checkpoint \(stepValues[Int(cell.step)]), coefficient \(coefficientValues[Int(cell.coefficient)]), component \(components[Int(cell.component)].label) is given twice (first on line \(filled[s][offset]))")
            }
            filled[s][offset] = max(cell.line, 1)
            matrices[s][offset] = values[i]
        }
        for (s, marks) in filled.enumerated() {
            if let missing = marks.firstIndex(of: 0) {
                let (p, j) = missing.quotientAndRemainder(dividingBy: nCoefficients)
                throw IngestError(file: file, message: "no value for checkpoint \(stepValues[stepOrder[s]]), coefficient \(coefficientValues[coefficientOrder[j]]), component \(components[p].label): every checkpoint needs every component at every coefficient")
            }
        }
        let axes = Axes(checkpointSteps: stepOrder.map { stepValues[$0] }, coefficients: coefficientOrder.map { coefficientValues[$0] },
                        components: finalComponents, metric: nil, metadataJSON: "{}", model: nil, task: nil, hook: nil)
        return (axes, matrices)
    }
}
