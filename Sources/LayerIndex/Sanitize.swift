/// Makes attacker-controlled text (file names, contents, config values) safe to print, on a
/// terminal or in a report: C0 and C1 control characters, DEL, line separators and
/// bidirectional overrides become visible escapes (`\e`, `\x07`, `\u{202e}`), invalid UTF-8
/// becomes `\xNN`. The one sanitiser: reports, errors and the explorer's grid all use it.
public enum Sanitize {
    /// Escapes one line of text. Newlines and tabs are escaped too.
    public static func line(_ text: String) -> String {
        if isClean(text) { return text }
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            append(scalar, to: &out)
        }
        return out
    }

    /// Escapes raw bytes that should be text: invalid UTF-8 sequences become `\xNN`.
    public static func bytes(_ bytes: some Collection<UInt8>) -> String {
        utf8(Array(bytes), escapeControls: true)
    }

    /// Decodes UTF-8 keeping every valid scalar and writing each invalid byte as `\xNN`; with
    /// `escapeControls`, scalars that `needsEscape` are escaped too (without, the text keeps them:
    /// tar names are stored that way and escaped only when printed).
    public static func utf8(_ raw: [UInt8], escapeControls: Bool) -> String {
        var out = ""
        out.reserveCapacity(raw.count)
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
                var iterator = raw[index..<index + length].makeIterator()
                var decoder = UTF8()
                if case .scalarValue(let scalar) = decoder.decode(&iterator) {
                    if escapeControls { append(scalar, to: &out) } else { out.unicodeScalars.append(scalar) }
                    index += length
                    continue
                }
            }
            out += hexEscape(raw[index])
            index += 1
        }
        return out
    }

    /// True when the text contains nothing that `line` would escape.
    public static func isClean(_ text: String) -> Bool {
        text.unicodeScalars.allSatisfy { !needsEscape($0) }
    }

    public static func needsEscape(_ scalar: Unicode.Scalar) -> Bool {
        let v = scalar.value
        return v < 0x20 || v == 0x7F || (0x80...0x9F).contains(v)
            || v == 0x2028 || v == 0x2029 || (0x202A...0x202E).contains(v) || (0x2066...0x2069).contains(v)
    }

    /// The visible escape of one scalar that `needsEscape`.
    public static func escape(_ scalar: Unicode.Scalar) -> String {
        switch scalar {
        case "\n": return "\\n"
        case "\r": return "\\r"
        case "\t": return "\\t"
        case "\u{1B}": return "\\e"
        default:
            if scalar.value <= 0xFF { return hexEscape(UInt8(scalar.value)) }
            return "\\u{" + String(scalar.value, radix: 16) + "}"
        }
    }

    static func append(_ scalar: Unicode.Scalar, to out: inout String) {
        if needsEscape(scalar) { out += escape(scalar) } else { out.unicodeScalars.append(scalar) }
    }

    static func hexEscape(_ byte: UInt8) -> String {
        let digits = Array("0123456789abcdef")
        return "\\x" + String(digits[Int(byte >> 4)]) + String(digits[Int(byte & 0xF)])
    }
}
