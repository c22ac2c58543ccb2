/// xxHash64 (seed 0), the checksum stored with every matrix (`attribution.checksum`, schema/README.md).
///
/// Plain Swift over 8-byte little-endian words, four independent lanes per 32-byte stripe, so the
/// multiplies pipeline: several GB/s on one core, against the ~1 GB/s a table-driven CRC-32C reached
/// here without the SSE 4.2 instruction (schema/README.md has the measurements). It is the algorithm of
/// the reference implementation, `xxhash.xxh64_intdigest(blob)` in Python, bit for bit.
enum XXHash64 {
    private static let p1: UInt64 = 11_400_714_785_074_694_791
    private static let p2: UInt64 = 14_029_467_366_897_019_727
    private static let p3: UInt64 = 1_609_587_929_392_839_161
    private static let p4: UInt64 = 9_650_029_242_287_828_579
    private static let p5: UInt64 = 2_870_177_450_012_600_261

    /// The hash of `bytes` with seed 0.
    static func digest(_ bytes: UnsafeRawBufferPointer) -> UInt64 {
        let count = bytes.count
        guard let base = bytes.baseAddress else { return avalanche(p5) }
        var offset = 0
        var h: UInt64
        if count >= 32 {
            var v1 = p1 &+ p2, v2 = p2, v3: UInt64 = 0, v4: UInt64 = 0 &- p1
            let stripes = count / 32 * 32
            while offset < stripes {
                v1 = round(v1, word(base, offset))
                v2 = round(v2, word(base, offset + 8))
                v3 = round(v3, word(base, offset + 16))
                v4 = round(v4, word(base, offset + 24))
                offset += 32
            }
            h = rotl(v1, 1) &+ rotl(v2, 7) &+ rotl(v3, 12) &+ rotl(v4, 18)
            h = merge(h, v1); h = merge(h, v2); h = merge(h, v3); h = merge(h, v4)
        } else {
            h = p5
        }
        h &+= UInt64(count)
        while offset + 8 <= count {
            h ^= round(0, word(base, offset))
            h = rotl(h, 27) &* p1 &+ p4
            offset += 8
        }
        if offset + 4 <= count {
            h ^= UInt64(UInt32(littleEndian: base.loadUnaligned(fromByteOffset: offset, as: UInt32.self))) &* p1
            h = rotl(h, 23) &* p2 &+ p3
            offset += 4
        }
        while offset < count {
            h ^= UInt64(base.load(fromByteOffset: offset, as: UInt8.self)) &* p5
            h = rotl(h, 11) &* p1
            offset += 1
        }
        return avalanche(h)
    }

    /// The hash as SQLite stores it: an INTEGER is signed 64-bit, so the same 64 bits read as Int64.
    static func storedValue(_ bytes: UnsafeRawBufferPointer) -> Int64 {
        Int64(bitPattern: digest(bytes))
    }

    @inline(__always) private static func word(_ base: UnsafeRawPointer, _ offset: Int) -> UInt64 {
        UInt64(littleEndian: base.loadUnaligned(fromByteOffset: offset, as: UInt64.self))
    }

    @inline(__always) private static func rotl(_ x: UInt64, _ r: UInt64) -> UInt64 {
        (x << r) | (x >> (64 - r))
    }

    @inline(__always) private static func round(_ acc: UInt64, _ input: UInt64) -> UInt64 {
        rotl(acc &+ input &* p2, 31) &* p1
    }

    @inline(__always) private static func merge(_ acc: UInt64, _ lane: UInt64) -> UInt64 {
        (acc ^ round(0, lane)) &* p1 &+ p4
    }

    @inline(__always) private static func avalanche(_ value: UInt64) -> UInt64 {
        var h = value
        h ^= h >> 33
        h &*= p2
        h ^= h >> 29
        h &*= p3
        h ^= h >> 32
        return h
    }
}
