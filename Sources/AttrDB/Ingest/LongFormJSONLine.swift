import Foundation

/// The common JSON line of long-form input read straight from its bytes: one flat object of ASCII
/// strings without escapes, JSON numbers and nulls, naming a component already seen. No JSONValue,
/// no dictionary, no String but for a new kind; the step and coefficient are looked up only when
/// their text differs from the line before.
///
/// Any other line (a new component, escapes, nesting, non-ASCII, anything wrong) is left to the full
/// reading in ``LongFormReader``, which gives the line's value or its exact error: this path only
/// ever accepts what that reading would accept, with the same value.
struct LongFormJSONLine {
    private var stepText: [UInt8] = [], stepSlot: Int32 = -1
    private var coefficientText: [UInt8] = [], coefficientSlot: Int32 = -1
    private var kindText: [UInt8] = []
    /// The component of the line before: the next line's is most likely the one after it.
    private var componentSlot: Int32 = -1

    /// A member's value: where its text lies in the line.
    private enum Value {
        case absent
        case null
        case number(Range<Int>)
        /// A number already read (the value's, read while its grammar was checked).
        case decimal(Double)
        case string(Range<Int>)
    }

    /// Adds the line to `table` and returns true; or returns false, having changed nothing, when the
    /// line needs the full reading.
    mutating func add(_ text: UnsafeRawBufferPointer, line: Int, to table: inout LongFormTable) -> Bool {
        var members = Members()
        guard Self.read(text, into: &members) else { return false }
        guard case .string(let labelRange) = members.component, !labelRange.isEmpty,
              let known = table.knownComponent(UnsafeRawBufferPointer(rebasing: text[labelRange]), after: componentSlot) else { return false }
        switch members.layer {
        case .absent, .null: break
        case .number(let range):
            guard let layer = Self.integer(text, range), layer == known.layer else { return false }
        case .string, .decimal: return false
        }
        switch members.kind {
        case .absent, .null: break
        case .string(let range):
            let kind = UnsafeRawBufferPointer(rebasing: text[range])
            if !Self.same(kind, kindText) {
                guard ComponentKind(rawValue: String(decoding: kind, as: UTF8.self)) != nil else { return false }
                Self.remember(kind, in: &kindText)
            }
        case .number, .decimal: return false
        }
        let value: Float
        switch members.value {
        case .null: value = .nan
        case .decimal(let number):
            guard Float(number).isFinite else { return false }
            value = Float(number)
        case .absent, .string, .number: return false
        }
        guard case .number(let stepRange) = members.step else { return false }
        let stepBytes = UnsafeRawBufferPointer(rebasing: text[stepRange])
        var newStep: Int?
        if !Self.same(stepBytes, stepText) {
            guard let step = Self.integer(text, stepRange) else { return false }
            newStep = step
        }
        // An absent or null coefficient is 0: a plain attribution.
        let coefficientBytes: UnsafeRawBufferPointer
        switch members.coefficient {
        case .absent, .null: coefficientBytes = UnsafeRawBufferPointer(start: nil, count: 0)
        case .number(let range): coefficientBytes = UnsafeRawBufferPointer(rebasing: text[range])
        case .string, .decimal: return false
        }
        var newCoefficient: Double?
        if coefficientSlot < 0 || !Self.same(coefficientBytes, coefficientText) {
            let coefficient = coefficientBytes.isEmpty ? 0 : NumberText.parse(coefficientBytes)
            guard let coefficient, coefficient.isFinite else { return false }
            newCoefficient = coefficient
        }
        // Every check passed: only now does the table change.
        if let newStep {
            stepSlot = table.stepSlot(newStep)
            Self.remember(stepBytes, in: &stepText)
        }
        if let newCoefficient {
            coefficientSlot = table.coefficientSlot(newCoefficient)
            Self.remember(coefficientBytes, in: &coefficientText)
        }
        table.append(step: stepSlot, coefficient: coefficientSlot, component: known.slot, value: value, line: line)
        componentSlot = known.slot
        return true
    }

    private struct Members {
        var step = Value.absent, coefficient = Value.absent, component = Value.absent
        var value = Value.absent, layer = Value.absent, kind = Value.absent
    }

