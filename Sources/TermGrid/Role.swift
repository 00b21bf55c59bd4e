/// What a cell means, not how it looks. Only the terminal adapter maps roles to colours
/// (or to bold/underline/reverse when there is no colour), so tests can check meaning.
public enum Role: UInt8, CaseIterable, Sendable {
    case normal, title, border, selection, added, modified, removed, whiteout, opaque
    case secret, secretMasked, dim, status, help, error, focusBorder, key, finding

    /// One character per role for snapshot text: the line under each screen line.
    public var code: Character {
        switch self {
        case .normal: return "."
        case .title: return "T"
        case .border: return "b"
        case .selection: return "S"
        case .added: return "A"
        case .modified: return "M"
        case .removed: return "R"
        case .whiteout: return "W"
        case .opaque: return "O"
        case .secret: return "X"
        case .secretMasked: return "x"
        case .dim: return "d"
        case .status: return "s"
        case .help: return "h"
        case .error: return "E"
        case .focusBorder: return "B"
        case .key: return "k"
        case .finding: return "F"
        }
    }

    public init?(code: Character) {
        guard let role = Role.allCases.first(where: { $0.code == code }) else { return nil }
        self = role
    }
}
