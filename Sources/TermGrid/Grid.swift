import LayerIndex
/// A rectangle of cells on the screen (0-based, x to the right, y down).
public struct Rect: Hashable, Sendable, CustomStringConvertible {
    public var x: Int, y: Int, width: Int, height: Int

    public init(x: Int, y: Int, width: Int, height: Int) {
        self.x = x
        self.y = y
        self.width = max(0, width)
        self.height = max(0, height)
    }

    public var maxX: Int { x + width }
    public var maxY: Int { y + height }
    public var isEmpty: Bool { width == 0 || height == 0 }

    public func contains(x px: Int, y py: Int) -> Bool { px >= x && px < maxX && py >= y && py < maxY }

    /// The rectangle shrunk by `n` cells on every side (inside a border).
    public func inset(_ n: Int) -> Rect { Rect(x: x + n, y: y + n, width: width - 2 * n, height: height - 2 * n) }

    public var description: String { "\(width)x\(height)+\(x)+\(y)" }
}

/// One cell: a grapheme and its role. The right half of a wide character is a continuation cell.
public struct Cell: Hashable, Sendable {
    public var character: Character
    public var role: Role
    public var isContinuation: Bool

    public init(_ character: Character = " ", role: Role = .normal, isContinuation: Bool = false) {
        self.character = character
        self.role = role
        self.isContinuation = isContinuation
    }

    public static let blank = Cell()
}

/// A terminal-free screen: panes draw into it, tests snapshot it, the adapter presents it.
/// Every string written passes `Sanitize` (LayerIndex), so image content cannot smuggle control bytes.
public struct Grid: Sendable, Equatable {
    public private(set) var width: Int
    public private(set) var height: Int
    public private(set) var cells: [Cell]
    /// Unicode box drawing, or ASCII when the terminal cannot show it.
    public var boxStyle: BoxStyle

    public init(width: Int, height: Int, boxStyle: BoxStyle = .unicode) {
        self.width = max(0, width)
        self.height = max(0, height)
        self.cells = Array(repeating: .blank, count: self.width * self.height)
        self.boxStyle = boxStyle
    }

    public var bounds: Rect { Rect(x: 0, y: 0, width: width, height: height) }

    public subscript(x: Int, y: Int) -> Cell {
        get { cells[y * width + x] }
        set { cells[y * width + x] = newValue }
    }

    /// The cells of one row.
    public func row(_ y: Int) -> ArraySlice<Cell> { cells[(y * width)..<((y + 1) * width)] }

    /// Fills a rectangle with blanks of one role.
    public mutating func fill(_ rect: Rect, role: Role = .normal, character: Character = " ") {
        let r = clip(rect)
        guard !r.isEmpty else { return }
        for y in r.y..<r.maxY {
            for x in r.x..<r.maxX { cells[y * width + x] = Cell(character, role: role) }
        }
    }

    /// Sets the role of cells without changing their characters (selection bars, highlights).
    public mutating func setRole(_ rect: Rect, role: Role) {
        let r = clip(rect)
        guard !r.isEmpty else { return }
        for y in r.y..<r.maxY {
            for x in r.x..<r.maxX { cells[y * width + x].role = role }
        }
    }

    /// Writes sanitised text at (x, y), at most `maxWidth` columns (default: to the edge).
    /// Returns the columns written. A wide character that would not fit is replaced by a space.
    @discardableResult
    public mutating func put(_ text: String, x: Int, y: Int, role: Role = .normal, maxWidth: Int? = nil) -> Int {
        putClean(Sanitize.line(text), x: x, y: y, role: role, maxWidth: maxWidth)
    }

