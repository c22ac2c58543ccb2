/// Values numbered in the order they were first seen: a long-form reader's steps and coefficients,
/// each interned once and afterwards named by its slot.
struct SlotIndex<Value: Hashable> {
    /// Every value seen, at its slot.
    private(set) var values: [Value] = []
    private var slots: [Value: Int32] = [:]

    var count: Int { values.count }

    /// The slot of `value`, adding it when new.
    mutating func slot(_ value: Value) -> Int32 {
        if let known = slots[value] { return known }
        let slot = Int32(values.count)
        slots[value] = slot
        values.append(value)
        return slot
    }
}
