/// Decides from a file's first bytes what it is: text to scan, a compressed or archive
/// container to open, or a binary to skip. Content decides, not the file name: an ELF
/// called `token.txt` is skipped, a `.env` without an extension is scanned.
public enum FileKindSniffer {
    /// What the first bytes of a file say it is.
    public enum Kind: String, Sendable, Hashable {
        case text
        case gzip
        case zip
        case tar
        case binary
    }

    /// How many leading bytes `classify` wants to see (tar needs 262 for its magic).
    public static let sniffLength = 8192

    /// Classifies a file from its first bytes (up to `sniffLength`; fewer at the end of a short file).
    public static func classify(_ head: UnsafeRawBufferPointer) -> Kind {
        let n = head.count
        if n >= 2, head[0] == 0x1F, head[1] == 0x8B { return .gzip }
        if n >= 4, head[0] == 0x50, head[1] == 0x4B, head[2] == 0x03, head[3] == 0x04 { return .zip }
        if n >= 262, head[257] == 0x75, head[258] == 0x73, head[259] == 0x74, head[260] == 0x61, head[261] == 0x72 {
            return .tar // "ustar" (POSIX and GNU)
        }
        return looksLikeText(head) ? .text : .binary
    }

    public static func classify(_ head: [UInt8]) -> Kind {
        head.withUnsafeBytes { classify($0) }
    }

    /// Text: no NUL byte, and almost every byte printable ASCII, whitespace, or part of a
    /// well-formed UTF-8 sequence. UTF-16 text (NUL-heavy) counts as binary: secrets in it are rare.
    public static func looksLikeText(_ head: UnsafeRawBufferPointer) -> Bool {
        let n = min(head.count, sniffLength)
        if n == 0 { return true }
        var suspicious = 0
        var i = 0
        while i < n {
            let b = head[i]
            if b == 0 { return false }
            if b < 0x80 {
                if b < 0x20 && b != 0x09 && b != 0x0A && b != 0x0D && b != 0x0C && b != 0x1B { suspicious += 1 }
                else if b == 0x7F { suspicious += 1 }
                i += 1
                continue
            }
            // A UTF-8 multi-byte sequence; a sequence cut by the end of the sample is fine.
            let length: Int
            switch b {
            case 0xC2...0xDF: length = 2
            case 0xE0...0xEF: length = 3
            case 0xF0...0xF4: length = 4
            default: length = 0
            }
            if length == 0 { suspicious += 1; i += 1; continue }
            var ok = true
            var k = 1
            while k < length && i + k < n {
                if head[i + k] & 0xC0 != 0x80 { ok = false; break }
                k += 1
            }
            if ok { i += length } else { suspicious += 1; i += 1 }
        }
        // Latin-1 text has a few high bytes; binaries have many control bytes.
        return suspicious * 100 <= n * 3
    }
}