    /// Writes text that the caller has already sanitised (or built from safe characters).
    @discardableResult
    public mutating func putClean(_ text: String, x: Int, y: Int, role: Role = .normal, maxWidth: Int? = nil) -> Int {
        guard y >= 0, y < height, x < width else { return 0 }
        let limit = min(width, x + (maxWidth ?? width))
        var cx = x
        for character in text {
            var w = TextWidth.of(character)
            if w == 0 {
                // A lone combining mark or zero-width scalar: attach it to the previous cell.
                if cx > 0, cx - 1 >= x, cx - 1 < width {
                    var cell = self[cx - 1, y]
                    if !cell.isContinuation {
                        cell.character = Character(String(cell.character) + String(character))
                        self[cx - 1, y] = cell
                    }
                }
                continue
            }
            if cx + w > limit {
                if w == 2, cx < limit, cx >= 0 { self[cx, y] = Cell(" ", role: role); cx += 1 }
                break
            }
            if cx >= 0 {
                self[cx, y] = Cell(character, role: role)
                if w == 2 { self[cx + 1, y] = Cell(" ", role: role, isContinuation: true) }
            } else {
                w = w == 2 && cx == -1 ? 2 : w
            }
            cx += w
        }
        return max(0, cx - x)
    }

    /// Draws a box around `rect` with an optional title in its top border.
    public mutating func box(_ rect: Rect, title: String? = nil, role: Role = .border, titleRole: Role = .title) {
        guard rect.width >= 2, rect.height >= 2 else { return }
        let s = boxStyle.characters
        for x in rect.x + 1..<rect.maxX - 1 {
            setChar(x, rect.y, s.horizontal, role)
            setChar(x, rect.maxY - 1, s.horizontal, role)
        }
        for y in rect.y + 1..<rect.maxY - 1 {
            setChar(rect.x, y, s.vertical, role)
            setChar(rect.maxX - 1, y, s.vertical, role)
        }
        setChar(rect.x, rect.y, s.topLeft, role)
        setChar(rect.maxX - 1, rect.y, s.topRight, role)
        setChar(rect.x, rect.maxY - 1, s.bottomLeft, role)
        setChar(rect.maxX - 1, rect.maxY - 1, s.bottomRight, role)
        if let title, rect.width > 4 {
            put(" " + title + " ", x: rect.x + 1, y: rect.y, role: titleRole, maxWidth: rect.width - 2)
        }
    }

    /// A horizontal rule across `width` cells.
    public mutating func hline(x: Int, y: Int, width w: Int, role: Role = .border) {
        for cx in x..<x + max(0, w) { setChar(cx, y, boxStyle.characters.horizontal, role) }
    }

    private mutating func setChar(_ x: Int, _ y: Int, _ c: Character, _ role: Role) {
        guard x >= 0, x < width, y >= 0, y < height else { return }
        self[x, y] = Cell(c, role: role)
    }

    private func clip(_ rect: Rect) -> Rect {
        let x0 = max(0, rect.x), y0 = max(0, rect.y)
        let x1 = min(width, rect.maxX), y1 = min(height, rect.maxY)
        return Rect(x: x0, y: y0, width: x1 - x0, height: y1 - y0)
    }

    /// The visible text of one row (continuation cells left out), trailing spaces kept.
    public func text(row y: Int) -> String {
        var out = ""
        for cell in row(y) where !cell.isContinuation { out.append(cell.character) }
        return out
    }
}

/// Box-drawing characters: Unicode lines, or ASCII for terminals without them.
public enum BoxStyle: Sendable, Equatable {
    case unicode, ascii

    public struct Characters: Sendable {
        public let horizontal, vertical, topLeft, topRight, bottomLeft, bottomRight: Character
    }

    public var characters: Characters {
        switch self {
        case .unicode: return Characters(horizontal: "─", vertical: "│", topLeft: "┌", topRight: "┐", bottomLeft: "└", bottomRight: "┘")
        case .ascii: return Characters(horizontal: "-", vertical: "|", topLeft: "+", topRight: "+", bottomLeft: "+", bottomRight: "+")
        }
    }

    /// Tree and marker glyphs that have ASCII stand-ins.
    public var collapsed: String { self == .unicode ? "▸" : "+" }
    public var expanded: String { self == .unicode ? "▾" : "-" }
    public var flag: String { self == .unicode ? "⚑" : "!" }
    public var ellipsis: String { self == .unicode ? "…" : "~" }
}