    /// A key of a long-form record, told by its length and then its bytes: comparing the key with each
    /// name as a `String.UTF8View` (`elementsEqual`) took 40% of a JSON-lines ingest's instructions.
    private enum Key {
        case step, coefficient, component, value, layer, kind

        init?(_ text: UnsafeRawBufferPointer) {
            func equals(_ name: StaticString) -> Bool { memcmp(text.baseAddress!, name.utf8Start, text.count) == 0 }
            switch text.count {
            case 15: if equals("checkpoint_step") { self = .step; return }
            case 11: if equals("coefficient") { self = .coefficient; return }
            case 9: if equals("component") { self = .component; return }
            case 5:
                if equals("value") { self = .value; return }
                if equals("layer") { self = .layer; return }
            case 4: if equals("kind") { self = .kind; return }
            default: break
            }
            return nil
        }

        /// The key whose name and closing quote lie at `i`, with the name's length; nil for any other text.
        @inline(__always)
        static func quoted(_ p: UnsafePointer<UInt8>, _ i: Int, _ n: Int) -> (Key, Int)? {
            func at(_ name: StaticString) -> Bool {
                let count = name.utf8CodeUnitCount
                return i + count < n && p[i + count] == 0x22 && memcmp(p + i, name.utf8Start, count) == 0
            }
            guard i < n else { return nil }
            switch p[i] {
            case UInt8(ascii: "c"):
                if at("checkpoint_step") { return (.step, 15) }
                if at("coefficient") { return (.coefficient, 11) }
                if at("component") { return (.component, 9) }
            case UInt8(ascii: "v"): if at("value") { return (.value, 5) }
            case UInt8(ascii: "l"): if at("layer") { return (.layer, 5) }
            case UInt8(ascii: "k"): if at("kind") { return (.kind, 4) }
            default: break
            }
            return nil
        }
    }

    /// Reads the members of a flat object filling the line (white space around it) into `members`;
    /// false for any other text. Filled in place: returning the members (an optional of six enums)
    /// was a memmove per line, 7% of a JSON-lines ingest.
    /// The scanners are functions of (bytes, index, count) returning the next index, not nested
    /// functions capturing the index: a captured index lives in memory, loaded and stored per byte.
    private static func read(_ text: UnsafeRawBufferPointer, into members: inout Members) -> Bool {
        guard let p = text.baseAddress?.assumingMemoryBound(to: UInt8.self) else { return false }
        let n = text.count
        var i = skipSpace(p, 0, n)
        guard i < n, p[i] == UInt8(ascii: "{") else { return false }
        i += 1
        while true {
            i = skipSpace(p, i, n)
            guard i < n, p[i] == 0x22 else { return false }
            let keyStart = i + 1
            // The usual key is read by comparing it whole, not byte by byte as a string.
            let key: Key?, keyEnd: Int
            if let (known, length) = Key.quoted(p, keyStart, n) {
                key = known
                keyEnd = keyStart + length
            } else {
                guard let end = stringEnd(p, keyStart, n) else { return false }
                key = Key(UnsafeRawBufferPointer(start: p + keyStart, count: end - keyStart))
                keyEnd = end
            }
            i = skipSpace(p, keyEnd + 1, n)
            guard i < n, p[i] == UInt8(ascii: ":") else { return false }
            i = skipSpace(p, i + 1, n)
            guard i < n else { return false }
            let value: Value
            switch p[i] {
            case 0x22:
                guard let end = stringEnd(p, i + 1, n) else { return false }
                value = .string((i + 1)..<end)
                i = end + 1
            case UInt8(ascii: "n"):
                guard i + 4 <= n, p[i + 1] == UInt8(ascii: "u"), p[i + 2] == UInt8(ascii: "l"), p[i + 3] == UInt8(ascii: "l") else { return false }
                i += 4
                value = .null
            default:
                if case .value? = key {
                    // The value's digits are read once: grammar and conversion in one pass.
                    guard let (end, number) = JSONNumberScan.scan(p, i, n) else { return false }
                    value = .decimal(number)
                    i = end
                } else {
                    guard let end = numberEnd(p, i, n) else { return false }
                    value = .number(i..<end)
                    i = end
                }
            }
            // A repeated key is for the full reading to resolve.
            switch key {
            case .step?: guard case .absent = members.step else { return false }; members.step = value
            case .coefficient?: guard case .absent = members.coefficient else { return false }; members.coefficient = value
            case .component?: guard case .absent = members.component else { return false }; members.component = value
            case .value?: guard case .absent = members.value else { return false }; members.value = value
            case .layer?: guard case .absent = members.layer else { return false }; members.layer = value
            case .kind?: guard case .absent = members.kind else { return false }; members.kind = value
            case nil: return false
            }
            i = skipSpace(p, i, n)
            guard i < n else { return false }
            if p[i] == UInt8(ascii: ",") { i += 1; continue }
            guard p[i] == UInt8(ascii: "}") else { return false }
            i += 1
            break
        }
        return skipSpace(p, i, n) == n
    }

