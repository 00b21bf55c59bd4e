/// The one sanitiser for everything written into a grid. Image content is hostile: C0 and C1
/// control characters, DEL, and bidirectional overrides become visible escapes (`\e`, `\x07`,
/// `\u{202e}`), so no escape sequence from an image ever reaches the terminal raw.
public enum TermSanitizer {
    public static func needsEscape(_ scalar: Unicode.Scalar) -> Bool {
        let v = scalar.value
        return v < 0x20 || v == 0x7F || (0x80...0x9F).contains(v)
            || v == 0x2028 || v == 0x2029 || (0x202A...0x202E).contains(v) || (0x2066...0x2069).contains(v)
    }

    /// The text with every unsafe scalar escaped; tabs become `\t` unless `tabWidth` expands them.
    public static func clean(_ text: String) -> String {
        if !text.unicodeScalars.contains(where: needsEscape) { return text }
        var out = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            if needsEscape(scalar) {
                out.append(contentsOf: escape(scalar).unicodeScalars)
            } else {
                out.append(scalar)
            }
        }
        return String(out)
    }

    /// Decodes bytes as UTF-8 and escapes: invalid bytes become `\xNN`.
    public static func clean(bytes: some Collection<UInt8>) -> String {
        var out = ""
        var decoder = UTF8()
        let raw = Array(bytes)
        var index = 0
        while index < raw.count {
            let length: Int
            switch raw[index] {
            case 0x00...0x7F: length = 1
            case 0xC2...0xDF: length = 2
            case 0xE0...0xEF: length = 3
            case 0xF0...0xF4: length = 4
            default: length = 0
            }
            if length > 0, index + length <= raw.count {
                var it = raw[index..<index + length].makeIterator()
                if case .scalarValue(let scalar) = decoder.decode(&it) {
                    if needsEscape(scalar) { out += escape(scalar) } else { out.unicodeScalars.append(scalar) }
                    index += length
                    continue
                }
            }
            out += hex(raw[index])
            index += 1
        }
        return out
    }

    /// The visible escape for one scalar.
    public static func escape(_ scalar: Unicode.Scalar) -> String {
        switch scalar {
        case "\n": return "\\n"
        case "\r": return "\\r"
        case "\t": return "\\t"
        case "\u{1B}": return "\\e"
        default:
            if scalar.value <= 0xFF { return hex(UInt8(scalar.value)) }
            return "\\u{" + String(scalar.value, radix: 16) + "}"
        }
    }

    static func hex(_ byte: UInt8) -> String {
        let digits: [Character] = Array("0123456789abcdef")
        return "\\x" + String(digits[Int(byte >> 4)]) + String(digits[Int(byte & 0xF)])
    }
}
