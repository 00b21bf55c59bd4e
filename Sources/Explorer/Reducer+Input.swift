import Detection
import LayerIndex
import Scanner
import TermGrid

/// The prompt line, mouse clicks, and keeping cursors in range: the rest of the reducer.
extension ExplorerState {
    mutating func promptKey(_ key: Key) -> [Effect] {
        guard var p = prompt else { return [] }
        switch key {
        case .escape, .ctrl("c"):
            // Cancelling a filter puts back the one that was there before.
            if case .filter = p.kind { filter = p.original; fileCursor = 0 }
            prompt = nil
            return []
        case .enter:
            prompt = nil
            switch p.kind {
            case .filter:
                filter = p.text
                fileCursor = 0
                focus = .files
                right = .files
            case .extract(let layer, let path):
                let dest = p.text.trimmingCharacters(in: " ")
                guard !dest.isEmpty else { message = ("extract cancelled", false); return [] }
                return [.extract(layer: layer, path: path, destination: dest)]
            }
        case .backspace, .delete:
            if !p.text.isEmpty { p.text.removeLast() }
            prompt = p
        case .char(let c):
            p.text.append(c)
            prompt = p
        default:
            break
        }
        if case .filter? = prompt?.kind { filter = prompt!.text; fileCursor = 0 }
        return []
    }

    mutating func click(x: Int, y: Int) -> [Effect] {
        let l = layout
        if l.layers.inset(1).contains(x: x, y: y) {
            focus = .layers
            let target = layerTop + (y - l.layers.y - 1)
            if target < scan.layerCount { move(target - selectedLayer) }
        } else if l.right.inset(1).contains(x: x, y: y) {
            focus = right
            let row = y - l.right.y - 1
            switch right {
            case .files: fileCursor = fileTop + row
            case .findings: findingsCursor = findingsTop + row; move(0)
            default: break
            }
        }
        clampCursors()
        return []
    }

    /// Keeps cursors in range and scrolled into view after any change.
    mutating func clampCursors() {
        let l = layout
        let count = scan.layerCount
        selectedLayer = max(0, min(selectedLayer, max(0, count - 1)))
        layerTop = Self.scrolled(top: layerTop, cursor: selectedLayer, height: Layout.listHeight(l.layers))
        let rows = visibleRows().count
        fileCursor = max(0, min(fileCursor, max(0, rows - 1)))
        fileTop = Self.scrolled(top: fileTop, cursor: fileCursor, height: Layout.listHeight(l.right))
        let frowList = findingRows()
        let frows = frowList.count
        findingsCursor = max(0, min(findingsCursor, max(0, frows - 1)))
        // The cursor rests on an occurrence (what Enter jumps to), never on a secret's header.
        if case .secret? = frowList[safe: findingsCursor], frowList.indices.contains(findingsCursor + 1) { findingsCursor += 1 }
        findingsTop = Self.scrolled(top: findingsTop, cursor: findingsCursor, height: FindingsPane.listHeight(l.right))
        if var v = viewer {
            v.top = max(0, min(v.top, max(0, v.lineCount - Layout.listHeight(l.right))))
            viewer = v
        }
    }

    static func scrolled(top: Int, cursor: Int, height: Int) -> Int {
        if cursor < top { return cursor }
        if cursor >= top + height { return cursor - height + 1 }
        return max(0, top)
    }

    mutating func refreshViewerMatches() {
        guard var v = viewer else { return }
        v.matches = scan.matches(layer: v.layer, path: v.path).sorted { $0.start < $1.start }
        viewer = v
    }

    static func lineStarts(_ bytes: [UInt8]) -> [Int] {
        var starts = [0]
        for (i, b) in bytes.enumerated() where b == 0x0A && i + 1 < bytes.count { starts.append(i + 1) }
        return starts
    }

    static func looksBinary(_ bytes: [UInt8]) -> Bool {
        bytes.prefix(8192).contains(0)
    }
}
extension String {
    func trimmingCharacters(in set: Character) -> String {
        var s = Substring(self)
        while s.first == set { s = s.dropFirst() }
        while s.last == set { s = s.dropLast() }
        return String(s)
    }
}
