/// A key or pointer event, decoded from the terminal by the adapter.
public enum Key: Hashable, Sendable {
    case char(Character)
    /// Ctrl plus a letter, e.g. `.ctrl("c")`.
    case ctrl(Character)
    case up, down, left, right
    case enter, tab, backtab, escape, backspace, delete
    case pageUp, pageDown, home, end
    case function(Int)
    /// The terminal changed size; the adapter reports the new size.
    case resize(width: Int, height: Int)
    /// A click at a cell (0-based).
    case click(x: Int, y: Int)
    case scrollUp(x: Int, y: Int), scrollDown(x: Int, y: Int)

    /// A short name for help screens and tests: `q`, `Tab`, `Enter`, `C-c`, `F1`.
    public var name: String {
        switch self {
        case .char(" "): return "Space"
        case .char(let c): return String(c)
        case .ctrl(let c): return "C-" + String(c)
        case .up: return "↑"
        case .down: return "↓"
        case .left: return "←"
        case .right: return "→"
        case .enter: return "Enter"
        case .tab: return "Tab"
        case .backtab: return "S-Tab"
        case .escape: return "Esc"
        case .backspace: return "Bksp"
        case .delete: return "Del"
        case .pageUp: return "PgUp"
        case .pageDown: return "PgDn"
        case .home: return "Home"
        case .end: return "End"
        case .function(let n): return "F\(n)"
        case .resize: return "resize"
        case .click: return "click"
        case .scrollUp: return "wheel↑"
        case .scrollDown: return "wheel↓"
        }
    }
}
