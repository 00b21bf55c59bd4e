@preconcurrency import CNcursesw
import Foundation
import TermGrid
import TerminalCurses
import Testing

/// The curses adapter, headless: newterm on /dev/null. Curses is global state, so these run serialized.
@Suite(.serialized) struct CursesTests {
    static func open(_ environment: [String: String]) throws -> CursesTerminal {
        let input = fopen("/dev/null", "r")!
        let output = fopen("/dev/null", "w")!
        return try CursesTerminal(input: input, output: output, ownsFiles: true, terminalType: "xterm-256color", environment: environment)
    }

    @Test func presentsAGridAndReadsItBack() throws {
        let term = try Self.open(["TERM": "xterm-256color"])
        defer { term.end() }
        let (w, h) = term.size
        #expect(w > 0 && h > 0)
        var grid = Grid(width: w, height: h)
        grid.box(Rect(x: 0, y: 0, width: 20, height: 4), title: "Layers")
        grid.put("日本 café", x: 1, y: 1, role: .added)
        grid.put("token", x: 1, y: 2, role: .secretMasked)
        term.present(grid)
        #expect(term.cellAt(x: 0, y: 0).text == "┌")
        #expect(term.cellAt(x: 1, y: 1).text == "日")
        #expect(term.cellAt(x: 3, y: 1).text == "本")
        #expect(term.cellAt(x: 7, y: 1).text == "a")
        #expect(term.cellAt(x: 9, y: 1).text == "é")
        if term.colour {
            #expect(term.cellAt(x: 1, y: 1).pair == term.style(for: .added).pair)
            #expect(term.cellAt(x: 1, y: 2).pair != 0)
        }
        // A second frame changes one row only; the rest stays.
        grid.put("TOKEN", x: 1, y: 2, role: .secret)
        term.present(grid)
        #expect(term.cellAt(x: 1, y: 2).text == "T")
        #expect(term.cellAt(x: 0, y: 0).text == "┌")
    }

    @Test func noColorUsesAttributesOnly() throws {
        let term = try Self.open(["TERM": "xterm-256color", "NO_COLOR": "1"])
        defer { term.end() }
        #expect(!term.colour)
        var grid = Grid(width: term.size.width, height: term.size.height)
        grid.put("sel", x: 0, y: 0, role: .selection)
        grid.put("sec", x: 0, y: 1, role: .secret)
        grid.put("new", x: 0, y: 2, role: .added)
        term.present(grid)
        let reverse = strata_curses_a_reverse(), bold = strata_curses_a_bold()
        #expect(term.cellAt(x: 0, y: 0).attributes & reverse != 0)
        #expect(term.cellAt(x: 0, y: 0).pair == 0)
        #expect(term.cellAt(x: 0, y: 1).attributes & reverse != 0)
        #expect(term.cellAt(x: 0, y: 2).attributes & bold != 0)
    }

    /// Without colour every role that marks something is still distinguishable from normal text,
    /// and the pairs that must not be confused (secret vs. text, selection vs. text) differ.
    @Test func monochromeMappingKeepsMarkersReadable() {
        let normal = RoleStyle.style(for: .normal, colour: false)
        for role in Role.allCases where ![.normal, .help, .border].contains(role) {
            #expect(RoleStyle.style(for: role, colour: false) != normal, "role \(role) looks like plain text without colour")
        }
        #expect(RoleStyle.style(for: .secret, colour: false) != RoleStyle.style(for: .selection, colour: false))
        #expect(RoleStyle.style(for: .added, colour: false) != RoleStyle.style(for: .removed, colour: false))
        for role in Role.allCases {
            let s = RoleStyle.style(for: role, colour: false)
            #expect(s.foreground == .none && s.background == .none)
        }
    }

    @Test func decodesControlKeys() {
        #expect(CursesTerminal.decodeCharacter(9) == .tab)
        #expect(CursesTerminal.decodeCharacter(13) == .enter)
        #expect(CursesTerminal.decodeCharacter(27) == .escape)
        #expect(CursesTerminal.decodeCharacter(3) == .ctrl("c"))
        #expect(CursesTerminal.decodeCharacter(127) == .backspace)
        #expect(CursesTerminal.decodeCharacter(0x65E5) == .char("日"))
        #expect(CursesTerminal.decodeCharacter(UInt32(UInt8(ascii: "q"))) == .char("q"))
    }
}
