import CLibFuzzer
import Foundation

/// Where harnesses whose reader takes a path put each input: one folder per fuzzing process (so
/// parallel jobs never share a file), on a RAM-backed file system where there is one, because the
/// file is rewritten for every one of millions of inputs.
public enum Scratch {
    private static let folder: String = {
        let base = FileManager.default.fileExists(atPath: "/dev/shm") ? "/dev/shm" : NSTemporaryDirectory()
        let path = "\(base)/attrdb-libfuzzer-\(getpid())"
        try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        // Removed when the fuzzer exits normally; a crash leaves it for the reproduction.
        atexit { try? FileManager.default.removeItem(atPath: Scratch.folder) }
        return path
    }()

    /// Writes `bytes` to the file `name` in this process's folder and returns its path.
    public static func write(_ bytes: UnsafeRawBufferPointer, name: String) -> String {
        let path = "\(folder)/\(name)"
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
        precondition(fd >= 0, "cannot write the fuzz input \(path): \(String(cString: strerror(errno)))")
        defer { close(fd) }
        var written = 0
        while written < bytes.count {
            let n = Foundation.write(fd, bytes.baseAddress! + written, bytes.count - written)
            precondition(n > 0, "cannot write the fuzz input \(path): \(String(cString: strerror(errno)))")
            written += n
        }
        return path
    }
}

/// Hands the process to libFuzzer, which calls `harness` with each input (its flags and corpus
/// folders come from the command line, as for any libFuzzer binary).
public func runLibFuzzer(_ harness: @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt) -> Never {
    var argc = CommandLine.argc
    var argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = CommandLine.unsafeArgv
    exit(LLVMFuzzerRunDriver(&argc, &argv, harness))
}

/// The bytes libFuzzer hands a harness (its pointer may be null when the input is empty).
public func fuzzInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> UnsafeRawBufferPointer {
    UnsafeRawBufferPointer(start: data.map(UnsafeRawPointer.init), count: data == nil ? 0 : size)
}
