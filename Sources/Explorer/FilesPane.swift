import LayerIndex
import TermGrid

/// The selected layer's files: its changes (default) or the merged filesystem as of it, as a tree.
public enum FilesPane {
    public static func draw(_ state: ExplorerState, _ rect: Rect, _ grid: inout Grid) {
        let focused = state.focus == .files && !state.showHelp
        grid.fill(rect)
        let mode = state.merged ? "merged filesystem" : "changes"
        grid.box(rect, title: "Files · layer \(state.selectedLayer) · \(mode)", role: focused ? .focusBorder : .border)
        let inner = rect.inset(1)
        var footer: [String] = []
        if !state.filter.isEmpty { footer.append("filter: \(state.filter)") }
        if state.onlyFindings { footer.append("only files with findings") }
        if !footer.isEmpty {
            grid.put(" " + footer.joined(separator: " · ") + " ", x: rect.x + 2, y: rect.maxY - 1, role: .status, maxWidth: rect.width - 4)
        }
        guard let tree = state.tree() else {
            var text = state.scan.states[state.selectedLayer] == .failed ? "this layer could not be read" : "reading layer…"
            if state.treePending, let n = state.scan.results[state.selectedLayer]?.contents.entries.count {
                text = "building the file tree (\(n) entries)…"
            }
            grid.put(text, x: inner.x + 1, y: inner.y, role: .dim, maxWidth: inner.width - 1)
            return
        }
        let rows = state.visibleRows()
        if rows.isEmpty {
            let text = state.filter.isEmpty && !state.onlyFindings ? "this layer changes no files" : "no files match"
            grid.put(text, x: inner.x + 1, y: inner.y, role: .dim, maxWidth: inner.width - 1)
            return
        }
        let ascii = grid.boxStyle == .ascii
        for r in 0..<inner.height {
            let rowIndex = state.fileTop + r
            guard rowIndex < rows.count else { break }
            let node = tree.nodes[rows[rowIndex]]
            let y = inner.y + r
            let selected = rowIndex == state.fileCursor
            drawRow(node, collapsed: state.collapsed.contains(node.path), selected: selected, ascii: ascii,
                    merged: state.merged, layer: state.selectedLayer, Rect(x: inner.x, y: y, width: inner.width, height: 1), &grid)
        }
        if rows.count > inner.height {
            grid.put(" \(state.fileCursor + 1)/\(rows.count) ", x: rect.maxX - 14, y: rect.maxY - 1, role: .dim, maxWidth: 12)
        }
    }

    static func marker(_ kind: ChangeKind?) -> (String, Role) {
        switch kind {
        case .added?: return ("+", .added)
        case .modified?: return ("~", .modified)
        case .removed?: return ("-", .whiteout)
        case .opaque?: return ("#", .opaque)
        case nil: return (" ", .normal)
        }
    }

    static func drawRow(_ node: TreeNode, collapsed: Bool, selected: Bool, ascii: Bool, merged: Bool, layer: Int,
                        _ rect: Rect, _ grid: inout Grid) {
        var w = RowWriter(rect, y: rect.y)
        let (mark, markRole) = marker(node.kind)
        let nameRole: Role = selected ? .selection : (node.kind == nil ? (merged && node.layer != layer ? .dim : .normal) : markRole)
        w.writeClean(String(repeating: " ", count: min(node.depth * 2, 40)), selected ? .selection : .normal, into: &grid)
        let fold = node.isDirectory ? (collapsed ? (ascii ? "+" : "▸") : (ascii ? "-" : "▾")) : " "
        w.writeClean(fold, selected ? .selection : .dim, into: &grid)
        w.writeClean(mark + " ", selected ? .selection : markRole, into: &grid)
        var name = node.name + (node.isDirectory ? "/" : "")
        if let target = node.entry?.linkTarget { name += " → " + target }
        var suffix = ""
        switch node.kind {
        case .removed?: suffix = " (whiteout)"
        case .opaque?: suffix = " (opaque: hides lower layers)"
        default: break
        }
        var right = ""
        if node.isDirectory {
            right = "\(node.fileCount) file" + (node.fileCount == 1 ? "" : "s")
        } else if let e = node.entry, node.kind != .removed {
            right = Format.bytes(e.size)
        }
        if merged, node.layer != layer, !node.isDirectory { right = "L\(node.layer) " + right }
        let flag = node.isDirectory ? (node.findingFiles > 0 ? " " + (ascii ? "!" : "⚑") + "\(node.findingFiles)" : "")
            : (node.matches > 0 ? " " + (ascii ? "!" : "⚑") + "\(node.matches)" : "")
        let rightWidth = TextWidth.of(right) + TextWidth.of(flag) + 1
        let nameWidth = max(4, w.remaining - rightWidth)
        let clean = Sanitize.line(name)
        w.writeClean(TextWidth.truncate(clean, columns: nameWidth), nameRole, into: &grid)
        if !suffix.isEmpty, w.remaining > rightWidth {
            w.writeClean(TextWidth.truncate(suffix, columns: w.remaining - rightWidth), selected ? .selection : markRole, into: &grid)
        }
        if selected { grid.fill(Rect(x: w.x, y: rect.y, width: rect.maxX - w.x, height: 1), role: .selection) }
        let rx = rect.maxX - rightWidth + 1
        if rx > w.x {
            var rw = RowWriter(Rect(x: rx, y: rect.y, width: rect.maxX - rx, height: 1), y: rect.y)
            rw.writeClean(right, selected ? .selection : .dim, into: &grid)
            rw.writeClean(flag, .finding, into: &grid)
        }
    }
}
