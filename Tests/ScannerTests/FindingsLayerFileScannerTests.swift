import Detection
import Foundation
import LayerIndex
import Testing
import TestSupport
@testable import Scanner

@Suite struct FindingsLayerFileScannerTests {
    /// Feeds one file to a scanner in chunks of `chunk` bytes, as the layer reader would.
    static func feed(_ scanner: LayerFileScanner, path: String, _ bytes: [UInt8], chunk: Int = 4096) {
        let entry = Entry(path: path, type: .file, size: Int64(bytes.count))
        guard let sink = scanner.beginFile(entry) else { return }
        var i = 0
        while i < bytes.count {
            let end = min(bytes.count, i + chunk)
            bytes[i..<end].withUnsafeBytes { sink.consume($0) }
            i = end
        }
        sink.finish(entry)
    }

    static func run(_ command: String, in dir: TemporaryDirectory) throws {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/bin/sh")
        p.arguments = ["-c", command]
        p.currentDirectoryURL = dir.url
        try p.run()
        p.waitUntilExit()
        #expect(p.terminationStatus == 0, "\(command)")
    }

    @Test func textFileMatchesWithPositions() {
        let scanner = LayerFileScanner(matcher: FindingsTestMatcher(), layer: 3)
        Self.feed(scanner, path: "root/.npmrc", Array("registry=x\n//r/:_authToken=\(FakeSecrets.npm)\n".utf8), chunk: 7)
        #expect(scanner.matches.count == 1)
        let m = scanner.matches[0]
        #expect(m.layer == 3 && m.path == "root/.npmrc")
        #expect(m.match.line == 2 && m.match.column == 17)
        #expect(m.match.start == 27)
    }

    @Test func longFilesAreScannedInOverlappingWindowsWithExactPositions() {
        // Secrets at many offsets, including across every window boundary, on long and short lines.
        var text = ""
        var expected: [(line: Int, column: Int, start: Int)] = []
        var line = 1
        for i in 0..<400 {
            let padding = String(repeating: "a", count: (i * 37) % 150)
            let prefix = padding + " "
            if i % 3 == 0 {
                expected.append((line, prefix.utf8.count + 1, text.utf8.count + prefix.utf8.count))
                text += prefix + FakeSecrets.github + (i % 2 == 0 ? "\n" : " ")
            } else {
                text += prefix + "\n"
            }
            if text.hasSuffix("\n") { line += 1 }
            if !text.hasSuffix("\n") { line += 0 }
        }
        // Recount lines and columns from the text itself: the ground truth.
        let bytes = Array(text.utf8)
        var truth: [(Int, Int, Int)] = []
        var l = 1, c = 1
        var i = 0
        let needle = Array(FakeSecrets.github.utf8)
        while i < bytes.count {
            if i + needle.count <= bytes.count, Array(bytes[i..<i + needle.count]) == needle { truth.append((l, c, i)) }
            if bytes[i] == 0x0A { l += 1; c = 1 } else { c += 1 }
            i += 1
        }
        #expect(truth.count == expected.count)
        for window in [300, 1000, 4096] {
          for concurrent in [true, false] {
            let scanner = LayerFileScanner(matcher: FindingsTestMatcher(), layer: 0, limits: FileScanLimits(window: window, overlap: 64),
                                           concurrent: concurrent)
            Self.feed(scanner, path: "big.txt", bytes, chunk: 333)
            let got = scanner.matches.map { ($0.match.line, $0.match.column, $0.match.start) }
            #expect(got.count == truth.count, "window \(window)")
            #expect(got.map { "\($0)" } == truth.map { "\($0)" }, "window \(window)")
          }
        }
    }

    @Test func binariesAreSkippedByContentNotName() {
        let scanner = LayerFileScanner(matcher: FindingsTestMatcher(), layer: 0)
        var elf: [UInt8] = [0x7F, 0x45, 0x4C, 0x46, 2, 1, 1, 0, 0, 0]
        elf += Array("token \(FakeSecrets.github)".utf8)
        Self.feed(scanner, path: "notes.txt", elf)
        Self.feed(scanner, path: "bin/tool", Array("#!/bin/sh\nexport T=\(FakeSecrets.github)\n".utf8))
        #expect(scanner.matches.map(\.path) == ["bin/tool"])
        #expect(scanner.beginFile(Entry(path: "empty", type: .file, size: 0)) == nil)
        #expect(scanner.beginFile(Entry(path: "d", type: .dir)) == nil)
    }

