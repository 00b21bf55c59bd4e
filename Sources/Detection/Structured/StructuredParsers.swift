import Foundation

/// Credential files recognised by path and parsed by structure rather than grepped. Each
/// parser yields candidates with exact spans; pattern rules still run over the same bytes, and
/// overlaps resolve by priority (provider formats beat the parser's generic kinds).
enum StructuredParsers {
    static let priority = 64

    static func scan(_ bytes: UnsafeRawBufferPointer, path: String) -> [Candidate] {
        let lower = path.lowercased()
        let name = lower.utf8.lastIndex(of: UInt8(ascii: "/")).map { String(lower[lower.index(after: $0)...]) } ?? lower
        if name.hasSuffix(".p12") || name.hasSuffix(".pfx") {
            return PKCS12File.scan(bytes)
        }
        guard bytes.count <= 4 << 20, let parser = parser(forPath: lower, name: name) else { return [] }
        let text = String(decoding: bytes, as: UTF8.self)
        guard text.utf8.count == bytes.count else { return [] }  // invalid UTF-8: offsets would drift
        return parser(text)
    }

    /// The parser for a credential file recognised by its path, if any.
    static func parser(forPath lower: String, name: String) -> ((String) -> [Candidate])? {
        if lower.hasSuffix(".aws/credentials") || lower.hasSuffix(".aws/config") {
            return AWSCredentialsFile.scan
        }
        if name == ".npmrc" || name == "npmrc" || name == ".yarnrc" || name == ".yarnrc.yml" {
            return NpmrcFile.scan
        }
        if name == ".netrc" || name == "_netrc" {
            return NetrcFile.scan
        }
        if name == ".pgpass" || name == "pgpass.conf" {
            return PgpassFile.scan
        }
        if name == ".pypirc" {
            return { INIPasswordFile.scan($0, rule: "pypirc-password", title: "Package index password in .pypirc") }
        }
        if lower.hasSuffix(".docker/config.json") || lower.hasSuffix("containers/auth.json") || lower.hasSuffix(".dockercfg") {
            return DockerConfigFile.scan
        }
        return nil
    }

    static func candidate(_ rule: String, _ title: String, kind: String, severity: Severity = .high,
                          confidence: Confidence = .high, range: Range<Int>, text: String,
                          notes: [String: String] = [:]) -> Candidate {
        let utf8 = Array(text.utf8)
        let secret = String(decoding: utf8[range], as: UTF8.self)
        var n = notes
        n["parsedFrom"] = rule
        return Candidate(ruleID: rule, title: title, kind: kind, severity: severity, confidence: confidence,
                         priority: priority, secretRange: range, secret: secret, checksumValid: nil, notes: n)
    }

    /// Lines with their byte offsets.
    static func lines(_ text: String) -> [(offset: Int, line: Substring.UTF8View)] {
        var out: [(Int, Substring.UTF8View)] = []
        var offset = 0
        for line in text.utf8.split(separator: 0x0A, omittingEmptySubsequences: false) {
            out.append((offset, Substring(line).utf8))
            offset += line.count + 1
        }
        return out
    }

    /// `key = value` (or `key: value`) on one line: the key, and the value's byte range in the file.
    static func keyValue(_ line: Substring.UTF8View, at offset: Int, separators: Set<UInt8> = [0x3D])
        -> (key: String, value: Range<Int>)? {
        let bytes = Array(line)
        guard let sep = bytes.firstIndex(where: { separators.contains($0) }) else { return nil }
        let key = String(decoding: bytes[..<sep], as: UTF8.self).trimmingCharacters(in: .whitespaces)
        var lo = sep + 1
        var hi = bytes.count
        while lo < hi, bytes[lo] == 0x20 || bytes[lo] == 0x09 { lo += 1 }
        while hi > lo, bytes[hi - 1] == 0x20 || bytes[hi - 1] == 0x09 || bytes[hi - 1] == 0x0D { hi -= 1 }
        if hi - lo >= 2, bytes[lo] == bytes[hi - 1], bytes[lo] == 0x22 || bytes[lo] == 0x27 { lo += 1; hi -= 1 }
        guard hi > lo, !key.isEmpty else { return nil }
        return (key, (offset + lo)..<(offset + hi))
    }

    static func value(_ text: String, _ range: Range<Int>) -> String {
        String(decoding: Array(text.utf8)[range], as: UTF8.self)
    }
}
