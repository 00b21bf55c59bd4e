import Detection
import Foundation
import Testing

/// Throughput and false-positive survey, run by `bench/detect.sh` (release build); skipped
/// unless `STRATA_BENCH=1`. Prints MB/s; asserts nothing about time.
@Suite struct DetectionBenchmark {
    static var enabled: Bool { ProcessInfo.processInfo.environment["STRATA_BENCH"] == "1" }

    @Test(.enabled(if: DetectionBenchmark.enabled)) func throughput() throws {
        let detector = try Detector.standard()
        // Text: config-like lines full of keywords, with a few secrets sprinkled in.
        var text = ""
        var rng = SystemRandomNumberGenerator()
        let words = ["server", "listen", "password_min_length", "token_ttl", "key", "value", "auth", "secret_ref",
                     "host", "port", "timeout", "log_level", "path", "user", "cache", "enable", "feature"]
        while text.utf8.count < 64 << 20 {
            let w = words[Int(rng.next() % UInt64(words.count))]
            text += "\(w) = \(rng.next() % 100000) # comment about the \(w) setting and more prose text\n"
        }
        let textBytes = Array(text.utf8)
        // Binary-ish: random bytes (what an uncompressed ELF section or image looks like to a matcher).
        var binary = [UInt8](repeating: 0, count: 64 << 20)
        for i in stride(from: 0, to: binary.count, by: 8) {
            withUnsafeBytes(of: rng.next()) { for (k, b) in $0.enumerated() where i + k < binary.count { binary[i + k] = b } }
        }
        for (name, data) in [("text", textBytes), ("binary", binary)] {
            _ = data.withUnsafeBytes { detector.scan($0, path: "bench") }
            let start = Date()
            var matches = 0
            for _ in 0..<3 { matches = data.withUnsafeBytes { detector.scan($0, path: "bench").count } }
            let seconds = Date().timeIntervalSince(start) / 3
            print(String(format: "detect-bench %@: %.0f MB/s (%d MB, %.3f s, %d matches)", name,
                         Double(data.count) / 1_048_576 / seconds, data.count >> 20, seconds, matches))
        }
    }

    /// Scans every text file under `STRATA_SCAN_DIR` (e.g. an extracted Debian root) and prints
    /// what is found: the false-positive survey for system files.
    @Test(.enabled(if: ProcessInfo.processInfo.environment["STRATA_SCAN_DIR"] != nil)) func surveyDirectory() throws {
        let root = URL(fileURLWithPath: ProcessInfo.processInfo.environment["STRATA_SCAN_DIR"]!)
        let detector = try Detector.standard()
        var bytesScanned = 0
        var files = 0
        var detectSeconds = 0.0
        let start = Date()
        let enumerator = FileManager.default.enumerator(at: root, includingPropertiesForKeys: [.isRegularFileKey, .fileSizeKey])!
        for case let url as URL in enumerator {
            guard let values = try? url.resourceValues(forKeys: [.isRegularFileKey, .fileSizeKey]),
                  values.isRegularFile == true, (values.fileSize ?? 0) < 64 << 20,
                  let data = try? Data(contentsOf: url, options: .alwaysMapped) else { continue }
            let matches: [Match] = data.withUnsafeBytes { raw in
                guard ContentSniffer.isProbablyText(UnsafeRawBufferPointer(rebasing: raw.prefix(ContentSniffer.prefixLength))) else { return [] }
                bytesScanned += raw.count
                files += 1
                let t0 = Date()
                defer { detectSeconds += Date().timeIntervalSince(t0) }
                return detector.scan(raw, path: url.path)
            }
            for m in matches where m.severity >= .medium {
                print("survey \(url.path):\(m.line) \(m.rule) \(m.preview)")
            }
        }
        let seconds = Date().timeIntervalSince(start)
        print(String(format: "survey: %d text files, %.1f MB in %.2f s (%.2f s inside Detector.scan: %.0f MB/s)", files,
                     Double(bytesScanned) / 1_048_576, seconds, detectSeconds, Double(bytesScanned) / 1_048_576 / detectSeconds))
    }
}
