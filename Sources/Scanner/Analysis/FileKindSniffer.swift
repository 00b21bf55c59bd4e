import Detection

/// Decides from a file's first bytes what it is: text to scan, a compressed or archive
/// container to open, or a binary to skip. Containers are recognised here by their magic
/// numbers; text versus binary is Detection's `ContentSniffer`, so directory and layer scans agree. Content decides, not the file name: an ELF
/// called `token.txt` is skipped, a `.env` without an extension is scanned.
public enum FileKindSniffer {
    /// What the first bytes of a file say it is.
    public enum Kind: Sendable, Hashable {
        case text
        /// Text in UTF-16 (with a byte-order mark, or ASCII text's every-other-byte-zero pattern).
        case utf16(UTF16Text.ByteOrder)
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
        if let order = UTF16Text.detect(head) { return .utf16(order) }
        return Detection.ContentSniffer.isProbablyText(head) ? .text : .binary
    }

    public static func classify(_ head: [UInt8]) -> Kind {
        head.withUnsafeBytes { classify($0) }
    }
}
