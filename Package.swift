// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "attrdb",
    products: [
        .library(name: "AttrDB", targets: ["AttrDB"]),
        .executable(name: "attrdb", targets: ["attrdb"]),
    ],
    dependencies: [
        // The command line: subcommands, option groups, validation and help.
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        // Reading `.npz` archives (zip files of `.npy` members).
        .package(url: "https://github.com/weichsel/ZIPFoundation", from: "0.9.19"),
    ],
    targets: [
        // The system libsqlite3 (Debian: libsqlite3-dev), through a module map and one shim header.
        .systemLibrary(
            name: "CSQLite",
            pkgConfig: "sqlite3",
            providers: [.apt(["libsqlite3-dev"])]
        ),
        // The system zlib (Debian: zlib1g-dev): gzip members, their CRC-32 and length trailers. Not
        // "CZlib": ZIPFoundation defines a module of that name on Linux.
        .systemLibrary(
            name: "CSystemZlib",
            pkgConfig: "zlib",
            providers: [.apt(["zlib1g-dev"])]
        ),
        // The system zstd (Debian: libzstd-dev): Parquet pages compressed with ZSTD, the codec that
        // brings `export values` to pyarrow's file size (its dictionary indices and repeated labels
        // compress well); nothing in Swift or the other C libraries implements it.
        .systemLibrary(
            name: "CZstd",
            pkgConfig: "libzstd",
            providers: [.apt(["libzstd-dev"])]
        ),
        .target(
            name: "AttrDB",
            dependencies: [
                "CSQLite",
                "CSystemZlib",
                "CZstd",
                .product(name: "ZIPFoundation", package: "ZIPFoundation"),
            ]
            // No unsafe flags (they would make the package unusable as a versioned dependency): the
            // release build is plain -O; the hot loops avoid bounds checks through unsafe buffers.
        ),
        .executableTarget(
            name: "attrdb",
            dependencies: [
                "AttrDB",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .testTarget(name: "AttrDBTests", dependencies: ["AttrDB", "CSQLite"]),
        .testTarget(name: "CLITests", dependencies: ["AttrDB", "attrdb"]),
    ],
    swiftLanguageModes: [.v6]
)
