import Foundation
import Testing
@testable import ImageSource
import LayerIndex
import TestSupport

private func members(_ tar: [UInt8], bufferSize: Int = 4096) throws -> [(TarMember, [UInt8])] {
    let reader = TarReader(MemoryByteStream(tar), bufferSize: bufferSize)
    var out: [(TarMember, [UInt8])] = []
    while let m = try reader.next() {
        var content: [UInt8] = []
        try reader.readContent { content += $0 }
        out.append((m, content))
    }
    return out
}

@Suite struct TarReaderTests {
    @Test func readsEveryKindOfMember() throws {
        let tar = TarWriter.archive([
            .dir("etc"), .file("etc/passwd", "root:x:0:0"), .symlink("etc/link", to: "/etc/passwd"),
            .hardlink("etc/hard", to: "etc/passwd"),
            TarWriterEntry(name: "dev/null", kind: .characterDevice(major: 1, minor: 3), mode: 0o666),
            TarWriterEntry(name: "dev/sda", kind: .blockDevice(major: 8, minor: 0), mode: 0o660),
            TarWriterEntry(name: "run/fifo", kind: .fifo, mode: 0o600),
        ])
        let m = try members(tar)
        #expect(m.map(\.0.kind) == [.directory, .regular, .symlink, .hardlink, .characterDevice, .blockDevice, .fifo])
        #expect(m[1].1 == Array("root:x:0:0".utf8))
        #expect(m[2].0.linkName == "/etc/passwd" && m[3].0.linkName == "etc/passwd")
        #expect(m[4].0.devMajor == 1 && m[4].0.devMinor == 3)
    }

    @Test(arguments: [TarWriter.LongNames.pax, .gnu])
    func longNamesAndLinks(style: TarWriter.LongNames) throws {
        let longDir = (0..<30).map { "directory\($0)" }.joined(separator: "/")
        let name = longDir + "/" + String(repeating: "f", count: 120)
        let target = "/" + String(repeating: "t", count: 150)
        let tar = TarWriter.archive([.file(name, "content"), .symlink(longDir + "/s", to: target)], longNames: style)
        let m = try members(tar)
        #expect(m.count == 2)
        #expect(m[0].0.name == name && m[0].1 == Array("content".utf8))
        #expect(m[1].0.linkName == target)
    }

    @Test func ustarPrefixSplitsNames() throws {
        let name = String(repeating: "a", count: 90) + "/" + String(repeating: "b", count: 90)
        let tar = TarWriter.archive([.file(name, "x")])
        // No PAX header needed: the name fits prefix + name.
        #expect(tar.count == 512 * 2 + 1024)
        #expect(try members(tar)[0].0.name == name)
    }

    @Test func bigContentStreamsThroughASmallBuffer() throws {
        let big = (0..<300_000).map { UInt8(truncatingIfNeeded: $0 &* 7) }
        let tar = TarWriter.archive([.file("big", bytes: big), .file("after", "x")])
        let m = try members(tar, bufferSize: 4096)
        #expect(m[0].1 == big && m[1].0.name == "after")
    }

    @Test func corruptHeaderChecksumIsAnError() throws {
        var tar = TarWriter.archive([.file("a", "1"), .file("b", "2")])
        tar[512 * 2 + 10] ^= 0xff  // second header's name
        let reader = TarReader(MemoryByteStream(tar))
        _ = try reader.next()
        let error = #expect(throws: StrataError.self) { try reader.next() }
        #expect(error?.message.contains("corrupt tar header at offset 1024") == true)
    }

    @Test func truncatedContentIsAnErrorNamingTheMember() throws {
        let tar = TarWriter.archive([.file("secret/key", String(repeating: "k", count: 5000))])
        let reader = TarReader(MemoryByteStream(Array(tar.prefix(512 + 1000))))
        _ = try reader.next()
        let error = #expect(throws: StrataError.self) { try reader.readContent { _ in } }
        #expect(error?.path == "secret/key")
        #expect(error?.message.contains("1000 of 5000") == true)
    }

    @Test func hostilePAXRecordSizeIsBounded() throws {
        // A PAX header claiming 2 GiB: refused before any allocation.
        var writer = TarWriter()
        writer.append(.file("x", "1"))
        var tar = writer.finish()
        tar[156] = UInt8(ascii: "x")
        let size = Array(String(2 << 30, radix: 8).utf8)
        for i in 0..<11 { tar[124 + i] = i < 11 - size.count ? UInt8(ascii: "0") : size[i - (11 - size.count)] }
        for i in 148..<156 { tar[i] = 0x20 }
        let sum = tar[0..<512].reduce(0) { $0 + Int($1) }
        let text = Array(String(sum, radix: 8).utf8)
        for i in 0..<6 { tar[148 + i] = i < 6 - text.count ? UInt8(ascii: "0") : text[i - (6 - text.count)] }
        tar[154] = 0
        let error = #expect(throws: StrataError.self) { try members(tar) }
        #expect(error?.message.contains("exceeds") == true)
    }

    @Test func endsWithoutMarkerIsNoted() throws {
        let tar = TarWriter.archive([.file("a", "1")])
        let reader = TarReader(MemoryByteStream(Array(tar.prefix(1024))))
        #expect(try reader.next()?.name == "a")
        #expect(try reader.next() == nil)
        #expect(reader.endedWithoutMarker)
    }

    @Test func paxRecordsParse() throws {
        var records: [String: String] = [:]
        try PAXRecords.parse(TarWriter.paxRecords([("path", Array("a/b".utf8)), ("size", Array("12".utf8))]), into: &records)
        #expect(records == ["path": "a/b", "size": "12"])
        #expect(throws: StrataError.self) { try PAXRecords.parse(Array("99 path=x\n".utf8), into: &records) }
    }
}
