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
