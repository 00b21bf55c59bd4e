import Detection
import Foundation
import Testing

/// UTF-16 text is recognised and turned into the UTF-8 the rules match.
@Suite struct UTF16TextTests {
    func encode(_ text: String, _ order: UTF16Text.ByteOrder, bom: Bool) -> [UInt8] {
        var out: [UInt8] = bom ? (order == .littleEndian ? [0xFF, 0xFE] : [0xFE, 0xFF]) : []
        for unit in text.utf16 {
            let (lo, hi) = (UInt8(unit & 0xFF), UInt8(unit >> 8))
            out += order == .littleEndian ? [lo, hi] : [hi, lo]
        }
        return out
    }

    let sample = "API_TOKEN=abc123\r\nname = \"Zoë 🔑 ok\"\n"

    @Test(arguments: [UTF16Text.ByteOrder.littleEndian, .bigEndian], [true, false])
    func detectsAndDecodes(order: UTF16Text.ByteOrder, bom: Bool) {
        let bytes = encode(sample + String(repeating: "padding line of plain ascii\n", count: 3), order, bom: bom)
        #expect(UTF16Text.detect(bytes) == order)
        #expect(String(decoding: UTF16Text.utf8(bytes, order: order), as: UTF8.self)
                == sample + String(repeating: "padding line of plain ascii\n", count: 3))
    }

    /// Chunks may split a code unit or a surrogate pair anywhere.
    @Test func streamsAcrossAnySplit() {
        let bytes = encode(sample, .littleEndian, bom: true)
        for cut in 0...bytes.count {
            var decoder = UTF16Decoder(order: .littleEndian)
            var out: [UInt8] = []
            bytes[..<cut].withUnsafeBytes { decoder.decode($0, into: &out) }
            bytes[cut...].withUnsafeBytes { decoder.decode($0, into: &out) }
            decoder.finish(into: &out)
            #expect(String(decoding: out, as: UTF8.self) == sample, "cut at \(cut)")
        }
    }

    @Test func brokenUnitsBecomeReplacementCharacters() {
        // A lone high surrogate, a lone low surrogate, then a dangling byte.
        let bytes: [UInt8] = [0x41, 0x00, 0x00, 0xD8, 0x42, 0x00, 0x00, 0xDC, 0x43, 0x00, 0x44]
        #expect(String(decoding: UTF16Text.utf8(bytes, order: .littleEndian), as: UTF8.self) == "A\u{FFFD}B\u{FFFD}C\u{FFFD}")
    }

    /// Binary data with many zero bytes is not taken for UTF-16: small integers, random bytes,
    /// UTF-32 with its mark, plain UTF-8.
    @Test func binaryIsNotText() {
        var generator = SystemRandomNumberGenerator()
        let smallInts: [UInt8] = (0..<512).flatMap { _ in [UInt8.random(in: 0...40, using: &generator), 0] }
        let random: [UInt8] = (0..<1024).map { _ in UInt8.random(in: 0...255, using: &generator) }
        let utf32: [UInt8] = [0xFF, 0xFE, 0, 0] + Array(repeating: [0x41, 0, 0, 0], count: 40).flatMap { $0 }
        for bytes in [smallInts, random, utf32, Array(sample.utf8), Array(repeating: 0, count: 200)] {
            #expect(UTF16Text.detect(bytes) == nil)
        }
        #expect(UTF16Text.detect([0x41, 0x00]) == nil, "too short to tell without a mark")
    }
}
