import Detection
import TermGrid
import LayerIndex

/// A file as it was in one layer: line numbers, every secret match highlighted (masked until
/// revealed), hex for binaries. Content is bounded by the provider (1 MiB).
public enum ViewerPane {
    public static let limit = 1 << 20

    public static func draw(_ state: ExplorerState, _ rect: Rect, _ grid: inout Grid) {
        let focused = state.focus == .viewer && !state.showHelp
        grid.fill(rect)
        guard let v = state.viewer else { return }
        var title = "\(v.path) @ layer \(v.layer)"
        if v.layer != state.selectedLayer { title += " (deleted by layer \(state.selectedLayer))" }
        grid.box(rect, title: TextWidth.truncateLeft(Sanitize.line(title), columns: max(4, rect.width - 18)),
                 role: focused ? .focusBorder : .border)
        let badge = state.revealed ? " REVEALED " : (v.matches.isEmpty ? "" : " \(v.matches.count) secret\(v.matches.count == 1 ? "" : "s") masked ")
        if !badge.isEmpty {
            grid.putClean(badge, x: rect.maxX - 1 - TextWidth.of(badge), y: rect.y, role: state.revealed ? .error : .secretMasked)
        }
        let inner = rect.inset(1)
        if let error = v.error {
            grid.put(error, x: inner.x + 1, y: inner.y, role: .error, maxWidth: inner.width - 1)
            return
        }
        guard let content = v.content else {
            grid.put("reading layer \(v.layer)…", x: inner.x + 1, y: inner.y, role: .dim, maxWidth: inner.width - 1)
            return
        }
        var footer = "\(Format.bytes(content.size))"
        if let encoding = content.decodedFrom { footer += " · \(encoding)" }
        if content.truncated { footer += " · first \(Format.bytes(Int64(content.bytesRead))) shown" }
        if v.hex { footer += " · hex" }
        footer += " · line \(v.top + 1)/\(v.lineCount)"
        grid.put(" " + footer + " ", x: rect.x + 2, y: rect.maxY - 1, role: .dim, maxWidth: rect.width - 4)
        var body = inner
        if !v.matches.isEmpty && inner.height >= 10 {
            // What was found in this file, under its content.
            let shown = min(v.matches.count, 4)
            body.height -= shown + 1
            grid.hline(x: inner.x, y: body.maxY, width: inner.width)
            let findings = state.scan.findings.filter { $0.location.layer == v.layer && $0.location.path == v.path }
            for (i, m) in v.matches.prefix(shown).enumerated() {
                let y = body.maxY + 1 + i
                var w = RowWriter(Rect(x: inner.x + 1, y: y, width: inner.width - 1, height: 1), y: y)
                w.writeClean("line \(m.line):\(m.column)  ", .dim, into: &grid)
                w.write(m.title + "  ", .title, into: &grid)
                if let f = findings.first(where: { $0.match.start == m.start }) {
                    w.writeClean(Format.status(f), f.status == .present ? .error : .removed, into: &grid)
                }
            }
            if v.matches.count > shown {
                grid.put(" +\(v.matches.count - shown) more ", x: inner.maxX - 12, y: body.maxY, role: .dim, maxWidth: 11)
            }
        }
        if v.hex { drawHex(state, v, content, body, &grid) } else { drawText(state, v, content, body, &grid) }
    }

    static func drawText(_ state: ExplorerState, _ v: ViewerState, _ content: FileContent, _ inner: Rect, _ grid: inout Grid) {
        let bytes = content.bytes
        let numberWidth = max(3, String(v.lineStarts.count).count)
        let bar: Character = grid.boxStyle == .ascii ? "|" : "│"
        for r in 0..<inner.height {
            let lineIndex = v.top + r
            guard lineIndex < v.lineStarts.count else { break }
            let start = v.lineStarts[lineIndex]
            var end = lineIndex + 1 < v.lineStarts.count ? v.lineStarts[lineIndex + 1] : bytes.count
            while end > start, bytes[end - 1] == 0x0A || bytes[end - 1] == 0x0D { end -= 1 }
            let y = inner.y + r
            let number = String(lineIndex + 1)
            let isTarget = v.targetLine == lineIndex + 1
            grid.putClean(String(repeating: " ", count: numberWidth - number.count) + number, x: inner.x, y: y,
                          role: isTarget ? .selection : .dim)
            grid.putClean(String(bar), x: inner.x + numberWidth, y: y, role: .border)
            let textRect = Rect(x: inner.x + numberWidth + 2, y: y, width: inner.width - numberWidth - 2, height: 1)
            let cells = lineCells(bytes, start: start, end: end, matches: v.matches, revealed: state.revealed)
            var col = 0
            var x = textRect.x
            for (text, role) in cells {
                let w = TextWidth.of(text)
                if col >= v.hscroll {
                    if x + w > textRect.maxX { break }
                    x += grid.putClean(text, x: x, y: y, role: role, maxWidth: textRect.maxX - x)
                }
                col += w
            }
        }
    }

