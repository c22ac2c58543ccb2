import Foundation

/// A read-only, memory-mapped `.npy` array of attributions: `[checkpoints, coefficients, components]`,
/// or `[checkpoints, components]` for one coefficient; float16, float32 or float64, either byte
/// order, C or Fortran order.
///
/// Pages are mapped, not read: memory stays bounded whatever the file's size, and pages of a
/// C-order checkpoint are released once it has been copied out.
///
/// ```swift
/// let array = try NPYArray(path: "run/attributions.npy")
/// var matrix = [Float](repeating: 0, count: array.coefficientCount * array.componentCount)
/// matrix.withUnsafeMutableBufferPointer { array.componentMajorSlice(checkpoint: 0, into: $0) }
/// ```
public final class NPYArray {
    public let path: String
    public let header: NPYHeader
    public let dtype: NPYHeader.DType
    public let checkpointCount: Int
    public let coefficientCount: Int
    public let componentCount: Int
    private let mapping: UnsafeRawPointer
    private let mappingLength: Int
    /// Element strides along (checkpoint, coefficient, component).
    private let strides: (checkpoint: Int, coefficient: Int, component: Int)

    /// The shape as stored in the file.
    public var shape: [Int] { header.shape }

    public convenience init(path: String) throws {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw IngestError(file: path, message: "cannot open for reading (\(String(cString: strerror(errno))))") }
        defer { close(fd) }
        try self.init(descriptor: fd, path: path)
    }

    /// Maps the open file `fd` (which the caller still owns and may close: the mapping outlives it);
    /// `path` names it in errors.
    init(descriptor fd: Int32, path: String) throws {
        self.path = path
        var info = stat()
        guard fstat(fd, &info) == 0 else { throw IngestError(file: path, message: "cannot read its size (\(String(cString: strerror(errno))))") }
        let size = Int(info.st_size)
        guard size > 0 else { throw IngestError(file: path, location: .offset(0), expected: "the .npy magic string '\\x93NUMPY'", found: "an empty file") }
        guard let mapped = mmap(nil, size, PROT_READ, MAP_PRIVATE, fd, 0), mapped != MAP_FAILED else {
            throw IngestError(file: path, message: "cannot map into memory (\(String(cString: strerror(errno))))")
        }
        let unmap = { _ = munmap(mapped, size) }
        do {
            let bytes = UnsafeRawBufferPointer(start: mapped, count: size)
            let header = try NPYHeader(parsing: bytes, file: path)
            let dtype = try header.floatDType(file: path)
            try header.checkDataSize(fileSize: size, itemSize: dtype.itemSize, file: path)
            let shape = header.shape
            guard shape.count == 2 || shape.count == 3 else {
                throw IngestError(file: path, location: .offset(header.shapeOffset), expected: "a 3-d array [checkpoints, coefficients, components] or a 2-d array [checkpoints, components]", found: "shape \(header.shapeText)")
            }
            let c = shape[0], j = shape.count == 3 ? shape[1] : 1, p = shape[shape.count - 1]
            self.header = header
            self.dtype = dtype
            checkpointCount = c
            coefficientCount = j
            componentCount = p
            strides = header.fortranOrder ? (1, c, c * j) : (j * p, p, 1)
        } catch {
            unmap()
            throw error
        }
        mapping = UnsafeRawPointer(mapped)
        mappingLength = size
        madvise(mapped, size, MADV_SEQUENTIAL)
    }

    deinit {
        munmap(UnsafeMutableRawPointer(mutating: mapping), mappingLength)
    }

    /// Copies checkpoint `checkpoint` into `destination` component-major —
    /// `destination[p * coefficientCount + j] = array[checkpoint, j, p]` — converting to Float.
    public func componentMajorSlice(checkpoint: Int, into destination: UnsafeMutableBufferPointer<Float>) {
        precondition(checkpoint >= 0 && checkpoint < checkpointCount && destination.count == coefficientCount * componentCount)
        guard let out = destination.baseAddress, coefficientCount * componentCount > 0 else { return }
        let data = mapping + header.dataOffset
        let first = checkpoint * strides.checkpoint
        if dtype.itemSize == 4 && !dtype.needsSwap && strides.component == 1 && Int(bitPattern: data) % 4 == 0 {
            // The common case: little-endian float32 in C order, a cache-blocked transpose.
            let source = data.assumingMemoryBound(to: Float.self) + first
            populate(checkpoint)
            NPYArray.transpose(source, rows: coefficientCount, columns: componentCount, into: out)
            releasePages(of: checkpoint)
        } else {
            let read = NPYArray.reader(for: dtype)
            for p in 0..<componentCount {
                let row = out + p * coefficientCount
                for j in 0..<coefficientCount {
                    row[j] = read(data, first + j * strides.coefficient + p * strides.component)
                }
            }
            if !header.fortranOrder { releasePages(of: checkpoint) }
        }
    }

    /// `out[c * rows + r] = source[r * columns + c]`, in tiles that stay in cache. Writes run
    /// along `out` (contiguous) and reads down a tile's columns: with 128 coefficients the other way
    /// round writes at a 512-byte stride, which maps every write of a tile onto the same few L1
    /// sets and ran at a third of this speed.
    static func transpose(_ source: UnsafePointer<Float>, rows: Int, columns: Int, into out: UnsafeMutablePointer<Float>) {
        let tile = 16
        var c0 = 0
        while c0 < columns {
            let c1 = min(c0 + tile, columns)
            var r0 = 0
            while r0 < rows {
                let r1 = min(r0 + tile, rows)
                for c in c0..<c1 {
                    let to = out + c * rows
                    var from = source + r0 * columns + c
                    for r in r0..<r1 {
                        to[r] = from.pointee
                        from += columns
                    }
                }
                r0 = r1
            }
            c0 = c1
        }
    }

    /// Element `index` of the data as a Float, for any supported dtype.
    static func reader(for dtype: NPYHeader.DType) -> (UnsafeRawPointer, Int) -> Float {
        let swap = dtype.needsSwap
        switch dtype.itemSize {
        case 2:
            return { data, index in
                let bits = data.loadUnaligned(fromByteOffset: index * 2, as: UInt16.self)
                return Float(Float16(bitPattern: swap ? bits.byteSwapped : bits))
            }
        case 8:
            return { data, index in
                let bits = data.loadUnaligned(fromByteOffset: index * 8, as: UInt64.self)
                return Float(Double(bitPattern: swap ? bits.byteSwapped : bits))
            }
        default:
            return { data, index in
                let bits = data.loadUnaligned(fromByteOffset: index * 4, as: UInt32.self)
                return Float(bitPattern: swap ? bits.byteSwapped : bits)
            }
        }
    }

    /// Maps a C-order checkpoint's pages in one call (MADV_POPULATE_READ, Linux 5.14+) rather than
    /// one page fault at a time; harmless where the kernel does not know it.
    private func populate(_ checkpoint: Int) {
        let page = Int(sysconf(Int32(_SC_PAGESIZE)))
        let bytes = strides.checkpoint * dtype.itemSize
        let start = (header.dataOffset + checkpoint * bytes) / page * page
        let end = min(header.dataOffset + (checkpoint + 1) * bytes, mappingLength)
        madvise(UnsafeMutableRawPointer(mutating: mapping + start), end - start, 22 /* MADV_POPULATE_READ */)
    }

    /// Hands a C-order checkpoint's pages back to the kernel: they are read once.
    private func releasePages(of checkpoint: Int) {
        let page = Int(sysconf(Int32(_SC_PAGESIZE)))
        let bytes = strides.checkpoint * dtype.itemSize
        let start = header.dataOffset + checkpoint * bytes
        let alignedStart = (start + page - 1) / page * page
        let alignedEnd = (start + bytes) / page * page
        guard alignedEnd > alignedStart else { return }
        madvise(UnsafeMutableRawPointer(mutating: mapping + alignedStart), alignedEnd - alignedStart, MADV_DONTNEED)
    }
}
