import Scanner
import TermGrid
import LayerIndex

/// Findings grouped by secret (fingerprint): each secret, then every place it occurs with its
/// status; the selected occurrence's build step and fix are shown below the list.
public enum FindingsPane {
    static func detailHeight(_ rect: Rect) -> Int { min(8, max(4, rect.height / 3)) }

    public static func listHeight(_ rect: Rect) -> Int { max(1, rect.height - 2 - detailHeight(rect)) }

    public static func draw(_ state: ExplorerState, _ rect: Rect, _ grid: inout Grid) {
        let focused = state.focus == .findings && !state.showHelp
        grid.fill(rect)
        let rows = state.findingRows()
        let secrets = rows.filter { if case .secret = $0 { return true } else { return false } }.count
        let occurrences = rows.count - secrets
        let suffix = state.scan.isComplete ? "" : " (scanning…)"
        grid.box(rect, title: "Findings · \(secrets) secret\(secrets == 1 ? "" : "s") in \(occurrences) place\(occurrences == 1 ? "" : "s")\(suffix)",
                 role: focused ? .focusBorder : .border)
        let inner = rect.inset(1)
        if rows.isEmpty {
            grid.put(state.scan.isComplete ? "no secrets found in any layer, the config or the history" : "no findings yet",
                     x: inner.x + 1, y: inner.y, role: .dim, maxWidth: inner.width - 1)
            return
        }
        let height = listHeight(rect)
        let ascii = grid.boxStyle == .ascii
        for r in 0..<height {
            let index = state.findingsTop + r
            guard index < rows.count else { break }
            let y = inner.y + r
            let selected = index == state.findingsCursor
            var w = RowWriter(Rect(x: inner.x + 1, y: y, width: inner.width - 1, height: 1), y: y)
            switch rows[index] {
            case .secret(_, let f, let count):
                w.writeClean(ascii ? "* " : "● ", .finding, into: &grid)
                w.write(f.match.title, .title, into: &grid)
                w.writeClean("  ", .normal, into: &grid)
                w.write(state.revealed ? (f.match.secret ?? f.match.preview) : f.match.preview, state.revealed ? .secret : .secretMasked, into: &grid)
                w.writeClean("  \(f.severity.rawValue)" + (count > 1 ? " ×\(count)" : ""), .dim, into: &grid)
            case .occurrence(let f):
                let role: Role = selected ? .selection : .normal
                let statusRole: Role = selected ? .selection : (f.status == .present || f.status == .config ? .error : .removed)
                w.writeClean("   ", role, into: &grid)
                w.writeClean(pad(Format.status(f), 22), statusRole, into: &grid)
                w.write(Format.location(f), role, into: &grid)
                if selected { grid.fill(Rect(x: w.x, y: y, width: inner.maxX - w.x, height: 1), role: .selection) }
            }
        }
        // The selected occurrence, explained.
        let top = inner.y + height
        grid.hline(x: inner.x, y: top, width: inner.width)
        guard case .occurrence(let f)? = rows[safe: state.findingsCursor] else { return }
        var lines: [(String, Role)] = []
        if let step = f.introducedBy { lines.append(("added by: " + state.redact(Format.step(step)), .help)) }
        if !f.remediation.isEmpty { lines.append(("fix: " + f.remediation, .normal)) }
        if f.match.checksumValid == true { lines.append(("checksum valid: a real token's shape, not a placeholder", .dim)) }
        var y = top + 1
        for (text, role) in lines {
            for part in TextWidth.wrap(Sanitize.line(text), columns: max(1, inner.width - 2)) {
                guard y < inner.maxY else { break }
                grid.putClean(part, x: inner.x + 1, y: y, role: role, maxWidth: inner.width - 1)
                y += 1
            }
        }
    }

    static func pad(_ s: String, _ n: Int) -> String {
        let w = TextWidth.of(s)
        return w >= n ? s + " " : s + String(repeating: " ", count: n - w)
    }
}
