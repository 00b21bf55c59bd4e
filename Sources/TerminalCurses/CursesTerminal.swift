@preconcurrency import CNcursesw
import Foundation
import TermGrid
#if canImport(Glibc)
import Glibc
#endif

/// The only code that calls ncurses: opens a screen, presents grids (only changed rows, one
/// `doupdate`), decodes keys and mouse clicks, restores the terminal. Use it from one thread.
public final class CursesTerminal {
    public enum Failure: Error, CustomStringConvertible {
        case cannotOpen(String)
        public var description: String {
            switch self { case .cannotOpen(let why): return why }
        }
    }

    private var screen: OpaquePointer?
    private let input: UnsafeMutablePointer<FILE>
    private let output: UnsafeMutablePointer<FILE>
    private let ownsFiles: Bool
    public let colour: Bool
    public let boxStyle: BoxStyle
    public let inputDescriptor: Int32
    private var previous: Grid?
    private var ended = false
    private var pairs: [Role: Int16] = [:]

    /// Opens curses on the controlling terminal (stdin/stdout).
    public convenience init(environment: [String: String] = ProcessInfo.processInfo.environment) throws {
        try self.init(input: stdin, output: stdout, ownsFiles: false, terminalType: nil, environment: environment)
    }

    /// Opens curses on the given files (`/dev/null` for headless tests), as terminal `terminalType`.
    public init(input: UnsafeMutablePointer<FILE>, output: UnsafeMutablePointer<FILE>, ownsFiles: Bool,
                terminalType: String?, environment: [String: String] = ProcessInfo.processInfo.environment) throws {
        // ncursesw drops non-ASCII output unless the locale's codeset is UTF-8.
        setlocale(LC_ALL, "")
        var utf8 = String(cString: nl_langinfo(nl_item(CODESET))) == "UTF-8"
        if !utf8, setlocale(LC_ALL, "C.UTF-8") != nil { utf8 = String(cString: nl_langinfo(nl_item(CODESET))) == "UTF-8" }
        self.input = input
        self.output = output
        self.ownsFiles = ownsFiles
        inputDescriptor = fileno(input)
        let screen: OpaquePointer? = terminalType.map { t in t.withCString { newterm($0, output, input) } } ?? newterm(nil, output, input)
        guard let screen else {
            throw Failure.cannotOpen("cannot open the terminal (TERM=\(environment["TERM"] ?? "unset")); try TERM=xterm-256color")
        }
        self.screen = screen
        set_term(screen)
        raw()
        noecho()
        nonl()
        let win = strata_curses_stdscr()
        keypad(win, true)
        nodelay(win, true)
        _ = curs_set(0)
        set_escdelay(25)
        _ = mousemask(strata_curses_button1_clicked() | strata_curses_button4_pressed() | strata_curses_button5_pressed(), nil)
        mouseinterval(0)
        let noColor = !(environment["NO_COLOR"] ?? "").isEmpty
        colour = !noColor && has_colors()
        boxStyle = utf8 && environment["STRATA_ASCII"] == nil ? .unicode : .ascii
        if colour {
            start_color()
            use_default_colors()
            var next: Int16 = 1
            for role in Role.allCases {
                let s = RoleStyle.style(for: role, colour: true)
                if s.foreground == .none && s.background == .none { pairs[role] = 0; continue }
                init_pair(next, s.foreground.rawValue, s.background.rawValue)
                pairs[role] = next
                next += 1
            }
        }
    }

    deinit { end() }

    /// Restores the terminal (idempotent). Call before exiting or re-raising a signal.
    public func end() {
        guard !ended, let screen else { return }
        ended = true
        set_term(screen)
        _ = curs_set(1)
        endwin()
        delscreen(screen)
        self.screen = nil
        if ownsFiles { fclose(input); fclose(output) }
    }

    public var size: (width: Int, height: Int) {
        let win = strata_curses_stdscr()
        return (Int(strata_curses_maxx(win)), Int(strata_curses_maxy(win)))
    }

    /// The attributes and colour pair a role is drawn with.
    public func style(for role: Role) -> (attributes: attr_t, pair: Int16) {
        (RoleStyle.style(for: role, colour: colour).attributes, colour ? pairs[role] ?? 0 : 0)
    }

