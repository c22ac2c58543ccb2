import Foundation

/// The common row of a long-form CSV read straight from the parser's bytes: a component already
/// seen, plain integers, decimal numbers, a known kind. The step and coefficient are looked up only
/// when their text differs from the row before (long-form files repeat them for thousands of rows),
/// the label by its bytes.
///
/// Any other row (a new component, text in an unusual form, anything wrong) is left to the full
/// reading in ``LongFormReader``, which gives the row's value or its exact error: this path only
/// ever accepts what that reading would accept, with the same value.
struct LongFormCSVRow {
    private let step: Int, coefficient: Int, component: Int, value: Int
    private let layer: Int?, kind: Int?
    private var stepText: [UInt8] = [], stepSlot: Int32 = -1
    private var coefficientText: [UInt8] = [], coefficientSlot: Int32 = -1
    /// The component of the row before: the next row's is most likely the one after it.
    private var componentSlot: Int32 = -1
    /// The text of a kind already checked to be one of ComponentKind's names.
    private var kindText: [UInt8] = []

    /// Column positions from a header that has the required columns (CSVReader checked it).
    init?(header: CSVReader.Header) {
        guard let step = header.index["checkpoint_step"], let coefficient = header.index["coefficient"],
              let component = header.index["component"], let value = header.index["value"] else { return nil }
        (self.step, self.coefficient, self.component, self.value) = (step, coefficient, component, value)
        (layer, kind) = (header.index["layer"], header.index["kind"])
    }

    /// Adds the row to `table` and returns true; or returns false, having changed nothing, when the
    /// row needs the full reading.
    mutating func add(_ row: CSVReader.Row, to table: inout LongFormTable) -> Bool {
        let record = row.record
        let label = record[component]
        guard !label.isEmpty, let known = table.knownComponent(label, after: componentSlot) else { return false }
        if let layer {
            let text = record[layer]
            if !text.isEmpty { guard let given = Self.integer(text), given == known.layer else { return false } }
        }
        if let kind {
            let text = record[kind]
            if !text.isEmpty && !Self.same(text, kindText) {
                guard ComponentKind(rawValue: String(decoding: text, as: UTF8.self)) != nil else { return false }
                Self.remember(text, in: &kindText)
            }
        }
        // Past float32's range (or ±inf written as a word) is for the full reading to judge.
        guard let number = DecimalText.parse(record[value]) else { return false }
        let value = Float(number)
        guard value.isFinite || number.isNaN else { return false }
        let stepText = record[step], coefficientText = record[coefficient]
        // Empty text would match the empty text remembered before the first row.
        guard !stepText.isEmpty && !coefficientText.isEmpty else { return false }
        let newStep = Self.same(stepText, self.stepText) ? nil : Self.integer(stepText)
        if !Self.same(stepText, self.stepText) && newStep == nil { return false }
        var newCoefficient: Double?
        if !Self.same(coefficientText, self.coefficientText) {
            guard let parsed = DecimalText.parse(coefficientText), parsed.isFinite else { return false }
            newCoefficient = parsed
        }
        // Every check passed: only now does the table change.
        if let newStep {
            stepSlot = table.stepSlot(newStep)
            Self.remember(stepText, in: &self.stepText)
        }
        if let newCoefficient {
            coefficientSlot = table.coefficientSlot(newCoefficient)
            Self.remember(coefficientText, in: &self.coefficientText)
        }
        table.append(step: stepSlot, coefficient: coefficientSlot, component: known.slot, value: value, line: row.line)
        componentSlot = known.slot
        return true
    }

    /// `[+-]? digits` of at most 18 digits (what `Int(text)` reads without overflow), or nil.
    private static func integer(_ text: UnsafeRawBufferPointer) -> Int? {
        var i = 0, value = 0
        let negative = text.first == UInt8(ascii: "-")
        if negative || text.first == UInt8(ascii: "+") { i = 1 }
        guard text.count > i, text.count - i <= 18 else { return nil }
        while i < text.count {
            let digit = text[i] &- 0x30
            guard digit < 10 else { return nil }
            value = value * 10 + Int(digit)
            i += 1
        }
        return negative ? -value : value
    }

    private static func same(_ text: UnsafeRawBufferPointer, _ stored: [UInt8]) -> Bool {
        text.count == stored.count && stored.withUnsafeBytes { text.isEmpty || memcmp($0.baseAddress!, text.baseAddress!, text.count) == 0 }
    }

    private static func remember(_ text: UnsafeRawBufferPointer, in stored: inout [UInt8]) {
        stored.removeAll(keepingCapacity: true)
        stored.append(contentsOf: text)
    }
}
