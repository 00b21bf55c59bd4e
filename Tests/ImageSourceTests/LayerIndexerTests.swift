import Foundation
import Testing
@testable import ImageSource
import LayerIndex
import TestSupport

private let descriptor = LayerDescriptor(index: 3, digest: Digest(hex: String(repeating: "a", count: 64)),
                                         diffID: Digest(hex: String(repeating: "a", count: 64)), size: 0,
                                         mediaType: MediaTypes.ociLayer, compression: .none)

private final class Collector: LayerVisitor, FileContentSink {
    var files: [String: [UInt8]] = [:]
    var current: [UInt8] = []
    var finished: [Entry] = []
    func beginFile(_ entry: Entry) -> FileContentSink? { entry.path.hasSuffix(".skip") ? nil : self }
    func consume(_ bytes: UnsafeRawBufferPointer) { current += bytes }
    func finish(_ entry: Entry) {
        files[entry.path] = current
        current = []
        finished.append(entry)
    }
}

private func index(_ tar: [UInt8], visitor: LayerVisitor? = nil) throws -> LayerContents {
    try LayerIndexer(image: "test-image").index(stream: MemoryByteStream(tar), layer: descriptor, visitor: visitor)
}

@Suite struct LayerIndexerTests {
    @Test func entriesCarryMetadataAndContentDigests() throws {
        let tar = TarWriter.archive([
            .dir("./app/"), TarWriterEntry(name: "./app/run.sh", kind: .file(Array("echo hi\n".utf8)), mode: 0o755, uid: 1000, gid: 50, mtime: 42),
            .hardlink("app/again.sh", to: "./app/run.sh"), .symlink("app/link", to: "../etc/passwd"),
            TarWriterEntry(name: "dev/tty", kind: .characterDevice(major: 5, minor: 0), mode: 0o666),
        ])
        let c = try index(tar)
        #expect(c.entries.map(\.path) == ["app", "app/run.sh", "app/again.sh", "app/link", "dev/tty"])
        let run = c.entries[1]
        #expect(run.type == .file && run.mode == 0o755 && run.uid == 1000 && run.gid == 50 && run.size == 8 && run.modified == 42)
        #expect(run.sha256 == SHA256Hasher.hex(of: Array("echo hi\n".utf8)))
        #expect(c.entries[2].type == .hardlink && c.entries[2].linkTarget == "app/run.sh" && c.entries[2].sha256 == run.sha256)
        #expect(c.entries[3].type == .symlink && c.entries[3].linkTarget == "../etc/passwd")
        #expect(c.entries[4].type == .other && c.entries[4].deviceKind == "char 5:0")
        #expect(c.problems.isEmpty)
    }

    @Test func whiteoutsBecomeEntriesAtTheRemovedPath() throws {
        let c = try index(TarWriter.archive([
            .whiteout("home/node/.npmrc"), .opaque("var/lib/creds"), .whiteout("opt/build"), .opaque(""),
        ]))
        #expect(c.entries.map(\.path) == ["home/node/.npmrc", "var/lib/creds", "opt/build", ""])
        #expect(c.entries.map(\.whiteout) == [.removal, .opaque, .removal, .opaque])
    }

    @Test func visitorSeesEachFileOnceWithItsDigest() throws {
        let content = (0..<700_000).map { UInt8(truncatingIfNeeded: $0 &* 13) }
        let collector = Collector()
        let c = try index(TarWriter.archive([.file("big.bin", bytes: content), .file("x.skip", "no"), .file("small", "s")]),
                          visitor: collector)
        #expect(collector.files["big.bin"] == content)
        #expect(collector.files["x.skip"] == nil)
        #expect(collector.finished.map(\.path) == ["big.bin", "small"])
        #expect(collector.finished[0].sha256 == SHA256Hasher.hex(of: content))
        #expect(c.entries[1].sha256 == SHA256Hasher.hex(of: Array("no".utf8)))
    }

