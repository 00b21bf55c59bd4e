import Detection
import Foundation
@testable import Scanner
import Testing
import TestSupport

/// Secrets in UTF-16 files (PowerShell's `Out-File`, Windows editors) are found like any other,
/// with the file's own line numbers — in small files and in files larger than one scan window.
@Suite struct UTF16ScanTests {
    static func fakeSlackToken() -> String {
        func pick(_ n: Int, _ set: String) -> String { String((0..<n).map { _ in set.randomElement()! }) }
        return "xoxb-\(pick(11, "0123456789"))-\(pick(13, "0123456789"))-" + pick(24, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789")
    }

    static func utf16(_ text: String, bigEndian: Bool, bom: Bool) -> Data {
        var out: [UInt8] = bom ? (bigEndian ? [0xFE, 0xFF] : [0xFF, 0xFE]) : []
        for unit in text.utf16 {
            out += bigEndian ? [UInt8(unit >> 8), UInt8(unit & 0xFF)] : [UInt8(unit & 0xFF), UInt8(unit >> 8)]
        }
        return Data(out)
    }

    @Test func secretsInUTF16FilesAreFoundOnTheirLines() throws {
        let dir = TemporaryDirectory("strata-utf16")
        var tokens: [String: (token: String, line: Int)] = [:]
        let filler = (0..<40).map { "# setting \($0) for the deployment script\r\n" }.joined()
        for (name, bigEndian, bom) in [("le-bom.env", false, true), ("be-bom.env", true, true), ("le-plain.env", false, false)] {
            let token = Self.fakeSlackToken()
            tokens[name] = (token, 41)
            try Self.utf16(filler + "SLACK_TOKEN=\(token)\r\n", bigEndian: bigEndian, bom: bom).write(to: dir.file(name))
        }
        // Larger than one window, so the text crosses window boundaries; the token is near the end.
        let small = FileScanLimits(window: 64 << 10, overlap: 4 << 10)
        let big = String(repeating: "log line with nothing secret in it at all, just words\n", count: 3000)
        let lateToken = Self.fakeSlackToken()
        try Self.utf16(big + "token=\(lateToken)\n", bigEndian: false, bom: true).write(to: dir.file("big.log"))
        tokens["big.log"] = (lateToken, 3001)

        let result = DirectoryScanner.scan(directory: dir.path, matcher: try Detector.standard(), limits: small)
        #expect(result.failures.isEmpty)
        for (name, expected) in tokens {
            let found = result.findings.filter { $0.location.path == name }
            #expect(found.count == 1, "\(name): \(found.map(\.match.rule))")
            #expect(found.first?.match.secret == expected.token, "\(name)")
            #expect(found.first?.location.line == expected.line, "\(name)")
        }
    }
}