    /// Draws the rows that differ from the last frame, then one `doupdate`.
    public func present(_ grid: Grid) {
        let win = strata_curses_stdscr()
        let full = previous == nil || previous!.width != grid.width || previous!.height != grid.height
        if full { werase(win) }
        let rows = min(grid.height, size.height)
        let cols = min(grid.width, size.width)
        for y in 0..<rows {
            if !full, let prev = previous, prev.row(y) == grid.row(y) { continue }
            for x in 0..<cols {
                let cell = grid[x, y]
                if cell.isContinuation { continue }
                let (attr, pair) = style(for: cell.role)
                var cc = cchar_t()
                var scalars = Array(cell.character.unicodeScalars.prefix(4)).map { wchar_t(bitPattern: $0.value) }
                scalars.append(0)
                setcchar(&cc, scalars, attr, pair, nil)
                wmove(win, Int32(y), Int32(x))
                wadd_wch(win, &cc)
            }
        }
        previous = grid
        wnoutrefresh(win)
        doupdate()
    }

    /// The character and style at a cell, read back from curses (headless tests).
    public func cellAt(x: Int, y: Int) -> (text: String, attributes: attr_t, pair: Int16) {
        let win = strata_curses_stdscr()
        // win_wchnstr writes a terminating cell: allocate n + 1.
        var cells = [cchar_t](repeating: cchar_t(), count: 2)
        wmove(win, Int32(y), Int32(x))
        win_wchnstr(win, &cells, 1)
        var chars = [wchar_t](repeating: 0, count: 8)
        var attr: attr_t = 0
        var pair: Int16 = 0
        getcchar(&cells[0], &chars, &attr, &pair, nil)
        let text = String(String.UnicodeScalarView(chars.prefix { $0 != 0 }.compactMap { Unicode.Scalar(UInt32(bitPattern: $0)) }))
        return (text, attr & ~strata_curses_color_pair(255), pair)
    }

    /// Every key ready now.
    public func readKeys() -> [Key] {
        var keys: [Key] = []
        let win = strata_curses_stdscr()
        while keys.count < 256 {
            var ch: wint_t = 0
            let r = wget_wch(win, &ch)
            if r == ERR { break }
            if let key = decode(result: r, code: ch) { keys.append(key) }
        }
        return keys
    }

    /// Re-reads the size from the tty after SIGWINCH and resizes curses.
    public func checkResize() -> Key? {
        var ws = winsize()
        guard ioctl(fileno(output), UInt(TIOCGWINSZ), &ws) == 0, ws.ws_col > 0, ws.ws_row > 0 else { return nil }
        let (w, h) = size
        guard Int(ws.ws_col) != w || Int(ws.ws_row) != h else { return nil }
        resize_term(Int32(ws.ws_row), Int32(ws.ws_col))
        previous = nil
        return .resize(width: Int(ws.ws_col), height: Int(ws.ws_row))
    }

    func decode(result: Int32, code: wint_t) -> Key? {
        if result == KEY_CODE_YES {
            switch Int32(code) {
            case KEY_UP: return .up
            case KEY_DOWN: return .down
            case KEY_LEFT: return .left
            case KEY_RIGHT: return .right
            case KEY_PPAGE: return .pageUp
            case KEY_NPAGE: return .pageDown
            case KEY_HOME: return .home
            case KEY_END: return .end
            case KEY_BTAB: return .backtab
            case KEY_ENTER: return .enter
            case KEY_BACKSPACE: return .backspace
            case KEY_DC: return .delete
            case KEY_RESIZE:
                previous = nil
                let (w, h) = size
                return .resize(width: w, height: h)
            case KEY_MOUSE:
                var event = MEVENT()
                guard getmouse(&event) == OK else { return nil }
                if event.bstate & strata_curses_button4_pressed() != 0 { return .scrollUp(x: Int(event.x), y: Int(event.y)) }
                if event.bstate & strata_curses_button5_pressed() != 0 { return .scrollDown(x: Int(event.x), y: Int(event.y)) }
                if event.bstate & strata_curses_button1_clicked() != 0 { return .click(x: Int(event.x), y: Int(event.y)) }
                return nil
            default:
                for n in 1...12 where Int32(code) == strata_curses_key_f(Int32(n)) { return .function(n) }
                return nil
            }
        }
        return Self.decodeCharacter(UInt32(code))
    }

    /// Maps a character code to a key: control characters become named keys or `ctrl`.
    public static func decodeCharacter(_ value: UInt32) -> Key? {
        switch value {
        case 9: return .tab
        case 10, 13: return .enter
        case 27: return .escape
        case 8, 127: return .backspace
        case 1...26: return .ctrl(Character(Unicode.Scalar(value + 96)!))
        case 0, 28...31: return nil
        default:
            guard let scalar = Unicode.Scalar(value) else { return nil }
            return .char(Character(scalar))
        }
    }
}