    @Test func archivesAreOpenedWithMemberPaths() throws {
        let dir = TemporaryDirectory()
        try FileManager.default.createDirectory(at: dir.file("src/root"), withIntermediateDirectories: true)
        try Data("//r/:_authToken=\(FakeSecrets.npm)\n".utf8).write(to: dir.file("src/root/.npmrc"))
        try Data("password=\(FakeSecrets.github)\n".utf8).write(to: dir.file("src/app.conf"))
        try Self.run("cd src && tar czf ../bundle.tgz root/.npmrc app.conf", in: dir)
        try Self.run("cd src && zip -q -r ../lib.jar app.conf root && cd .. && tar cf outer.tar lib.jar && gzip -c src/app.conf > app.conf.gz", in: dir)
        try Self.run("cd src && zip -q -0 ../stored.whl app.conf", in: dir)
        let scanner = LayerFileScanner(matcher: FindingsTestMatcher(), layer: 1)
        for name in ["bundle.tgz", "outer.tar", "app.conf.gz", "stored.whl"] {
            Self.feed(scanner, path: "opt/" + name, Array(try Data(contentsOf: dir.file(name))), chunk: 1000)
        }
        let paths = Set(scanner.matches.map { "\($0.path) \($0.match.rule)" })
        #expect(paths == [
            "opt/bundle.tgz!root/.npmrc npm-token", "opt/bundle.tgz!app.conf github-pat", "opt/bundle.tgz!app.conf generic-password",
            "opt/outer.tar!lib.jar!app.conf github-pat", "opt/outer.tar!lib.jar!app.conf generic-password",
            "opt/outer.tar!lib.jar!root/.npmrc npm-token",
            "opt/app.conf.gz!app.conf github-pat", "opt/app.conf.gz!app.conf generic-password",
            "opt/stored.whl!app.conf github-pat", "opt/stored.whl!app.conf generic-password",
        ])
        #expect(scanner.problems.isEmpty)
    }

    @Test func bombsAndCorruptArchivesAreBounded() throws {
        let dir = TemporaryDirectory()
        // 16 MiB of one letter with a token at the end: compresses to ~64 KiB.
        try Self.run("(head -c 16777216 /dev/zero | tr '\\0' 'a'; echo; echo \(FakeSecrets.github)) | gzip -c > bomb.gz", in: dir)
        let bomb = Array(try Data(contentsOf: dir.file("bomb.gz")))
        let limited = LayerFileScanner(matcher: FindingsTestMatcher(), layer: 0, limits: FileScanLimits(maxExpandedBytes: 1 << 20))
        Self.feed(limited, path: "bomb.gz", bomb, chunk: 65536)
        #expect(limited.matches.isEmpty)
        #expect(limited.problems.count == 1)
        // Within the budget, the token at the very end is found (and memory stays at one window).
        let open = LayerFileScanner(matcher: FindingsTestMatcher(), layer: 0)
        Self.feed(open, path: "bomb.gz", bomb, chunk: 65536)
        #expect(open.matches.count == 1)
        #expect(open.matches.first?.match.line == 2)

        var corrupt = Array(try Data(contentsOf: dir.file("bomb.gz")).prefix(2000))
        for i in 100..<corrupt.count { corrupt[i] ^= 0x5A }
        let broken = LayerFileScanner(matcher: FindingsTestMatcher(), layer: 0)
        Self.feed(broken, path: "broken.gz", corrupt)
        #expect(broken.problems.count == 1)
        // A tar header with a bad checksum stops the archive, not the layer.
        var tar = [UInt8](repeating: 0, count: 1024)
        tar.replaceSubrange(257..<262, with: Array("ustar".utf8))
        tar[0] = 0x41
        Self.feed(broken, path: "bad.tar", tar)
        Self.feed(broken, path: "ok.env", Array("password=\(FakeSecrets.github)".utf8))
        #expect(broken.problems.count == 2)
        #expect(broken.matches.map(\.path) == ["ok.env", "ok.env"])
    }

    @Test func sniffer() {
        #expect(FileKindSniffer.classify(Array("hello\nworld é".utf8)) == .text)
        #expect(FileKindSniffer.classify([0x1F, 0x8B, 8, 0]) == .gzip)
        #expect(FileKindSniffer.classify(Array("PK\u{3}\u{4}rest".utf8)) == .zip)
        #expect(FileKindSniffer.classify([0x7F, 0x45, 0x4C, 0x46, 0, 0]) == .binary)
        #expect(FileKindSniffer.classify((0..<200).map { UInt8($0 % 32) + 1 }) == .binary)
        #expect(FileKindSniffer.classify([]) == .text)
    }
}
