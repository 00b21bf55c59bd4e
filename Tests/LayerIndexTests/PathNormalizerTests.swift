import Testing
@testable import LayerIndex

@Suite struct PathNormalizerTests {
    @Test(arguments: [
        ("./a//b/../c/", "a/c"), ("/etc/passwd", "etc/passwd"), ("a/./b", "a/b"),
    ])
    func normalizes(raw: String, expected: String) {
        #expect(PathNormalizer.normalize(raw) == expected)
    }

    @Test func rejectsEscapesAndRoot() {
        #expect(PathNormalizer.normalize("../etc/shadow") == nil)
        #expect(PathNormalizer.normalize("a/../../b") == nil)
        #expect(PathNormalizer.normalize("./") == nil)
    }

    /// The fast path for names that are already clean must agree with the component walk on
    /// every spelling tar writers and hostile layers produce.
    @Test func fastPathAgreesWithTheComponentWalk() {
        let parts = ["a", ".", "..", "...", "", ".wh.x", "b.c", "\u{1B}", "é"]
        var names: [String] = []
        for x in parts { for y in parts { for z in parts { names.append([x, y, z].joined(separator: "/")) } } }
        names += names.map { "./" + $0 } + names.map { "/" + $0 } + names.map { $0 + "/" }
        for name in names {
            var parts: [Substring] = []
            var escaped = false
            for c in name.split(separator: "/") where c != "." {
                if c == ".." { if parts.isEmpty { escaped = true; break }; parts.removeLast() } else { parts.append(c) }
            }
            let expected = escaped || parts.isEmpty ? nil : parts.joined(separator: "/")
            #expect(PathNormalizer.normalize(name) == expected, "\(name)")
            if let fast = PathNormalizer.alreadyNormal(name) { #expect(fast == expected, "\(name)") }
        }
        #expect(PathNormalizer.alreadyNormal("./usr/share/doc/") == "usr/share/doc")
        #expect(PathNormalizer.alreadyNormal("usr//doc") == nil)
        #expect(PathNormalizer.isRoot("./") && PathNormalizer.isRoot("/") && PathNormalizer.isRoot(".//."))
        #expect(!PathNormalizer.isRoot("./a") && !PathNormalizer.isRoot(".."))
    }

    @Test func classifiesWhiteouts() {
        #expect(PathNormalizer.classify("home/node/.wh..npmrc") == ("home/node/.npmrc", .removal))
        #expect(PathNormalizer.classify("etc/creds/.wh..wh..opq") == ("etc/creds", .opaque))
        #expect(PathNormalizer.classify(".wh.build") == ("build", .removal))
        #expect(PathNormalizer.classify("plain/file") == ("plain/file", nil))
    }

    @Test func sanitizesControlCharacters() {
        #expect(Sanitize.line("a\u{1B}[31mb\nc") == "a\\e[31mb\\nc")
        #expect(Sanitize.bytes([0x61, 0xFF, 0x07]) == "a\\xff\\x07")
        #expect(Sanitize.line("\u{9B}x") == "\\x9bx")
    }
}
