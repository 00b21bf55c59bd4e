import Detection
import LayerIndex
import Scanner
import TermGrid

/// Events the loop feeds into the state: scanner events, keys, and finished effects.
public enum ExplorerEvent: Sendable {
    case scan(ScanEvent)
    case key(Key)
    case fileLoaded(layer: Int, path: String, result: Result<FileContent, StrataError>)
    case extracted(path: String, destination: String, result: Result<Int64, StrataError>)
    /// A file tree finished building in the background.
    case treeBuilt
}

extension ExplorerState {
    /// Applies one event; returns the work the loop should start.
    public mutating func reduce(_ event: ExplorerEvent) -> [Effect] {
        switch event {
        case .scan(let e):
            let before = scan.layerCount
            scan.apply(e)
            if before == 0, scan.layerCount > 0 { selectedLayer = 0 }
            refreshViewerMatches()
            clampCursors()
            return []
        case .key(let key):
            return handle(key)
        case .treeBuilt:
            clampCursors()
            return []
        case .fileLoaded(let layer, let path, let result):
            guard var v = viewer, v.layer == layer, v.path == path else { return [] }
            switch result {
            case .success(let loaded):
                let content = loaded.decodedForDisplay()
                v.content = content
                v.lineStarts = Self.lineStarts(content.bytes)
                v.hex = Self.looksBinary(content.bytes)
                v.error = nil
                if let target = v.targetLine, !v.hex {
                    v.top = max(0, target - 1 - Layout.listHeight(layout.right) / 3)
                } else if let first = v.matches.first, v.hex {
                    v.top = max(0, first.start / 16 - 2)
                }
            case .failure(let error):
                v.error = error.description
            }
            viewer = v
            return []
        case .extracted(_, let destination, let result):
            switch result {
            case .success(let bytes): message = ("wrote \(bytes) bytes to \(destination)", false)
            case .failure(let error): message = (error.description, true)
            }
            return []
        }
    }

    mutating func handle(_ key: Key) -> [Effect] {
        if case .resize(let w, let h) = key {
            width = w
            height = h
            clampCursors()
            return []
        }
        if case .click(let x, let y) = key { return click(x: x, y: y) }
        if case .scrollUp = key { return perform(.up) }
        if case .scrollDown = key { return perform(.down) }
        if prompt != nil { return promptKey(key) }
        if showHelp {
            switch key {
            case .down, .char("j"): helpTop += 1
            case .up, .char("k"): helpTop = max(0, helpTop - 1)
            case .char("q"), .ctrl("c"): quitRequested = true; return [.quit]
            default: showHelp = false
            }
            return []
        }
        message = nil
        guard let action = keymap.action(for: key, in: focus) else { return [] }
        return perform(action)
    }