    /// One line's display pieces: each decoded scalar (escaped when unsafe) with its role;
    /// bytes inside a match are `secret`, or masked as `*` with `secretMasked`.
    static func lineCells(_ bytes: [UInt8], start: Int, end: Int, matches: [Match], revealed: Bool) -> [(String, Role)] {
        let spans = matches.filter { $0.start < end && $0.end > start }.map { ($0.start, $0.end) }
        var out: [(String, Role)] = []
        var i = start
        var col = 0
        var decoder = UTF8()
        while i < end {
            let b = bytes[i]
            let length: Int
            switch b {
            case 0x00...0x7F: length = 1
            case 0xC2...0xDF: length = 2
            case 0xE0...0xEF: length = 3
            case 0xF0...0xF4: length = 4
            default: length = 0
            }
            let inSecret = spans.contains { i >= $0.0 && i < $0.1 }
            var text: String
            var consumed = 1
            if length > 0, i + length <= end {
                var it = bytes[i..<i + length].makeIterator()
                if case .scalarValue(let s) = decoder.decode(&it) {
                    consumed = length
                    if s == "\t" {
                        text = String(repeating: " ", count: 4 - col % 4)
                    } else if Sanitize.needsEscape(s) {
                        text = Sanitize.escape(s)
                    } else {
                        text = String(Character(s))
                    }
                } else {
                    text = Sanitize.bytes([b])
                }
            } else {
                text = Sanitize.bytes([b])
            }
            if inSecret {
                out.append(revealed ? (text, .secret) : (String(repeating: "*", count: max(1, TextWidth.of(text))), .secretMasked))
            } else {
                out.append((text, .normal))
            }
            col += TextWidth.of(text)
            i += consumed
        }
        return out
    }

    static func drawHex(_ state: ExplorerState, _ v: ViewerState, _ content: FileContent, _ inner: Rect, _ grid: inout Grid) {
        let bytes = content.bytes
        let digits: [Character] = Array("0123456789abcdef")
        for r in 0..<inner.height {
            let offset = (v.top + r) * 16
            guard offset < bytes.count else { break }
            let y = inner.y + r
            var hexOffset = String(offset, radix: 16)
            hexOffset = String(repeating: "0", count: max(0, 8 - hexOffset.count)) + hexOffset
            var x = inner.x
            x += grid.putClean(hexOffset + "  ", x: x, y: y, role: .dim, maxWidth: inner.maxX - x)
            var ascii: [(String, Role)] = []
            for k in 0..<16 {
                let i = offset + k
                guard i < bytes.count else { x += grid.putClean("   ", x: x, y: y, maxWidth: inner.maxX - x); continue }
                let b = bytes[i]
                let secret = v.matches.contains { i >= $0.start && i < $0.end }
                let masked = secret && !state.revealed
                let role: Role = secret ? (masked ? .secretMasked : .secret) : .normal
                let pair = masked ? "**" : String([digits[Int(b >> 4)], digits[Int(b & 0xF)]])
                x += grid.putClean(pair, x: x, y: y, role: role, maxWidth: inner.maxX - x)
                x += grid.putClean(k == 7 ? "  " : " ", x: x, y: y, maxWidth: inner.maxX - x)
                let printable = b >= 0x20 && b < 0x7F
                ascii.append((masked ? "*" : (printable ? String(UnicodeScalar(b)) : "."), role))
            }
            x += grid.putClean(" ", x: x, y: y, maxWidth: inner.maxX - x)
            for (c, role) in ascii { x += grid.putClean(c, x: x, y: y, role: role, maxWidth: inner.maxX - x) }
        }
    }
}
