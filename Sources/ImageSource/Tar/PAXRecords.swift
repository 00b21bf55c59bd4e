import LayerIndex

/// Parses PAX extended header records: `"%d %s=%s\n"` (length, key, value).
enum PAXRecords {
    /// The keys strata uses; others (xattrs, sparse maps, comments) are dropped so that a stream
    /// of global headers cannot grow memory.
    static let knownKeys: Set<String> = ["path", "linkpath", "size", "uid", "gid", "mtime", "uname", "gname"]

    static func parse(_ bytes: [UInt8], into records: inout [String: String]) throws {
        var i = 0
        while i < bytes.count {
            // Trailing NUL padding ends the records.
            if bytes[i] == 0 { break }
            var length = 0
            var j = i
            while j < bytes.count, bytes[j] >= 0x30, bytes[j] <= 0x39 {
                length = length * 10 + Int(bytes[j] - 0x30)
                if length > bytes.count { throw StrataError("corrupt PAX header: record length exceeds the header") }
                j += 1
            }
            guard j < bytes.count, bytes[j] == 0x20, length > j - i + 1, i + length <= bytes.count,
                  bytes[i + length - 1] == 0x0A else {
                throw StrataError("corrupt PAX header: malformed record at byte \(i)")
            }
            let record = bytes[(j + 1)..<(i + length - 1)]
            guard let eq = record.firstIndex(of: UInt8(ascii: "=")) else {
                throw StrataError("corrupt PAX header: record without '=' at byte \(i)")
            }
            let key = String(decoding: record[record.startIndex..<eq], as: UTF8.self)
            guard knownKeys.contains(key) else {
                i += length
                continue
            }
            let valueBytes = Array(record[(eq + 1)...])
            let value = String(validating: valueBytes, as: UTF8.self) ?? TarHeader.escapeInvalid(valueBytes)
            if value.isEmpty {
                records.removeValue(forKey: key)
            } else {
                records[key] = value
            }
            i += length
        }
    }
}