    /// Runs one action from the table.
    public mutating func perform(_ action: Action) -> [Effect] {
        var effects: [Effect] = []
        switch action {
        case .quit:
            quitRequested = true
            effects.append(.quit)
        case .help:
            showHelp = true
            helpTop = 0
        case .nextPane, .previousPane:
            var order: [Pane] = [.layers, .files]
            if viewer != nil { order.append(.viewer) }
            order.append(.findings)
            let i = order.firstIndex(of: focus) ?? 0
            focus = order[(i + (action == .nextPane ? 1 : order.count - 1)) % order.count]
            if focus != .layers { right = focus }
        case .up: move(-1)
        case .down: move(1)
        case .pageUp: move(-pageSize)
        case .pageDown: move(pageSize)
        case .top: move(-Int.max / 2)
        case .bottom: move(Int.max / 2)
        case .left:
            if focus == .viewer, var v = viewer { v.hscroll = max(0, v.hscroll - 8); viewer = v }
            else if focus == .files, let node = selectedNode {
                if node.isDirectory && !collapsed.contains(node.path) { collapsed.insert(node.path) }
                else if let parent = node.parent, let tree = tree() { select(path: tree.nodes[parent].path) }
            } else if focus != .layers { focus = .layers }
        case .right:
            if focus == .viewer, var v = viewer { v.hscroll += 8; viewer = v }
            else if focus == .files, let node = selectedNode, node.isDirectory { collapsed.remove(node.path) }
            else if focus == .layers { focus = right }
        case .open: effects += open()
        case .toggleCollapse:
            if focus == .files, let node = selectedNode, node.isDirectory { toggle(node.path) }
            else if focus == .viewer { move(pageSize) }
        case .collapseAll:
            if let tree = tree() { collapsed = Set(tree.nodes.filter { $0.isDirectory }.map(\.path)); fileCursor = 0 }
        case .expandAll: collapsed = []
        case .findings:
            if focus == .findings && right == .findings { focus = .layers; right = viewer != nil ? .viewer : .files }
            else { focus = .findings; right = .findings }
        case .toggleMerged:
            let path = selectedNode?.path
            merged.toggle()
            fileCursor = 0
            if let path { select(path: path) }
            message = (merged ? "merged filesystem as of layer \(selectedLayer)" : "changes made by layer \(selectedLayer)", false)
        case .filter:
            prompt = Prompt(kind: .filter, text: filter, original: filter)
        case .onlyFindings:
            onlyFindings.toggle()
            fileCursor = 0
            if focus == .layers { focus = .files; right = .files }
        case .nextFinding, .previousFinding:
            effects += stepFinding(action == .nextFinding ? 1 : -1)
        case .reveal:
            revealed.toggle()
            message = (revealed ? "secrets revealed: press r to mask them again" : "secrets masked", revealed)
        case .extract:
            if let (layer, path) = fileForAction() {
                // A name from the image may hold anything: suggest a tame one (the user can edit it).
                let tame = String(PathNormalizer.basename(path).unicodeScalars.map { s -> Character in
                    (s.isASCII && (s.properties.isAlphabetic || ("0"..."9").contains(s) || "._-".unicodeScalars.contains(s))) ? Character(s) : "_"
                })
                prompt = Prompt(kind: .extract(layer: layer, path: path), text: "./" + (tame.isEmpty ? "extracted" : tame))
            } else {
                message = ("select a file to extract", true)
            }
        case .hex:
            if var v = viewer { v.hex.toggle(); v.top = 0; viewer = v }
        case .back:
            if focus == .viewer || right == .viewer { viewer = nil; right = .files; focus = .files }
            else if right == .findings { right = viewer != nil ? .viewer : .files; focus = .layers }
            else if !filter.isEmpty { filter = "" }
        }
        clampCursors()
        return effects
    }

    var pageSize: Int { max(1, Layout.listHeight(focus == .layers ? layout.layers : layout.right) - 1) }

    mutating func move(_ delta: Int) {
        switch focus {
        case .layers:
            let count = scan.layerCount
            guard count > 0 else { return }
            let next = min(count - 1, max(0, selectedLayer.addingReportingOverflow(delta).partialValue))
            if next != selectedLayer {
                let path = selectedNode?.path
                selectedLayer = next
                fileCursor = 0
                fileTop = 0
                if let path { select(path: path, expand: false) }
            }
        case .files:
            fileCursor = max(0, fileCursor.addingReportingOverflow(delta).partialValue)
        case .viewer:
            if var v = viewer { v.top = max(0, v.top.addingReportingOverflow(delta).partialValue); viewer = v }
        case .findings:
            let rows = findingRows()
            var i = max(0, min(rows.count - 1, findingsCursor.addingReportingOverflow(delta).partialValue))
            // Land on an occurrence, not a header.
            if rows.indices.contains(i), case .secret = rows[i] {
                let dir = delta >= 0 ? 1 : -1
                if rows.indices.contains(i + dir) { i += dir } else if rows.indices.contains(i - dir) { i -= dir }
            }
            findingsCursor = max(0, i)
        }
    }

    mutating func toggle(_ path: String) {
        if collapsed.contains(path) { collapsed.remove(path) } else { collapsed.insert(path) }
    }

