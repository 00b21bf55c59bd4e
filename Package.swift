// swift-tools-version: 6.0
// strata: what a container image really carries, layer by layer.
import PackageDescription

let package = Package(
    name: "strata",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "strata", targets: ["strata"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
    ],
    targets: [
        // System libraries (Debian -dev packages), each with a shim header for macros.
        .systemLibrary(name: "CZlib", pkgConfig: "zlib", providers: [.apt(["zlib1g-dev"])]),
        .systemLibrary(name: "CZstd", pkgConfig: "libzstd", providers: [.apt(["libzstd-dev"])]),
        .systemLibrary(name: "CNcursesw", pkgConfig: "ncursesw", providers: [.apt(["libncurses-dev"])]),
        .systemLibrary(name: "CVectorscan", pkgConfig: "libhs", providers: [.apt(["libvectorscan-dev"])]),
        .systemLibrary(name: "CPCRE2", pkgConfig: "libpcre2-8", providers: [.apt(["libpcre2-dev"])]),
        .systemLibrary(name: "CSQLite", pkgConfig: "sqlite3", providers: [.apt(["libsqlite3-dev"])]),
        // Headers only: libcurl itself is loaded with dlopen when a registry is first contacted.
        .systemLibrary(name: "CCurl", providers: [.apt(["libcurl4-openssl-dev"])]),
        .systemLibrary(name: "CCrypto", pkgConfig: "libcrypto", providers: [.apt(["libssl-dev"])]),

        // Value types: image, layer, entry, change set, layer stack.
        .target(name: "LayerIndex", dependencies: ["CCrypto"]),
        // Local image formats, tar reader, decompression streams, image writer.
        .target(name: "ImageSource", dependencies: ["LayerIndex", "CZlib", "CZstd"]),
        // OCI distribution client: references, auth, manifests, blobs.
        .target(name: "Registry", dependencies: ["LayerIndex", "ImageSource", "CCurl"]),
        // Rules, matcher, validators, suppression: bytes in, matches out.
        .target(name: "Detection", dependencies: ["LayerIndex", "CVectorscan", "CPCRE2", "CZlib"]),
        // Background jobs, event stream, persistent cache, image-aware findings.
        .target(name: "Scanner", dependencies: ["LayerIndex", "ImageSource", "Detection", "Lint", "CSQLite"]),
        // Table, JSON, SARIF, baselines, exit-code policy.
        .target(name: "Reporting", dependencies: ["LayerIndex", "Detection", "Scanner"]),
        // Dockerfile parser and checks, .dockerignore semantics.
        .target(name: "Lint", dependencies: ["LayerIndex", "Detection"]),
        // A terminal-free cell grid: text width, sanitising, key types.
        .target(name: "TermGrid", dependencies: ["LayerIndex"]),
        // Explorer state, actions, keymap, panes, event loop over a Terminal protocol.
        .target(name: "Explorer", dependencies: ["TermGrid", "LayerIndex", "ImageSource", "Detection", "Scanner"]),
        // The only code that calls ncurses.
        .target(name: "TerminalCurses", dependencies: ["TermGrid", "CNcursesw"]),
        // Command tree (argument-parser); a library so tests can drive it in-process.
        .target(name: "StrataCLI", dependencies: [
            "LayerIndex", "ImageSource", "Registry", "Detection", "Scanner", "Reporting", "Lint",
            "TermGrid", "Explorer", "TerminalCurses",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),
        .executableTarget(name: "strata", dependencies: ["StrataCLI"]),

        // Shared test helpers: fixture paths, running the built binary, temp dirs.
        .target(name: "TestSupport", dependencies: ["LayerIndex", "ImageSource"], path: "Tests/TestSupport"),
        .testTarget(name: "LayerIndexTests", dependencies: ["LayerIndex", "TestSupport"]),
        .testTarget(name: "ImageSourceTests", dependencies: ["ImageSource", "TestSupport"], resources: []),
        .testTarget(name: "RegistryTests", dependencies: ["Registry", "ImageSource", "Scanner", "TestSupport"]),
        .testTarget(name: "DetectionTests", dependencies: ["Detection", "TestSupport"]),
        .testTarget(name: "ScannerTests", dependencies: ["Scanner", "Reporting", "TestSupport"]),
        .testTarget(name: "LintTests", dependencies: ["Lint", "TestSupport"]),
        .testTarget(name: "ExplorerTests", dependencies: ["Explorer", "TermGrid", "TerminalCurses", "TestSupport"]),
        .testTarget(name: "CLITests", dependencies: ["StrataCLI", "TestSupport"]),
    ],
    swiftLanguageModes: [.v6]
)
