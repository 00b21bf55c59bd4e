/// Display width of text in terminal columns: East Asian wide and fullwidth characters take
/// two columns, combining marks and zero-width characters take none.
public enum TextWidth {
    /// Columns one scalar takes: 0, 1 or 2.
    public static func of(_ scalar: Unicode.Scalar) -> Int {
        let v = scalar.value
        if v == 0 { return 0 }
        if isZeroWidth(v) { return 0 }
        if isWide(v) { return 2 }
        return 1
    }

    /// Columns a grapheme cluster takes (its first scalar decides, its marks add nothing).
    public static func of(_ character: Character) -> Int {
        var width = 0
        for scalar in character.unicodeScalars {
            let w = of(scalar)
            if width == 0 { width = w } else if w == 2 { width = 2 }
        }
        return width
    }

    /// Columns a string takes.
    public static func of(_ text: String) -> Int {
        var total = 0
        for character in text { total += of(character) }
        return total
    }

    /// The longest prefix of `text` that fits in `columns`, with its width.
    public static func prefix(_ text: String, columns: Int) -> (text: String, width: Int) {
        var out = ""
        var width = 0
        for character in text {
            let w = of(character)
            if width + w > columns { break }
            out.append(character)
            width += w
        }
        return (out, width)
    }

    /// Text cut to `columns`, ending in `…` when it was cut.
    public static func truncate(_ text: String, columns: Int) -> String {
        guard columns > 0 else { return "" }
        if of(text) <= columns { return text }
        return prefix(text, columns: columns - 1).text + "…"
    }

    /// Text cut from the left to `columns`, starting with `…` when it was cut (for paths).
    public static func truncateLeft(_ text: String, columns: Int) -> String {
        guard columns > 0 else { return "" }
        if of(text) <= columns { return text }
        var kept: [Character] = []
        var width = 0
        for character in text.reversed() {
            let w = of(character)
            if width + w > columns - 1 { break }
            kept.append(character)
            width += w
        }
        return "…" + String(kept.reversed())
    }

    /// Splits text into lines of at most `columns` columns (hard wrap, no word logic needed for build steps
    /// but breaks at spaces when one is close).
    public static func wrap(_ text: String, columns: Int) -> [String] {
        guard columns > 0 else { return [] }
        var lines: [String] = []
        var rest = Substring(text)
        while !rest.isEmpty {
            var width = 0
            var end = rest.startIndex
            var lastSpace: String.Index?
            while end < rest.endIndex {
                let w = of(rest[end])
                if width + w > columns { break }
                if rest[end] == " " { lastSpace = end }
                width += w
                end = rest.index(after: end)
            }
            if end < rest.endIndex, let space = lastSpace, rest.distance(from: rest.startIndex, to: space) > columns / 2 {
                end = rest.index(after: space)
            }
            if end == rest.startIndex { end = rest.index(after: end) }
            lines.append(String(rest[rest.startIndex..<end]))
            rest = rest[end...]
        }
        return lines.isEmpty ? [""] : lines
    }

    static func isZeroWidth(_ v: UInt32) -> Bool {
        switch v {
        case 0x0300...0x036F, 0x0483...0x0489, 0x0591...0x05BD, 0x0610...0x061A, 0x064B...0x065F,
             0x0670, 0x06D6...0x06DC, 0x06DF...0x06E4, 0x0E31, 0x0E34...0x0E3A, 0x0E47...0x0E4E,
             0x1AB0...0x1AFF, 0x1DC0...0x1DFF, 0x200B...0x200F, 0x20D0...0x20FF, 0xFE00...0xFE0F,
             0xFE20...0xFE2F, 0xFEFF, 0xE0100...0xE01EF:
            return true
        default:
            return false
        }
    }

    static func isWide(_ v: UInt32) -> Bool {
        switch v {
        case 0x1100...0x115F, 0x231A...0x231B, 0x2329...0x232A, 0x23E9...0x23EC, 0x23F0, 0x23F3,
             0x25FD...0x25FE, 0x2614...0x2615, 0x2648...0x2653, 0x267F, 0x2693, 0x26A1, 0x26AA...0x26AB,
             0x26BD...0x26BE, 0x26C4...0x26C5, 0x26CE, 0x26D4, 0x26EA, 0x26F2...0x26F3, 0x26F5, 0x26FA,
             0x26FD, 0x2705, 0x270A...0x270B, 0x2728, 0x274C, 0x274E, 0x2753...0x2755, 0x2757,
             0x2795...0x2797, 0x27B0, 0x27BF, 0x2B1B...0x2B1C, 0x2B50, 0x2B55,
             0x2E80...0x303E, 0x3041...0x33FF, 0x3400...0x4DBF, 0x4E00...0x9FFF, 0xA000...0xA4CF,
             0xA960...0xA97F, 0xAC00...0xD7A3, 0xF900...0xFAFF, 0xFE10...0xFE19, 0xFE30...0xFE6F,
             0xFF00...0xFF60, 0xFFE0...0xFFE6, 0x1F300...0x1F64F, 0x1F900...0x1F9FF,
             0x20000...0x2FFFD, 0x30000...0x3FFFD:
            return true
        default:
            return false
        }
    }
}
