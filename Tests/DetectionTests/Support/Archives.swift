import Detection

/// Minimal readers for the archive members of the secrets corpus (a `.tar.gz` backup, a
/// Spring Boot `.jar`): the image-aware scanner has its own streaming readers; these only
/// let the corpus test look inside the few archives the corpus holds.
enum TestArchives {
    /// Regular-file members of a tar archive.
    static func tarMembers(_ bytes: [UInt8]) -> [(name: String, data: [UInt8])] {
        var out: [(String, [UInt8])] = []
        var offset = 0
        while offset + 512 <= bytes.count {
            let header = Array(bytes[offset..<(offset + 512)])
            if header.allSatisfy({ $0 == 0 }) { break }
            let name = String(decoding: header[0..<100].prefix { $0 != 0 }, as: UTF8.self)
            let sizeText = String(decoding: header[124..<136].prefix { $0 != 0 && $0 != 0x20 }, as: UTF8.self)
            let size = Int(sizeText, radix: 8) ?? 0
            let type = header[156]
            let start = offset + 512
            guard start + size <= bytes.count else { break }
            if type == UInt8(ascii: "0") || type == 0 { out.append((name, Array(bytes[start..<(start + size)]))) }
            offset = start + (size + 511) / 512 * 512
        }
        return out
    }

    /// Members of a zip archive (stored or deflated), found through the central directory.
    static func zipMembers(_ bytes: [UInt8]) -> [(name: String, data: [UInt8])] {
        func u16(_ i: Int) -> Int { Int(bytes[i]) | Int(bytes[i + 1]) << 8 }
        func u32(_ i: Int) -> Int { u16(i) | u16(i + 2) << 16 }
        guard bytes.count >= 22 else { return [] }
        var eocd = bytes.count - 22
        while eocd >= 0, u32(eocd) != 0x06054b50 { eocd -= 1 }
        guard eocd >= 0 else { return [] }
        let count = u16(eocd + 10)
        var entry = u32(eocd + 16)
        var out: [(String, [UInt8])] = []
        for _ in 0..<count {
            guard entry + 46 <= bytes.count, u32(entry) == 0x02014b50 else { break }
            let method = u16(entry + 10)
            let compressed = u32(entry + 20)
            let nameLength = u16(entry + 28)
            let extraLength = u16(entry + 30)
            let commentLength = u16(entry + 32)
            let local = u32(entry + 42)
            let name = String(decoding: bytes[(entry + 46)..<(entry + 46 + nameLength)], as: UTF8.self)
            entry += 46 + nameLength + extraLength + commentLength
            guard local + 30 <= bytes.count else { continue }
            let dataStart = local + 30 + u16(local + 26) + u16(local + 28)
            guard dataStart + compressed <= bytes.count else { continue }
            let payload = Array(bytes[dataStart..<(dataStart + compressed)])
            if method == 0 {
                out.append((name, payload))
            } else if method == 8, let inflated = Decompression.inflateRaw(payload) {
                out.append((name, inflated))
            }
        }
        return out
    }
}