    /// The index of the first byte at or after `i` that is not JSON white space.
    @inline(__always)
    private static func skipSpace(_ p: UnsafePointer<UInt8>, _ i: Int, _ n: Int) -> Int {
        var i = i
        while i < n {
            let byte = p[i]
            guard byte == 0x20 || byte == 0x09 || byte == 0x0D || byte == 0x0A else { break }
            i += 1
        }
        return i
    }

    /// The index of the quote closing a string whose contents start at `i`; nil when the string has an
    /// escape, a control or non-ASCII byte, or no closing quote.
    @inline(__always)
    private static func stringEnd(_ p: UnsafePointer<UInt8>, _ i: Int, _ n: Int) -> Int? {
        var i = i
        while i < n {
            let byte = p[i]
            if byte == 0x22 { return i }
            if byte == 0x5C || byte < 0x20 || byte >= 0x80 { return nil }
            i += 1
        }
        return nil
    }

    /// The index after the decimal digits starting at `i`.
    @inline(__always)
    private static func digitsEnd(_ p: UnsafePointer<UInt8>, _ i: Int, _ n: Int) -> Int {
        var i = i
        while i < n, p[i] &- 0x30 < 10 { i += 1 }
        return i
    }

    /// The index after a JSON number starting at `i`, `-? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?`;
    /// nil when the text there is not one.
    private static func numberEnd(_ p: UnsafePointer<UInt8>, _ i: Int, _ n: Int) -> Int? {
        var i = i
        if i < n, p[i] == UInt8(ascii: "-") { i += 1 }
        let integerStart = i
        i = digitsEnd(p, i, n)
        let integerDigits = i - integerStart
        guard integerDigits > 0, integerDigits == 1 || p[integerStart] != UInt8(ascii: "0") else { return nil }
        if i < n, p[i] == UInt8(ascii: ".") {
            let fractionStart = i + 1
            i = digitsEnd(p, fractionStart, n)
            guard i > fractionStart else { return nil }
        }
        if i < n, p[i] | 0x20 == UInt8(ascii: "e") {
            i += 1
            if i < n, p[i] == UInt8(ascii: "+") || p[i] == UInt8(ascii: "-") { i += 1 }
            let exponentStart = i
            i = digitsEnd(p, exponentStart, n)
            guard i > exponentStart else { return nil }
        }
        return i
    }

    /// A JSON number that is an exact integer, as ``JSONValue/integer`` reads it.
    private static func integer(_ text: UnsafeRawBufferPointer, _ range: Range<Int>) -> Int? {
        guard let number = NumberText.parse(UnsafeRawBufferPointer(rebasing: text[range])) else { return nil }
        return JSONValue.number(number).integer
    }

    private static func same(_ text: UnsafeRawBufferPointer, _ stored: [UInt8]) -> Bool {
        text.count == stored.count && stored.withUnsafeBytes { text.isEmpty || memcmp($0.baseAddress!, text.baseAddress!, text.count) == 0 }
    }

    private static func remember(_ text: UnsafeRawBufferPointer, in stored: inout [UInt8]) {
        stored.removeAll(keepingCapacity: true)
        stored.append(contentsOf: text)
    }
}
