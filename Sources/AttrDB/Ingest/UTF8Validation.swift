/// Where UTF-8 text goes wrong. Every text reader refuses invalid UTF-8 rather than storing
/// U+FFFD in its place: a label that changed on the way in could never be matched again.
enum UTF8Validation {
    /// The offset of the first byte that starts an invalid UTF-8 sequence, or nil. Written out
    /// (RFC 3629's table) because the standard library's decoder reads ahead and so cannot say
    /// exactly where a sequence went wrong.
    static func invalidOffset(_ bytes: UnsafeRawBufferPointer) -> Int? {
        var i = 0
        while i < bytes.count {
            let lead = bytes[i]
            if lead < 0x80 { i += 1; continue }
            let length: Int, low: UInt8, high: UInt8
            switch lead {
            case 0xC2...0xDF: (length, low, high) = (2, 0x80, 0xBF)
            case 0xE0: (length, low, high) = (3, 0xA0, 0xBF)
            case 0xE1...0xEC, 0xEE...0xEF: (length, low, high) = (3, 0x80, 0xBF)
            case 0xED: (length, low, high) = (3, 0x80, 0x9F)
            case 0xF0: (length, low, high) = (4, 0x90, 0xBF)
            case 0xF1...0xF3: (length, low, high) = (4, 0x80, 0xBF)
            case 0xF4: (length, low, high) = (4, 0x80, 0x8F)
            default: return i
            }
            guard i + length <= bytes.count, (low...high).contains(bytes[i + 1]) else { return i }
            for k in 2..<length where !(0x80...0xBF).contains(bytes[i + k]) { return i }
            i += length
        }
        return nil
    }

    /// "the byte 0xff, which is not valid UTF-8": the found-part of an error.
    static func describe(_ byte: UInt8) -> String {
        "the byte 0x\(String(byte, radix: 16)), which is not valid UTF-8"
    }
}
