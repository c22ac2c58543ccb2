// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "attrdb",
    products: [
        .library(name: "AttrDB", targets: ["AttrDB"]),
        .library(name: "AttrDBServer", targets: ["AttrDBServer"]),
        .executable(name: "attrdb", targets: ["attrdb"]),
    ],
    dependencies: [
        // The command line: subcommands, option groups, validation and help.
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        // Reading `.npz` archives (zip files of `.npy` members).
        .package(url: "https://github.com/weichsel/ZIPFoundation", from: "0.9.19"),
        // `attrdb serve`: the HTTP server (routing, request/response types, graceful shutdown on
        // SIGINT/SIGTERM through swift-service-lifecycle) behind the JSON API and the dashboard.
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.0.0"),
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
        // printf's fixed-point and exponent digits for the formats people read, through one
        // non-variadic C function (no library to link: a header in the C library's own terms).
        .systemLibrary(name: "CNumberFormat"),
        .target(
            name: "AttrDB",
            dependencies: [
                "CNumberFormat",
                "CSQLite",
                "CSystemZlib",
                "CZstd",
                .product(name: "ZIPFoundation", package: "ZIPFoundation"),
            ]
            // No unsafe flags (they would make the package unusable as a versioned dependency): the
            // release build is plain -O; the hot loops avoid bounds checks through unsafe buffers.
        ),
        // The web application of `attrdb serve`: routes, the JSON API over the library's typed
        // results, the dashboard's assets. A library of its own so the CLI command stays thin and
        // the library `AttrDB` keeps no dependency on an HTTP server.
        .target(
            name: "AttrDBServer",
            dependencies: [
                "AttrDB",
                .product(name: "Hummingbird", package: "hummingbird"),
            ]
        ),
        .executableTarget(
            name: "attrdb",
            dependencies: [
                "AttrDB",
                "AttrDBServer",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .testTarget(name: "AttrDBTests", dependencies: ["AttrDB", "CSQLite"]),
        .testTarget(name: "CLITests", dependencies: ["AttrDB", "attrdb"]),
    ],
    swiftLanguageModes: [.v6]
)
