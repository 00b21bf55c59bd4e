import TermGrid

/// Draws the whole screen from the state: the panes, the status bar, and help on top.
public enum Screen {
    public static func draw(_ state: ExplorerState, into grid: inout Grid) {
        grid.fill(grid.bounds)
        let l = state.layout
        LayersPane.draw(state, l.layers, &grid)
        DetailsPane.draw(state, l.details, &grid)
        switch state.right {
        case .viewer where state.viewer != nil: ViewerPane.draw(state, l.right, &grid)
        case .findings: FindingsPane.draw(state, l.right, &grid)
        default: FilesPane.draw(state, l.right, &grid)
        }
        StatusBar.draw(state, l.status, &grid)
        if state.showHelp { HelpScreen.draw(state, grid.bounds, &grid) }
        if grid.boxStyle == .ascii { asciiOnly(&grid) }
    }

    /// ASCII stand-ins for the interface's own symbols, for terminals without Unicode.
    static let asciiTable: [Character: Character] = [
        "·": "-", "…": "~", "→": ">", "⏎": "<", "▏": "|", "×": "x", "●": "*", "⚑": "!", "✓": "+", "◌": "~",
        "≡": "=", "✗": "x", "▸": "+", "▾": "-", "↑": "^", "↓": "v", "←": "<", "─": "-", "│": "|",
    ]

    static func asciiOnly(_ grid: inout Grid) {
        for y in 0..<grid.height {
            for x in 0..<grid.width {
                let cell = grid[x, y]
                if let replacement = asciiTable[cell.character] { grid[x, y] = Cell(replacement, role: cell.role) }
            }
        }
    }

    /// A fresh grid of the state's size with everything drawn.
    public static func render(_ state: ExplorerState) -> Grid {
        var grid = Grid(width: state.width, height: state.height, boxStyle: state.boxStyle)
        draw(state, into: &grid)
        return grid
    }
}

/// The bottom line: a prompt when one is open, else a message, else live scan progress; key hints right.
public enum StatusBar {
    public static func draw(_ state: ExplorerState, _ rect: Rect, _ grid: inout Grid) {
        guard !rect.isEmpty else { return }
        grid.fill(rect, role: .status)
        if let p = state.prompt {
            var w = RowWriter(rect, y: rect.y)
            w.write(p.label, .key, into: &grid)
            w.write(p.text, .status, into: &grid)
            w.writeClean("▏", .key, into: &grid)
            return
        }
        // Hints in order of importance: the ones that fit are shown.
        let all = ["? help", "q quit", "f findings", "⏎ open", "Tab pane", "m merged", "r reveal", "/ filter"]
        var left: String
        var role: Role = .status
        if let m = state.message {
            left = m.text
            role = m.isError ? .error : .status
        } else {
            left = progressText(state)
        }
        if state.layout.tooSmall { left = "terminal is \(state.width)x\(state.height); 80x24 shows everything · " + left }
        // What the scan says wins over hints; hints fill the room that is left.
        let room = rect.width - TextWidth.of(left) - 4
        var chosen: [String] = []
        for h in all where TextWidth.of((chosen + [h]).joined(separator: "  ")) <= room { chosen.append(h) }
        let order = ["Tab pane", "⏎ open", "f findings", "m merged", "/ filter", "r reveal", "? help", "q quit"]
        let hint = order.filter(chosen.contains).joined(separator: "  ")
        grid.put(" " + left, x: rect.x, y: rect.y, role: role, maxWidth: rect.width - TextWidth.of(hint) - 1)
        if !hint.isEmpty { grid.putClean(hint, x: rect.maxX - TextWidth.of(hint) - 1, y: rect.y, role: .key) }
    }

