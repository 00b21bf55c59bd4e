import LayerIndex
import Testing

@Suite struct TextReplacementTests {
    @Test func onePassLongestFirst() {
        let r = TextReplacement([("chars", "<c>"), ("abcdef", "x (9 chars)"), ("abc", "<a>"), ("", "never"), ("chars", "dup")])
        #expect(r.pairs.map(\.value) == ["abcdef", "chars", "abc"])
        // `abcdef` wins over its prefix `abc`; the `chars` in its replacement is not searched again.
        #expect(r.apply("abcdef chars abc") == "x (9 chars) <c> <a>")
        #expect(r.apply("") == "")
        #expect(TextReplacement([(String, String)]()).apply("abc") == "abc")
    }
}
