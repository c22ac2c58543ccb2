// swift-tools-version:6.0
// libFuzzer harnesses for attrdb's readers. A package of its own, outside the library's, so the
// fuzzer and sanitizer flags never reach the targets that other packages depend on. Built and run
// only by `make fuzz` (see the Makefile): `swift build --package-path Fuzzing --sanitize=fuzzer
// --sanitize=address -Xswiftc -enable-testing`, each harness reaching the readers' internal entry
// points through `@testable import AttrDB`.
import Foundation
import PackageDescription

// A path dependency's identity is its folder's name, which is whatever the checkout is called.
let library = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()

let harnesses = ["FuzzNPYHeader", "FuzzNPY", "FuzzNPZ", "FuzzCSV", "FuzzJSONLines", "FuzzJSON", "FuzzAxes", "FuzzGzip", "FuzzFrames"]

let package = Package(
    name: "attrdb-fuzz",
    dependencies: [.package(path: library.path)],
    targets: [
        // libFuzzer's driver, called from each harness's main (SwiftPM gives executables a main of
        // their own, so libFuzzer's cannot be the one).
        .systemLibrary(name: "CLibFuzzer", path: "Sources/CLibFuzzer"),
        .target(name: "FuzzSupport", dependencies: ["CLibFuzzer", .product(name: "AttrDB", package: library.lastPathComponent.lowercased())], path: "Sources/FuzzSupport"),
    ] + harnesses.map { name in
        .executableTarget(name: name, dependencies: ["FuzzSupport", .product(name: "AttrDB", package: library.lastPathComponent.lowercased())], path: "Sources/\(name)")
    },
    swiftLanguageModes: [.v6]
)
