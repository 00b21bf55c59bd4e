/// The snapshot text of a grid: each screen line, then under it a line of role codes
/// (`Role.code`), so a test sees both what is written and how it is marked.
public enum Snapshot {
    public static func text(_ grid: Grid) -> String {
        var out = ""
        for y in 0..<grid.height {
            var chars = ""
            var roles = ""
            for cell in grid.row(y) where !cell.isContinuation {
                chars.append(cell.character)
                roles.append(cell.role.code)
                // A wide character takes two columns; pad its role line to match.
                if TextWidth.of(cell.character) == 2 { roles.append(cell.role.code) }
            }
            out += trimRight(chars) + "\n" + trimRoles(roles) + "\n"
        }
        return out
    }

    /// The screen text alone (no role lines), trailing spaces trimmed.
    public static func screen(_ grid: Grid) -> String {
        (0..<grid.height).map { trimRight(grid.text(row: $0)) }.joined(separator: "\n")
    }

    static func trimRight(_ s: String) -> String {
        var s = Substring(s)
        while s.last == " " { s = s.dropLast() }
        return String(s)
    }

    /// Trailing normal cells carry no information; trailing marked blanks (a selection bar) do.
    static func trimRoles(_ s: String) -> String {
        var s = Substring(s)
        while s.last == "." { s = s.dropLast() }
        return String(s)
    }
}
