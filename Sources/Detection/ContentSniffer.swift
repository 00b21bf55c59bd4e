#if canImport(Glibc)
import Glibc
#endif

/// Decides from the first bytes whether content is text worth scanning (binary is skipped by
/// content, never by extension alone).
public enum ContentSniffer {
    /// How many leading bytes `isProbablyText` needs to decide well.
    public static let prefixLength = 8192

    /// True for text (UTF-8, Latin-1, UTF-16 with BOM) and for SQLite databases, whose rows are
    /// stored as text; false for executables, images, compressed data and other binary.
    public static func isProbablyText(_ prefix: UnsafeRawBufferPointer) -> Bool {
        let n = min(prefix.count, prefixLength)
        if n == 0 { return true }
        if hasPrefix(prefix, sqliteMagic) { return true }
        if n >= 2, (prefix[0] == 0xFF && prefix[1] == 0xFE) || (prefix[0] == 0xFE && prefix[1] == 0xFF) { return true }
        // Magic numbers of common binary formats.
        for magic in binaryMagics where n >= magic.count && hasPrefix(prefix, magic) { return false }
        guard let base = prefix.baseAddress?.assumingMemoryBound(to: UInt8.self) else { return true }
        if memchr(base, 0, n) != nil { return false }
        // Branch-free count of control bytes other than tab, newline, form feed, return and escape.
        var control = 0
        controlTable.withUnsafeBufferPointer { table in
            for i in 0..<n { control &+= Int(table[Int(base[i])]) }
        }
        return control * 100 <= n * 2
    }

    /// 1 for a byte that counts against text (a C0 control other than \t \n \f \r ESC), else 0.
    private static let controlTable: [UInt8] = (0..<256).map { b in
        b < 0x20 && ![0x09, 0x0A, 0x0C, 0x0D, 0x1B].contains(b) ? 1 : 0
    }

    private static let binaryMagics: [[UInt8]] = [
        [0x7F, 0x45, 0x4C, 0x46], [0x1F, 0x8B], [0x50, 0x4B, 0x03, 0x04], [0x89, 0x50, 0x4E, 0x47], [0xFF, 0xD8, 0xFF],
        [0x28, 0xB5, 0x2F, 0xFD], [0x42, 0x5A, 0x68], [0xFD, 0x37, 0x7A, 0x58], [0xCA, 0xFE, 0xBA, 0xBE], [0x00, 0x61, 0x73, 0x6D],
    ]

    private static let sqliteMagic = Array("SQLite format 3\0".utf8)

    private static func hasPrefix(_ bytes: UnsafeRawBufferPointer, _ magic: [UInt8]) -> Bool {
        guard bytes.count >= magic.count else { return false }
        for i in 0..<magic.count where bytes[i] != magic[i] { return false }
        return true
    }
}