    static func progressText(_ state: ExplorerState) -> String {
        let scan = state.scan
        guard let image = scan.image else { return "reading manifest and config…" }
        let ref = image.reference
        if scan.isComplete {
            let secrets = Set(scan.findings.map(\.fingerprint)).count
            var s = "\(ref) · \(scan.layerCount) layers · \(secrets) secret\(secrets == 1 ? "" : "s")"
            if !scan.failures.isEmpty { s += " · \(scan.failures.count) failed" }
            return s
        }
        var s = "\(ref) · scanning"
        if let p = scan.progress {
            s += " \(p.layersDone)/\(p.layersTotal) layers · \(Format.bytes(p.bytesDone))/\(Format.bytes(p.bytesTotal))"
            if p.bytesPerSecond > 0 { s += " · \(Format.bytes(Int64(p.bytesPerSecond)))/s" }
            if let eta = p.eta { s += " · ETA \(Int(eta.rounded()))s" }
        } else {
            let done = scan.states.values.filter { $0 == .done || $0 == .cached }.count
            s += " \(done)/\(scan.layerCount) layers"
        }
        return s
    }
}

/// The `?` screen, generated from the action table and the keymaps.
public enum HelpScreen {
    public static func lines(_ keymap: Keymap) -> [(String, Role)] {
        var out: [(String, Role)] = []
        for group in Action.Group.allCases {
            out.append((group.rawValue, .title))
            for action in Action.allCases where action.group == group {
                let keys = keymap.keys(for: action).map { k in
                    k.pane.map { "\(k.key.name) (\($0.rawValue))" } ?? k.key.name
                }
                guard !keys.isEmpty else { continue }
                let keyText = keys.joined(separator: " ")
                out.append(("  " + keyText.padding(toLength: 19) + action.help, .help))
            }
            out.append(("", .normal))
        }
        out.append(("Markers", .title))
        out.append(("  + added  ~ modified  - removed (whiteout)", .normal))
        out.append(("  # opaque directory  ⚑ files with findings", .normal))
        out.append(("  · queued  ◌ scanning  ✓ done  ≡ cached  ✗ failed", .normal))
        return out
    }

    public static func draw(_ state: ExplorerState, _ bounds: Rect, _ grid: inout Grid) {
        let all = lines(state.keymap)
        // Two columns when the screen is wide enough, so the whole table fits at once.
        let twoColumns = bounds.width >= 110
        let width = min(bounds.width - 2, twoColumns ? 150 : 90)
        var columns: [[(String, Role)]] = [all]
        if twoColumns {
            // Split at a group boundary near the middle; the legend stays at the end of the right column.
            let breaks = all.indices.filter { all[$0].0.isEmpty }
            let middle = all.count / 2
            if let split = breaks.min(by: { abs($0 - middle) < abs($1 - middle) }) {
                columns = [Array(all[..<split]), Array(all[(split + 1)...])]
            }
        }
        let tallest = columns.map(\.count).max() ?? 0
        let height = max(3, min(bounds.height - 2, tallest + 2))
        let rect = Rect(x: bounds.x + (bounds.width - width) / 2, y: bounds.y + 1, width: width, height: height)
        grid.fill(rect)
        grid.box(rect, title: tallest + 2 > height ? "Help · any key closes · j/k scroll" : "Help · any key closes", role: .focusBorder)
        let inner = rect.inset(1)
        let columnWidth = inner.width / columns.count
        for (c, column) in columns.enumerated() {
            let top = min(state.helpTop, max(0, column.count - inner.height))
            for (i, line) in column.dropFirst(top).prefix(inner.height).enumerated() {
                var text = line.0
                if grid.boxStyle == .ascii {
                    text = text.replacingAll(["⚑": "!", "·": ".", "◌": "~", "✓": "+", "≡": "=", "✗": "x", "↑": "Up", "↓": "Down", "←": "Left", "→": "Right"])
                }
                grid.put(text, x: inner.x + 1 + c * columnWidth, y: inner.y + i, role: line.1, maxWidth: columnWidth - 1)
            }
        }
    }
}

extension String {
    func padding(toLength n: Int) -> String {
        let w = TextWidth.of(self)
        return w >= n ? self + " " : self + String(repeating: " ", count: n - w)
    }

    func replacingAll(_ table: [Character: String]) -> String {
        var out = ""
        for c in self { if let r = table[c] { out += r } else { out.append(c) } }
        return out
    }
}
