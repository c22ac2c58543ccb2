import Foundation

/// Labels numbered in the order they were added, found by their UTF-8 bytes: a text reader looks a
/// row's label up where it lies in the input, without making a String of it. Open addressing over
/// one byte arena, so a million labels are a few allocations, not a million.
struct LabelIndex {
    /// Every label's bytes back to back; label `id` is `arena[starts[id]..<starts[id + 1]]`.
    private var arena: [UInt8] = []
    private var starts: [Int] = [0]
    private var hashes: [UInt64] = []
    /// Label ids (or -1) by hash; a power of two long, at most half full.
    private var slots = [Int32](repeating: -1, count: 64)

    var count: Int { hashes.count }

    /// The id of the label with these bytes, or nil.
    func find(_ bytes: UnsafeRawBufferPointer) -> Int32? {
        let hash = Self.hash(bytes)
        let mask = slots.count - 1
        var slot = Int(truncatingIfNeeded: hash) & mask
        while true {
            let id = slots[slot]
            if id < 0 { return nil }
            if hashes[Int(id)] == hash && equal(Int(id), bytes) { return id }
            slot = (slot + 1) & mask
        }
    }

    /// True when label `id` (< ``count``) has these bytes: a guessed id checked without hashing.
    func matches(_ id: Int32, _ bytes: UnsafeRawBufferPointer) -> Bool { equal(Int(id), bytes) }

    /// Adds a label not yet in the index; returns its id (the count before).
    mutating func insert(_ bytes: UnsafeRawBufferPointer) -> Int32 {
        let id = Int32(hashes.count)
        arena.append(contentsOf: bytes)
        starts.append(arena.count)
        hashes.append(Self.hash(bytes))
        if hashes.count * 2 > slots.count {
            slots = [Int32](repeating: -1, count: slots.count * 2)
            for existing in hashes.indices { place(Int32(existing)) }
        } else {
            place(id)
        }
        return id
    }

    private mutating func place(_ id: Int32) {
        let mask = slots.count - 1
        var slot = Int(truncatingIfNeeded: hashes[Int(id)]) & mask
        while slots[slot] >= 0 { slot = (slot + 1) & mask }
        slots[slot] = id
    }

    private func equal(_ id: Int, _ bytes: UnsafeRawBufferPointer) -> Bool {
        let start = starts[id], end = starts[id + 1]
        guard end - start == bytes.count else { return false }
        return arena.withUnsafeBytes { stored in
            bytes.isEmpty || memcmp(stored.baseAddress! + start, bytes.baseAddress!, bytes.count) == 0
        }
    }

    /// FNV-1a, then a multiply-xorshift finish so the low bits used for the slot depend on every byte.
    private static func hash(_ bytes: UnsafeRawBufferPointer) -> UInt64 {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in bytes { h = (h ^ UInt64(byte)) &* 0x100_0000_01b3 }
        h ^= h >> 29
        h = h &* 0xbf58_476d_1ce4_e5b9
        return h ^ (h >> 32)
    }
}
