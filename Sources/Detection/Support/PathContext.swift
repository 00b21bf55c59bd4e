/// Where a file sits says something about its secrets: keys shipped in package documentation,
/// examples and test suites are published test material (libgnutls, xmlsec and Python packages
/// carry dozens). Findings there are kept, marked, and lowered to `low` so the default
/// `--fail-on medium` does not fire on a distribution's own files.
public enum PathContext {
    static let markers = [
        "usr/share/doc/", "/examples/", "/example/", "/samples/", "/sample/", "/test/", "/tests/", "/testdata/",
        "/testing/", "/__tests__/", "/spec/", "/t/", "/demo/", "/demos/", "usr/share/gtk-doc/", "/unittest/",
        "/test-data/", "/testcases/", "/fixtures/",
    ]

    /// True when `path` lies in documentation, examples or a test suite.
    public static func isDocumentationOrTest(_ path: String) -> Bool {
        let p = "/" + path.lowercased()
        if markers.contains(where: { p.contains($0) }) { return true }
        // Directory names such as `testserver`, `unit_tests`, `dummyserver`, `mocks`.
        return p.split(separator: "/").dropLast().contains { d in
            d.hasPrefix("test") || d.hasSuffix("test") || d.hasSuffix("tests") || d.contains("dummy") || d.hasPrefix("mock")
                || d.contains("fixture") || d.hasPrefix("example")
        }
    }

    static let libraryMarkers = ["/dist-packages/", "/site-packages/", "/node_modules/", "/vendor/", "/third_party/",
                                 "/vendored/", "/gems/", "usr/share/", "usr/lib/", "/go/pkg/mod/", "/.cargo/registry/"]

    /// True inside installed third-party packages (system or language package directories).
    public static func isInstalledLibrary(_ path: String) -> Bool {
        let p = "/" + path.lowercased()
        return libraryMarkers.contains { p.contains($0) }
    }

    static let sourceExtensions: Set<String> = ["py", "js", "mjs", "cjs", "ts", "tsx", "jsx", "go", "java", "kt", "kts",
                                                "scala", "rb", "php", "cs", "swift", "c", "h", "cc", "cpp", "hpp", "rs",
                                                "pl", "pm", "lua", "dart", "groovy", "m", "mm", "vim", "tcl", "tm", "el",
                                                "ex", "exs", "erl", "clj", "hs", "ml", "r", "jl"]

    /// True for program source files (by extension).
    public static func isSourceCode(_ path: String) -> Bool {
        guard let dot = path.lastIndex(of: "."), !path[dot...].contains("/") else { return false }
        return sourceExtensions.contains(path[path.index(after: dot)...].lowercased())
    }
}
