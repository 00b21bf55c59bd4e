import Detection
import Foundation
import Testing
import TestSupport

/// Bounded in-memory gunzip for small embedded payloads.
@Suite struct DecompressionTests {
    func gzipFixture() throws -> [UInt8] {
        let root = Fixtures.secretsCorpus
        let enumerator = FileManager.default.enumerator(at: root, includingPropertiesForKeys: nil)!
        for case let url as URL in enumerator where url.pathExtension == "gz" && !url.lastPathComponent.hasSuffix(".tar.gz") {
            return [UInt8](try Data(contentsOf: url))
        }
        throw CocoaError(.fileNoSuchFile)
    }

    @Test func inflatesWithinTheLimitOnly() throws {
        let gz = try gzipFixture()
        let text = try #require(Decompression.gunzip(gz))
        #expect(!text.isEmpty)
        #expect(text.withUnsafeBytes { ContentSniffer.isProbablyText($0) })
        #expect(Decompression.gunzip(gz, limit: 16) == nil)
    }

    @Test func corruptOrTruncatedInputGivesNil() throws {
        let gz = try gzipFixture()
        var corrupt = gz
        for i in 12..<min(40, corrupt.count) { corrupt[i] ^= 0xA5 }
        #expect(Decompression.gunzip(corrupt) == nil)
        #expect(Decompression.gunzip(Array(gz.prefix(gz.count / 2))).map { $0.count < 1_000_000 } ?? true)
        #expect(Decompression.gunzip([]) == nil)
        #expect(Decompression.gunzip(Array("not gzip at all".utf8)) == nil)
    }
}
