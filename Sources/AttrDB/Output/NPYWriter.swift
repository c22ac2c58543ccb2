import Foundation

/// Writes a NumPy `.npy` file (format 1.0, C order): the header padded so data starts on a
/// 64-byte boundary, as numpy writes it, then the values streamed in.
///
/// ```swift
/// let writer = try NPYWriter(path: "capacity.npy", dtype: .float64, shape: [4, 2])
/// try writer.append([1, 2, 3, 4, 5, 6, 7, 8] as [Double])
/// try writer.finish()
/// ```
public final class NPYWriter {
    public enum DType: String, Sendable {
        case float32 = "<f4"
        case float64 = "<f8"
        var size: Int { self == .float32 ? 4 : 8 }
    }

    public let shape: [Int]
    public let dtype: DType
    private let sink: OutputSink
    /// Whether ``finish()`` moves the file into place, or leaves that to the sink's owner.
    private let ownsSink: Bool
    private var written = 0

    /// Writes into `sink`, which the caller finishes (so it can finish other files first).
    public convenience init(sink: OutputSink, dtype: DType, shape: [Int]) throws {
        try self.init(sink: sink, owned: false, dtype: dtype, shape: shape)
    }

    /// Writes the file at `path`; ``finish()`` moves it into place.
    public convenience init(path: String, dtype: DType, shape: [Int]) throws {
        try self.init(sink: try OutputSink.file(path), owned: true, dtype: dtype, shape: shape)
    }

    private init(sink: OutputSink, owned: Bool, dtype: DType, shape: [Int]) throws {
        self.sink = sink
        ownsSink = owned
        self.dtype = dtype
        self.shape = shape
        let shapeText = shape.count == 1 ? "(\(shape[0]),)" : "(" + shape.map(String.init).joined(separator: ", ") + ")"
        var header = "{'descr': '\(dtype.rawValue)', 'fortran_order': False, 'shape': \(shapeText), }"
        let unpadded = 10 + header.utf8.count + 1
        header += String(repeating: " ", count: (64 - unpadded % 64) % 64) + "\n"
        var bytes: [UInt8] = [0x93] + Array("NUMPY".utf8) + [1, 0]
        let length = UInt16(header.utf8.count)
        bytes += [UInt8(length & 0xFF), UInt8(length >> 8)]
        bytes += Array(header.utf8)
        try sink.write(bytes)
    }

    public func append(_ values: UnsafeBufferPointer<Float>) throws {
        precondition(dtype == .float32)
        try sink.write(UnsafeRawBufferPointer(values))
        written += values.count
    }

    public func append(_ values: [Double]) throws {
        precondition(dtype == .float64)
        try values.withUnsafeBytes { try sink.write($0) }
        written += values.count
    }

    /// Checks every value the shape promised was written, then flushes (and finishes a file it owns).
    public func finish() throws {
        let expected = shape.reduce(1, *)
        guard written == expected else {
            throw StoreError.badInput("npy export: wrote \(written) values for shape \(shape) (\(expected) values)")
        }
        try ownsSink ? sink.finish() : sink.flush()
    }
}