    @Test func pathEscapingTheRootIsSkippedAndReported() throws {
        let c = try index(TarWriter.archive([.file("../../etc/cron.d/evil", "x"), .file("ok", "1"), .file("a/../../b", "y")]))
        #expect(c.entries.map(\.path) == ["ok"])
        #expect(c.problems.count == 2)
        #expect(c.problems[0].hasPrefix("../../etc/cron.d/evil: path escapes the image root"))
    }

    @Test func controlCharacterNamesAreKeptAndReportedSanitised() throws {
        let name = "tmp/\u{1B}[2Jcleared\nfake.txt"
        let c = try index(TarWriter.archive([.file(name, "x"), .whiteout(name)]))
        #expect(c.entries.map(\.path) == [name, name])
        #expect(c.problems.count == 2)
        #expect(c.problems[0] == "tmp/\\e[2Jcleared\\nfake.txt: name contains control characters")
        #expect(c.problems.allSatisfy { Sanitize.isClean($0) })
    }

    @Test func invalidUTF8NamesAreEscaped() throws {
        var tar = TarWriter.archive([.file("bad-XX", "x")])
        tar[4] = 0xff
        tar[5] = 0xfe
        for i in 148..<156 { tar[i] = 0x20 }
        let sum = tar[0..<512].reduce(0) { $0 + Int($1) }
        let text = Array((String(repeating: "0", count: 6 - String(sum, radix: 8).count) + String(sum, radix: 8)).utf8)
        for i in 0..<6 { tar[148 + i] = text[i] }
        tar[154] = 0
        let c = try index(tar)
        #expect(c.entries.map(\.path) == ["bad-\\xff\\xfe"])
        #expect(c.problems.first?.contains("not valid UTF-8") == true)
    }

    @Test func truncationKeepsThePartialContents() throws {
        let tar = TarWriter.archive([.file("first", "1"), .file("second", String(repeating: "2", count: 4000)), .file("third", "3")])
        let error = #expect(throws: LayerReadError.self) { try index(Array(tar.prefix(512 * 3 + 100))) }
        #expect(error?.partial.entries.map(\.path) == ["first"])
        #expect(error?.error.layer == 3 && error?.error.image == "test-image" && error?.error.path == "second")
        #expect(error?.description.hasPrefix("test-image: layer 3 (aaaaaaaaaaaa): second: tar stream is truncated") == true)
    }
}

@Suite struct HostileWhiteoutTests {
    @Test func emptyWhiteoutNameIsIgnoredAndAufsMetadataSkipped() throws {
        let c = try LayerIndexer().index(stream: MemoryByteStream(TarWriter.archive([
            .file(".wh.", ""), .file("dir/.wh.", ""), .dir(".wh..wh.plnk"), .file(".wh..wh.aufs", ""), .file("ok", "1"),
        ])), layer: descriptor)
        #expect(c.entries.map(\.path) == ["ok"])
        #expect(c.problems.count == 2 && c.problems.allSatisfy { $0.contains("whiteout with an empty name") })
    }
}

@Suite struct BoundedProblemTests {
    @Test func problemsAreCappedPerLayer() throws {
        let names = (0..<50).map { TarWriterEntry.file("bad\u{1}\($0)", "") }
        var indexer = LayerIndexer()
        indexer.maxProblems = 10
        let c = try indexer.index(stream: MemoryByteStream(TarWriter.archive(names)), layer: descriptor)
        #expect(c.entries.count == 50)
        #expect(c.problems.count == 11 && c.problems.last == "… and 40 more problems in this layer")
    }

    @Test func unknownPAXKeysAreDropped() throws {
        var records: [String: String] = [:]
        try PAXRecords.parse(TarWriter.paxRecords([("SCHILY.xattr.user.big", Array("v".utf8)), ("path", Array("p".utf8))]),
                             into: &records)
        #expect(records == ["path": "p"])
    }
}
