@preconcurrency import CNcursesw
import TermGrid

/// How a role looks: a colour pair and attributes, or attributes alone when there is no colour
/// (`NO_COLOR`, monochrome terminals). Markers in the text stay readable either way.
public struct RoleStyle: Equatable, Sendable {
    public enum Colour: Int16, Sendable { case none = -1, black = 0, red, green, yellow, blue, magenta, cyan, white }
    public var foreground: Colour
    public var background: Colour
    public var bold = false
    public var underline = false
    public var reverse = false
    public var dim = false

    /// The style of each role, with colour or without.
    public static func style(for role: Role, colour: Bool) -> RoleStyle {
        if !colour {
            switch role {
            case .normal, .help, .border: return RoleStyle(foreground: .none, background: .none)
            case .title, .focusBorder, .finding, .added: return RoleStyle(foreground: .none, background: .none, bold: true)
            case .selection, .status: return RoleStyle(foreground: .none, background: .none, reverse: true)
            case .key: return RoleStyle(foreground: .none, background: .none, bold: true, reverse: true)
            case .modified: return RoleStyle(foreground: .none, background: .none, underline: true)
            case .removed, .whiteout: return RoleStyle(foreground: .none, background: .none, underline: true, dim: true)
            case .opaque: return RoleStyle(foreground: .none, background: .none, bold: true, underline: true)
            case .secret: return RoleStyle(foreground: .none, background: .none, bold: true, underline: true, reverse: true)
            case .secretMasked: return RoleStyle(foreground: .none, background: .none, bold: true, reverse: true)
            case .dim: return RoleStyle(foreground: .none, background: .none, dim: true)
            case .error: return RoleStyle(foreground: .none, background: .none, bold: true, underline: true)
            }
        }
        switch role {
        case .normal, .help: return RoleStyle(foreground: .none, background: .none)
        case .title: return RoleStyle(foreground: .cyan, background: .none, bold: true)
        case .border: return RoleStyle(foreground: .blue, background: .none)
        case .focusBorder: return RoleStyle(foreground: .cyan, background: .none, bold: true)
        case .selection: return RoleStyle(foreground: .black, background: .cyan)
        case .added: return RoleStyle(foreground: .green, background: .none)
        case .modified: return RoleStyle(foreground: .yellow, background: .none)
        case .removed: return RoleStyle(foreground: .red, background: .none)
        case .whiteout: return RoleStyle(foreground: .red, background: .none, bold: true)
        case .opaque: return RoleStyle(foreground: .magenta, background: .none, bold: true)
        case .secret: return RoleStyle(foreground: .white, background: .red, bold: true)
        case .secretMasked: return RoleStyle(foreground: .black, background: .yellow)
        case .dim: return RoleStyle(foreground: .none, background: .none, dim: true)
        case .status: return RoleStyle(foreground: .black, background: .white)
        case .key: return RoleStyle(foreground: .blue, background: .white, bold: true)
        case .error: return RoleStyle(foreground: .red, background: .none, bold: true)
        case .finding: return RoleStyle(foreground: .yellow, background: .none, bold: true)
        }
    }

    /// The curses attributes (without the colour pair).
    public var attributes: attr_t {
        var a = strata_curses_a_normal()
        if bold { a |= strata_curses_a_bold() }
        if underline { a |= strata_curses_a_underline() }
        if reverse { a |= strata_curses_a_reverse() }
        if dim { a |= strata_curses_a_dim() }
        return a
    }
}
