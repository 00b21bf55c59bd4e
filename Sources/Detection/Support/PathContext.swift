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
        return markers.contains { p.contains($0) }
    }
}
