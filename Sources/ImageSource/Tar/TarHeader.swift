import LayerIndex

/// Field parsing for one 512-byte tar header block (ustar, GNU and v7 variants).
enum TarHeader {
    static let blockSize = 512

    /// True when all 512 bytes are zero (end-of-archive marker).
    static func isZero(_ block: UnsafeRawBufferPointer) -> Bool {
        // Compare eight bytes at a time.
        let words = UnsafeRawBufferPointer(rebasing: block[0..<blockSize])
        var acc: UInt64 = 0
        var i = 0
        while i < blockSize {
            acc |= words.loadUnaligned(fromByteOffset: i, as: UInt64.self)
            i += 8
        }
        return acc == 0
    }

    /// Validates the header checksum (unsigned sum, or the signed sum some old tars wrote).
    static func checksumMatches(_ block: UnsafeRawBufferPointer) -> Bool {
        guard let stored = octal(block, 148, 8) else { return false }
        var unsigned: Int64 = 0
        var signed: Int64 = 0
        for i in 0..<blockSize {
            let b = (i >= 148 && i < 156) ? UInt8(ascii: " ") : block[i]
            unsigned += Int64(b)
            signed += Int64(Int8(bitPattern: b))
        }
        return stored == unsigned || stored == signed
    }

    /// A numeric field: octal text, or GNU base-256 when the high bit of the first byte is set.
    static func number(_ block: UnsafeRawBufferPointer, _ offset: Int, _ length: Int) -> Int64? {
        let first = block[offset]
        if first & 0x80 != 0 {
            // Base-256, two's complement; refuse values that do not fit.
            var value: Int64 = (first & 0x40) != 0 ? -1 : 0
            value = (value << 6) | Int64(first & 0x3f)
            for i in 1..<length {
                if value > (Int64.max >> 8) || value < (Int64.min >> 8) { return nil }
                value = (value << 8) | Int64(block[offset + i])
            }
            return value
        }
        return octal(block, offset, length)
    }

    static func octal(_ block: UnsafeRawBufferPointer, _ offset: Int, _ length: Int) -> Int64? {
        var i = offset
        let end = offset + length
        while i < end && (block[i] == 0x20 || block[i] == 0) { i += 1 }
        if i == end { return 0 }
        var value: Int64 = 0
        var digits = 0
        while i < end {
            let c = block[i]
            if c == 0 || c == 0x20 { break }
            guard c >= 0x30 && c <= 0x37 else { return nil }
            if value > (Int64.max >> 3) { return nil }
            value = value * 8 + Int64(c - 0x30)
            digits += 1
            i += 1
        }
        return value
    }

    /// The bytes of a NUL-terminated field.
    static func fieldBytes(_ block: UnsafeRawBufferPointer, _ offset: Int, _ length: Int) -> UnsafeRawBufferPointer {
        var end = offset
        while end < offset + length && block[end] != 0 { end += 1 }
        return UnsafeRawBufferPointer(rebasing: block[offset..<end])
    }

    /// Decodes name bytes; invalid UTF-8 is escaped (`\xNN`) and reported.
    static func decodeName(_ bytes: UnsafeRawBufferPointer) -> (String, invalid: Bool) {
        var ascii = true
        for b in bytes where b >= 0x80 { ascii = false; break }
        if ascii { return (String(decoding: bytes, as: UTF8.self), false) }
        if let text = String(validating: bytes, as: UTF8.self) { return (text, false) }
        return (escapeInvalid(Array(bytes)), true)
    }

    /// Keeps valid UTF-8 sequences and escapes only the invalid bytes as `\xNN`.
    static func escapeInvalid(_ raw: [UInt8]) -> String { Sanitize.utf8(raw, escapeControls: false) }

    /// True for the POSIX ustar magic ("ustar\0"), whose headers carry a name prefix.
    static func isPOSIXUstar(_ block: UnsafeRawBufferPointer) -> Bool {
        block[257] == 0x75 && block[258] == 0x73 && block[259] == 0x74 && block[260] == 0x61
            && block[261] == 0x72 && block[262] == 0
    }
}
