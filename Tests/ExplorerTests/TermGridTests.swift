import LayerIndex
import TermGrid
import Testing

@Suite struct TermGridTests {
    @Test func widthsOfWideAndCombiningCharacters() {
        #expect(TextWidth.of("abc") == 3)
        #expect(TextWidth.of("日本") == 4)
        #expect(TextWidth.of("e\u{301}") == 1)  // e + combining acute
        #expect(TextWidth.of("\u{200B}") == 0)
        #expect(TextWidth.truncate("日本語のファイル", columns: 7) == "日本語…")
        #expect(TextWidth.truncateLeft("usr/share/doc/file.txt", columns: 10) == "…/file.txt")
    }

    @Test func sanitiserEscapesControlsC1DelAndBidi() {
        #expect(Sanitize.line("a\u{1B}[31mb") == "a\\e[31mb")
        #expect(Sanitize.line("bell\u{07}") == "bell\\x07")
        #expect(Sanitize.line("del\u{7F}") == "del\\x7f")
        #expect(Sanitize.line("c1\u{9B}2J") == "c1\\x9b2J")
        #expect(Sanitize.line("evil\u{202E}txt.exe") == "evil\\u{202e}txt.exe")
        #expect(Sanitize.line("line\nnext\ttab\r") == "line\\nnext\\ttab\\r")
        #expect(Sanitize.bytes([0x61, 0xFF, 0x62, 0x1B]) == "a\\xffb\\e")
        #expect(Sanitize.line("plain ünïcödé 日本") == "plain ünïcödé 日本")
    }

    @Test func everyPutIsSanitised() {
        var grid = Grid(width: 30, height: 1)
        grid.put("x\u{1B}]0;title\u{07}y", x: 0, y: 0)
        #expect(Snapshot.screen(grid) == "x\\e]0;title\\x07y")
        #expect(grid.cells.allSatisfy { !$0.character.unicodeScalars.contains(where: Sanitize.needsEscape) })
    }

    @Test func wideCharactersTakeTwoCellsAndNeverSplit() {
        var grid = Grid(width: 5, height: 1)
        let written = grid.put("a日本", x: 0, y: 0, role: .added)
        #expect(written == 5)
        #expect(grid[1, 0].character == "日")
        #expect(grid[2, 0].isContinuation)
        var narrow = Grid(width: 4, height: 1)
        narrow.put("ab日本", x: 0, y: 0)
        #expect(Snapshot.screen(narrow) == "ab日")
        var cut = Grid(width: 3, height: 1)
        cut.put("ab日", x: 0, y: 0)
        #expect(Snapshot.screen(cut) == "ab")  // the half that does not fit becomes a blank
    }

    @Test func boxDrawingUnicodeAndAscii() {
        var u = Grid(width: 10, height: 3)
        u.box(Rect(x: 0, y: 0, width: 10, height: 3), title: "T")
        #expect(Snapshot.screen(u) == "┌ T ─────┐\n│        │\n└────────┘")
        var a = Grid(width: 10, height: 3, boxStyle: .ascii)
        a.box(Rect(x: 0, y: 0, width: 10, height: 3), title: "T")
        #expect(Snapshot.screen(a) == "+ T -----+\n|        |\n+--------+")
    }

    @Test func snapshotTextCarriesRolesUnderEachLine() {
        var grid = Grid(width: 12, height: 2)
        grid.put("+ added", x: 0, y: 0, role: .added)
        grid.put("key", x: 0, y: 1, role: .secretMasked)
        grid.setRole(Rect(x: 3, y: 1, width: 2, height: 1), role: .selection)
        #expect(Snapshot.text(grid) == "+ added\nAAAAAAA\nkey\nxxxSS\n")
        for role in Role.allCases { #expect(Role(code: role.code) == role) }
        #expect(Set(Role.allCases.map(\.code)).count == Role.allCases.count)
    }

    @Test func wrapBreaksAtSpacesWhenClose() {
        #expect(TextWidth.wrap("RUN npm ci && npm config delete token", columns: 16) == ["RUN npm ci && ", "npm config ", "delete token"])
        #expect(TextWidth.wrap("abcdefghij", columns: 4) == ["abcd", "efgh", "ij"])
    }
}