    /// Moves the files cursor to `path` (expanding its parents), if the tree has it.
    mutating func select(path: String, expand: Bool = true) {
        guard let tree = tree(), let index = tree.index(of: path) else { return }
        if expand {
            var p = tree.nodes[index].parent
            while let pi = p { collapsed.remove(tree.nodes[pi].path); p = tree.nodes[pi].parent }
        }
        if let row = visibleRows().firstIndex(of: index) { fileCursor = row }
    }

    /// The (layer, path) whose content an action on the selection should read.
    func fileForAction() -> (Int, String)? {
        if (focus == .viewer || right == .viewer && focus != .files), let v = viewer { return (v.layer, v.path) }
        if focus == .findings, case .occurrence(let f)? = findingRows()[safe: findingsCursor],
           let l = f.location.layer, let p = f.location.path, f.location.source == .layer { return (l, p) }
        guard let node = selectedNode, !node.isDirectory else { return nil }
        if node.kind == .removed { return lastVersion(of: node.path, below: selectedLayer).map { ($0, node.path) } }
        guard node.entry?.type == .file || node.entry?.type == .hardlink else { return nil }
        return (node.layer, node.path)
    }

    /// The last layer below `layer` that wrote `path` (where a deleted file's content lives).
    func lastVersion(of path: String, below layer: Int) -> Int? {
        for li in stride(from: layer - 1, through: 0, by: -1) {
            if scan.results[li]?.contents.entries.contains(where: { $0.path == path && $0.whiteout == nil && $0.type == .file }) == true {
                return li
            }
        }
        return nil
    }

    mutating func open() -> [Effect] {
        switch focus {
        case .layers:
            focus = .files
            right = .files
            return []
        case .files:
            guard let node = selectedNode else { return [] }
            if node.isDirectory { toggle(node.path); return [] }
            guard let (layer, path) = fileForAction() else {
                message = ("nothing to show: \(node.entry?.type.rawValue ?? "entry") without content", true)
                return []
            }
            return openViewer(layer: layer, path: path, line: nil)
        case .viewer:
            return []
        case .findings:
            guard case .occurrence(let f)? = findingRows()[safe: findingsCursor] else { return [] }
            return jump(to: f)
        }
    }

    mutating func openViewer(layer: Int, path: String, line: Int?) -> [Effect] {
        var v = ViewerState(layer: layer, path: path)
        v.targetLine = line
        viewer = v
        refreshViewerMatches()
        right = .viewer
        focus = .viewer
        return [.loadFile(layer: layer, path: path)]
    }

    /// Selects the layer, file and line of a finding and opens the file there.
    mutating func jump(to f: Finding) -> [Effect] {
        switch f.location.source {
        case .layer, .file:
            guard let layer = f.location.layer, let path = f.location.path else { return [] }
            selectedLayer = layer
            merged = false
            filter = ""
            onlyFindings = false
            fileCursor = 0
            select(path: path)
            return openViewer(layer: layer, path: path, line: f.location.line ?? f.match.line)
        case .config, .history:
            if let h = f.location.historyIndex, let layer = scan.image?.layers.first(where: { ($0.historyIndex ?? -1) >= h }) {
                selectedLayer = layer.index
            }
            message = ("\(f.status == .config ? "in the image config" : "in the build history"): \(f.location.field ?? "")", false)
            return []
        }
    }

    mutating func stepFinding(_ delta: Int) -> [Effect] {
        let ordered = findingsInOrder()
        guard !ordered.isEmpty else { message = ("no findings", false); return [] }
        let rows = findingRows()
        var current = -1
        if case .occurrence(let f)? = rows[safe: findingsCursor] { current = ordered.firstIndex(of: f) ?? -1 }
        let next = current < 0 ? (delta > 0 ? 0 : ordered.count - 1) : (current + delta + ordered.count) % ordered.count
        let f = ordered[next]
        if let row = rows.firstIndex(where: { if case .occurrence(let g) = $0 { return g == f } else { return false } }) { findingsCursor = row }
        message = ("finding \(next + 1) of \(ordered.count)", false)
        return jump(to: f)
    }
}
