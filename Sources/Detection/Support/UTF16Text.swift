#if canImport(Glibc)
import Glibc
#endif

/// Text stored as UTF-16 (Windows editors, PowerShell's `Out-File`, `.reg` exports): recognised
/// from its first bytes and turned into UTF-8, so the rules — written for ASCII and UTF-8 — see
/// the same characters. Lines are unchanged; columns and offsets are those of the UTF-8 text.
public enum UTF16Text {
    public enum ByteOrder: String, Sendable, Hashable {
        case littleEndian = "UTF-16LE"
        case bigEndian = "UTF-16BE"
    }

    /// The byte order of UTF-16 text, from a byte-order mark or (without one) from the pattern of
    /// zero bytes that ASCII text in UTF-16 shows: nil for anything else.
    ///
    /// Without a mark it takes at least 32 bytes in which every other byte is zero (≥ 95%), the
    /// others almost never are, and those others are printable ASCII or line breaks (≥ 95%), so
    /// arrays of small binary integers are not mistaken for text.
    public static func detect(_ head: UnsafeRawBufferPointer) -> ByteOrder? {
        let n = head.count
        if n >= 2, head[0] == 0xFF, head[1] == 0xFE {
            // FF FE 00 00 is UTF-32LE's mark: not handled here.
            return n >= 4 && head[2] == 0 && head[3] == 0 ? nil : .littleEndian
        }
        if n >= 2, head[0] == 0xFE, head[1] == 0xFF { return .bigEndian }
        let pairs = n / 2
        guard pairs >= 16, let base = head.baseAddress else { return nil }
        // Quick answers for the files this runs on (every file a scan sniffs): no zero byte at
        // all, or no every-other-byte pattern in the first 32 pairs.
        guard memchr(base, 0, n) != nil else { return nil }
        var probeOdd = 0, probeEven = 0
        for i in 0..<16 {
            if head[2 * i + 1] == 0 { probeOdd += 1 }
            if head[2 * i] == 0 { probeEven += 1 }
        }
        guard probeOdd >= 14 || probeEven >= 14 else { return nil }
        var zeroEven = 0, zeroOdd = 0, textEven = 0, textOdd = 0
        for i in 0..<pairs {
            let even = head[2 * i], odd = head[2 * i + 1]
            if even == 0 { zeroEven += 1 } else if isTextByte(even) { textEven += 1 }
            if odd == 0 { zeroOdd += 1 } else if isTextByte(odd) { textOdd += 1 }
        }
        func mostly(_ count: Int) -> Bool { count * 100 >= pairs * 95 }
        func rarely(_ count: Int) -> Bool { count * 100 <= pairs * 2 }
        if mostly(zeroOdd), rarely(zeroEven), mostly(textEven) { return .littleEndian }
        if mostly(zeroEven), rarely(zeroOdd), mostly(textOdd) { return .bigEndian }
        return nil
    }

    public static func detect(_ head: [UInt8]) -> ByteOrder? { head.withUnsafeBytes { detect($0) } }

    private static func isTextByte(_ b: UInt8) -> Bool { (b >= 0x20 && b < 0x7F) || b == 0x09 || b == 0x0A || b == 0x0D }

    /// All of `bytes` as UTF-8 (a leading byte-order mark dropped).
    public static func utf8(_ bytes: [UInt8], order: ByteOrder) -> [UInt8] {
        var decoder = UTF16Decoder(order: order)
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        bytes.withUnsafeBytes { decoder.decode($0, into: &out) }
        decoder.finish(into: &out)
        return out
    }
}

/// Streaming UTF-16 → UTF-8: chunks may split a code unit or a surrogate pair anywhere. Unpaired
/// surrogates and a dangling last byte become U+FFFD; a byte-order mark at the very start is dropped.
public struct UTF16Decoder: Sendable {
    public let order: UTF16Text.ByteOrder
    private var pendingByte: UInt8?
    private var highSurrogate: UInt16?
    private var atStart = true

    public init(order: UTF16Text.ByteOrder) { self.order = order }

    /// Appends the UTF-8 form of `bytes` to `out`.
    public mutating func decode(_ bytes: UnsafeRawBufferPointer, into out: inout [UInt8]) {
        var i = 0
        if let first = pendingByte, !bytes.isEmpty {
            pendingByte = nil
            unit(order == .littleEndian ? UInt16(first) | UInt16(bytes[0]) << 8 : UInt16(first) << 8 | UInt16(bytes[0]), &out)
            i = 1
        }
        while i + 1 < bytes.count {
            let a = UInt16(bytes[i]), b = UInt16(bytes[i + 1])
            unit(order == .littleEndian ? a | b << 8 : a << 8 | b, &out)
            i += 2
        }
        if i < bytes.count { pendingByte = bytes[i] }
    }

    /// Ends the text: whatever is left half-done becomes U+FFFD.
    public mutating func finish(into out: inout [UInt8]) {
        if highSurrogate != nil || pendingByte != nil { append(0xFFFD, &out) }
        highSurrogate = nil
        pendingByte = nil
    }

    private mutating func unit(_ u: UInt16, _ out: inout [UInt8]) {
        defer { atStart = false }
        if atStart && u == 0xFEFF { return }
        if let high = highSurrogate {
            highSurrogate = nil
            if u >= 0xDC00 && u <= 0xDFFF {
                append(0x10000 + ((UInt32(high) - 0xD800) << 10) + (UInt32(u) - 0xDC00), &out)
                return
            }
            append(0xFFFD, &out)
        }
        if u >= 0xD800 && u <= 0xDBFF {
            highSurrogate = u
        } else if u >= 0xDC00 && u <= 0xDFFF {
            append(0xFFFD, &out)
        } else {
            append(UInt32(u), &out)
        }
    }

    /// Our scalars are never surrogates, so `Unicode.Scalar` always accepts them.
    private func append(_ scalar: UInt32, _ out: inout [UInt8]) {
        UTF8.encode(Unicode.Scalar(scalar) ?? "\u{FFFD}") { out.append($0) }
    }
}
