import TermGrid

/// Every user action, with its help text and group. The help screen is generated from this
/// table and the keymaps, so what `?` shows is what the keys do.
public enum Action: String, CaseIterable, Sendable {
    case nextPane, previousPane, up, down, pageUp, pageDown, top, bottom, left, right
    case open, toggleCollapse, collapseAll, expandAll, findings, toggleMerged, filter, onlyFindings
    case nextFinding, previousFinding, reveal, extract, hex, help, back, quit

    public var help: String {
        switch self {
        case .nextPane: return "next pane"
        case .previousPane: return "previous pane"
        case .up: return "move up"
        case .down: return "move down"
        case .pageUp: return "page up"
        case .pageDown: return "page down"
        case .top: return "first row"
        case .bottom: return "last row"
        case .left: return "scroll left / collapse"
        case .right: return "scroll right / expand"
        case .open: return "open file, jump to finding"
        case .toggleCollapse: return "collapse or expand directory"
        case .collapseAll: return "collapse all directories"
        case .expandAll: return "expand all directories"
        case .findings: return "findings, grouped by secret"
        case .toggleMerged: return "changes / merged filesystem"
        case .filter: return "filter files by path"
        case .onlyFindings: return "only files with findings"
        case .nextFinding: return "next finding"
        case .previousFinding: return "previous finding"
        case .reveal: return "reveal / mask secrets"
        case .extract: return "extract file as in this layer"
        case .hex: return "text / hex view"
        case .help: return "this help"
        case .back: return "close viewer, help or prompt"
        case .quit: return "quit"
        }
    }

    public enum Group: String, CaseIterable, Sendable { case navigation = "Navigation", files = "Files", secrets = "Secrets", general = "General" }

    public var group: Group {
        switch self {
        case .nextPane, .previousPane, .up, .down, .pageUp, .pageDown, .top, .bottom, .left, .right, .open: return .navigation
        case .toggleCollapse, .collapseAll, .expandAll, .toggleMerged, .filter, .onlyFindings, .extract, .hex: return .files
        case .findings, .nextFinding, .previousFinding, .reveal: return .secrets
        case .help, .back, .quit: return .general
        }
    }
}

/// The panes that take focus.
public enum Pane: String, CaseIterable, Sendable { case layers, files, viewer, findings }

/// Keys to actions: a global table and per-pane overrides; a pane's table is looked up first.
public struct Keymap: Sendable {
    public var global: [(Key, Action)]
    public var perPane: [Pane: [(Key, Action)]]

    public static let standard = Keymap(
        global: [
            (.tab, .nextPane), (.backtab, .previousPane),
            (.up, .up), (.char("k"), .up), (.down, .down), (.char("j"), .down),
            (.pageUp, .pageUp), (.pageDown, .pageDown), (.home, .top), (.char("g"), .top), (.end, .bottom), (.char("G"), .bottom),
            (.left, .left), (.char("h"), .left), (.right, .right), (.char("l"), .right),
            (.enter, .open), (.char(" "), .toggleCollapse),
            (.char("f"), .findings), (.char("m"), .toggleMerged), (.char("/"), .filter), (.char("s"), .onlyFindings),
            (.char("n"), .nextFinding), (.char("N"), .previousFinding), (.char("r"), .reveal),
            (.char("x"), .extract), (.char("?"), .help), (.function(1), .help), (.escape, .back),
            (.char("q"), .quit), (.ctrl("c"), .quit),
        ],
        perPane: [
            .files: [(.char("["), .collapseAll), (.char("]"), .expandAll)],
            .viewer: [(.char("X"), .hex), (.char(" "), .pageDown)],
        ])

    public func action(for key: Key, in pane: Pane) -> Action? {
        if let hit = perPane[pane]?.first(where: { $0.0 == key }) { return hit.1 }
        return global.first(where: { $0.0 == key })?.1
    }

    /// The keys bound to an action anywhere, for the help screen, with the panes they apply to.
    public func keys(for action: Action) -> [(key: Key, pane: Pane?)] {
        var out: [(Key, Pane?)] = global.filter { $0.1 == action }.map { ($0.0, nil) }
        for pane in Pane.allCases {
            for (key, a) in perPane[pane] ?? [] where a == action { out.append((key, pane)) }
        }
        return out
    }
}
