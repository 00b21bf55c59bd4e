import CZlib

/// Checksums that token formats carry.
public enum Checksums {
    static let base62Alphabet = Array("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz".utf8)

    /// CRC32 (zlib polynomial) of `text`'s bytes.
    public static func crc32(_ text: String) -> UInt32 {
        var copy = text
        return copy.withUTF8 { UInt32(CZlib.crc32(0, $0.baseAddress, UInt32($0.count))) }
    }

    /// `value` in base62, left-padded with `0` to `width`.
    public static func base62(_ value: UInt32, width: Int = 6) -> String {
        var n = value
        var out: [UInt8] = []
        while n > 0 { out.append(base62Alphabet[Int(n % 62)]); n /= 62 }
        while out.count < width { out.append(UInt8(ascii: "0")) }
        return String(decoding: out.reversed(), as: UTF8.self)
    }

    /// GitHub (`ghp_` …) and npm (`npm_`) tokens: prefix, 30 random base62 characters, and
    /// 6 characters of base62 CRC32 over the random part. Nil when the shape is wrong.
    public static func prefixedCRC32Valid(_ token: String) -> Bool? {
        guard let underscore = token.firstIndex(of: "_") else { return nil }
        let body = token[token.index(after: underscore)...]
        guard body.count == 36 else { return nil }
        let random = String(body.prefix(30))
        let check = String(body.suffix(6))
        return base62(crc32(random)) == check
    }

    /// Makes a well-formed token with a valid checksum (tests and examples).
    public static func makePrefixedCRC32Token(prefix: String, random: String) -> String {
        precondition(random.count == 30)
        return prefix + random + base62(crc32(random))
    }
}
