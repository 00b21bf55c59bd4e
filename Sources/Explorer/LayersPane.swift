import LayerIndex
import TermGrid

/// The layer list: index, scan state, size, build step and a findings badge.
public enum LayersPane {
    public static func draw(_ state: ExplorerState, _ rect: Rect, _ grid: inout Grid) {
        let focused = state.focus == .layers && !state.showHelp
        grid.fill(rect)
        let done = state.scan.states.values.filter { $0 == .done || $0 == .cached }.count
        grid.box(rect, title: "Layers \(done)/\(state.scan.layerCount)", role: focused ? .focusBorder : .border)
        let inner = rect.inset(1)
        guard let image = state.scan.image else {
            grid.put("reading manifest…", x: inner.x + 1, y: inner.y, role: .dim, maxWidth: inner.width - 1)
            return
        }
        let ascii = grid.boxStyle == .ascii
        for row in 0..<inner.height {
            let index = state.layerTop + row
            guard index < image.layers.count else { break }
            let layer = image.layers[index]
            let y = inner.y + row
            let selected = index == state.selectedLayer
            var w = RowWriter(inner, y: y)
            let base: Role = selected ? .selection : .normal
            let scanState = state.scan.states[index]
            w.writeClean(pad(String(index), 3) + " ", base, into: &grid)
            w.writeClean(Format.stateGlyph(scanState, ascii: ascii) + " ", selected ? .selection : (scanState == .failed ? .error : .dim), into: &grid)
            w.writeClean(pad(Format.bytes(layer.size), 8) + " ", base, into: &grid)
            let count = state.scan.findingCount(layer: index)
            let badge = count > 0 ? " " + (ascii ? "!" : "⚑") + String(count) : ""
            let stepWidth = max(0, w.remaining - TextWidth.of(badge))
            w.write(TextWidth.truncate(Sanitize.line(state.redact(Format.step(layer.createdBy))), columns: stepWidth), base, into: &grid)
            if !badge.isEmpty {
                let bx = inner.maxX - TextWidth.of(badge)
                if selected { grid.fill(Rect(x: w.x, y: y, width: bx - w.x, height: 1), role: .selection) }
                grid.putClean(badge, x: bx, y: y, role: .finding)
            } else if selected {
                grid.fill(Rect(x: w.x, y: y, width: inner.maxX - w.x, height: 1), role: .selection)
            }
        }
        if image.layers.count > inner.height {
            grid.put(" \(state.layerTop + 1)-\(min(image.layers.count, state.layerTop + inner.height)) of \(image.layers.count) ",
                     x: rect.x + 2, y: rect.maxY - 1, role: .dim, maxWidth: rect.width - 4)
        }
    }

    static func pad(_ s: String, _ n: Int) -> String {
        let w = TextWidth.of(s)
        return w >= n ? s : String(repeating: " ", count: n - w) + s
    }
}

/// The selected layer's facts: digest, the full build step, change counts, history-only bytes.
public enum DetailsPane {
    public static func draw(_ state: ExplorerState, _ rect: Rect, _ grid: inout Grid) {
        grid.fill(rect)
        grid.box(rect, title: "Layer details")
        let inner = rect.inset(1)
        guard inner.height > 0, let layer = state.scan.image?.layers[safe: state.selectedLayer] else { return }
        var lines: [(String, Role)] = []
        let st = state.scan.states[layer.index]?.rawValue ?? "queued"
        lines.append(("layer \(layer.index) · \(st) · \(Format.bytes(layer.size)) stored", .normal))
        lines.append(("digest  \(layer.digest.algorithm):\(layer.digest.hex.prefix(24))…", .dim))
        if let stack = state.stackIfReady(covering: layer.index), let c = stack.counts[safe: layer.index] {
            let summary = "+\(c.added) added  ~\(c.modified) modified  -\(c.removed) removed" + (c.opaque > 0 ? "  #\(c.opaque) opaque" : "")
            for part in TextWidth.wrap(summary, columns: max(1, inner.width - 1)) { lines.append((part, .normal)) }
            if state.scan.isComplete {
                lines.append((c.historyOnlyBytes > 0 ? "only in history: \(Format.bytes(c.historyOnlyBytes))" : "nothing here is hidden later",
                              c.historyOnlyBytes > 0 ? .removed : .dim))
            }
        } else if let contents = state.scan.results[layer.index]?.contents {
            lines.append(("\(contents.entries.count) entries (lower layers still scanning)", .dim))
        } else {
            lines.append(("not read yet", .dim))
        }
        if let args = Format.buildArgs(layer.createdBy) {
            // Build arguments are recorded in the history: where ARG secrets leak.
            let shown = state.redact(args)
            for part in TextWidth.wrap(Sanitize.line("build args: " + shown), columns: max(1, inner.width - 1)) {
                lines.append((part, shown != args ? .finding : .dim))
            }
        }
        let step = Sanitize.line(state.redact(Format.step(layer.createdBy)))
        let wrapped = TextWidth.wrap(step.isEmpty ? "(no history for this layer)" : step, columns: max(1, inner.width - 1))
        for line in wrapped { lines.append((line, .help)) }
        for (i, line) in lines.prefix(inner.height).enumerated() {
            grid.put(line.0, x: inner.x + 1, y: inner.y + i, role: line.1, maxWidth: inner.width - 1)
        }
    }
}
