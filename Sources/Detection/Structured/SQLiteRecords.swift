/// Reads the text cells of a SQLite database file in place (table b-tree leaf pages, no
/// overflow chains), so rows are scanned value by value instead of as one run of bytes where
/// a column's text abuts the next.
enum SQLiteRecords {
    static let magic = Array("SQLite format 3\0".utf8)

    static func isSQLite(_ bytes: UnsafeRawBufferPointer) -> Bool {
        bytes.count >= 100 && magic.enumerated().allSatisfy { bytes[$0.offset] == $0.element }
    }

    /// Each row's text values as byte ranges into the file.
    static func rows(_ bytes: UnsafeRawBufferPointer, limit: Int = 1_000_000) -> [[Range<Int>]] {
        guard isSQLite(bytes) else { return [] }
        var pageSize = Int(bytes[16]) << 8 | Int(bytes[17])
        if pageSize == 1 { pageSize = 65536 }
        guard pageSize >= 512 else { return [] }
        let reserved = Int(bytes[20])
        let usable = pageSize - reserved
        var rows: [[Range<Int>]] = []
        var page = 0
        while (page + 1) * pageSize <= bytes.count, rows.count < limit {
            let base = page * pageSize
            let header = base + (page == 0 ? 100 : 0)
            page += 1
            guard header + 8 <= bytes.count, bytes[header] == 0x0D else { continue }
            let cells = Int(bytes[header + 3]) << 8 | Int(bytes[header + 4])
            for c in 0..<cells {
                let pointerAt = header + 8 + 2 * c
                guard pointerAt + 2 <= base + pageSize else { break }
                let cell = base + (Int(bytes[pointerAt]) << 8 | Int(bytes[pointerAt + 1]))
                guard cell < base + pageSize, let row = record(bytes, at: cell, pageEnd: base + usable) else { continue }
                rows.append(row)
            }
        }
        return rows
    }

    private static func record(_ bytes: UnsafeRawBufferPointer, at cell: Int, pageEnd: Int) -> [Range<Int>]? {
        var i = cell
        guard let (payloadSize, n1) = varint(bytes, i, end: pageEnd) else { return nil }
        i += n1
        guard let (_, n2) = varint(bytes, i, end: pageEnd) else { return nil }
        i += n2
        let payloadStart = i
        let payloadEnd = min(payloadStart + Int(payloadSize), pageEnd)
        guard let (headerSize, n3) = varint(bytes, i, end: payloadEnd) else { return nil }
        var h = i + n3
        let headerEnd = payloadStart + Int(headerSize)
        guard headerEnd <= payloadEnd else { return nil }
        var body = headerEnd
        var texts: [Range<Int>] = []
        while h < headerEnd {
            guard let (serial, n) = varint(bytes, h, end: headerEnd) else { return nil }
            h += n
            let length: Int
            switch serial {
            case 0, 8, 9: length = 0
            case 1, 2, 3, 4: length = Int(serial)
            case 5: length = 6
            case 6, 7: length = 8
            case 10, 11: return nil
            default: length = Int((serial - (serial % 2 == 0 ? 12 : 13)) / 2)
            }
            if serial >= 13, serial % 2 == 1, length > 0 {
                let end = min(body + length, payloadEnd)
                if end > body { texts.append(body..<end) }
            }
            body += length
            if body > payloadEnd { break }
        }
        return texts
    }

    private static func varint(_ bytes: UnsafeRawBufferPointer, _ at: Int, end: Int) -> (UInt64, Int)? {
        var value: UInt64 = 0
        for k in 0..<9 {
            guard at + k < end, at + k < bytes.count else { return nil }
            let b = bytes[at + k]
            if k == 8 { return (value << 8 | UInt64(b), 9) }
            value = value << 7 | UInt64(b & 0x7F)
            if b & 0x80 == 0 { return (value, k + 1) }
        }
        return nil
    }
}
