import Foundation
import Testing
import TestSupport

/// The real binary in a real terminal (tmux): what a person sees and types.
@Suite(.serialized, .enabled(if: TmuxSession.available)) struct EndToEndTests {
    @Test func demoWhiteoutTokenFindingsResizeAndCleanExit() throws {
        let t = try TmuxSession(["explore", "--demo"], width: 100, height: 30)
        var screen = try t.waitFor("secrets")
        #expect(screen.contains("Layers 6/6"))
        #expect(screen.contains("RUN npm config set"))

        // The layer that deleted the token shows the whiteout.
        try t.send("j", "j", "Tab")
        screen = try t.waitFor(".npmrc (whiteout)")
        #expect(screen.contains("- .npmrc (whiteout)"))

        // The layer that added it: open the file, the token is highlighted and masked.
        try t.send("Tab", "Tab", "k", "Tab", "G", "Enter")
        screen = try t.waitFor("_authToken=****")  // the file loads off the loop thread
        #expect(screen.contains("home/node/.npmrc @ layer 1"))
        #expect(screen.contains("1 secret masked"))

        // Findings, then Enter on one lands on its file.
        try t.send("f")
        screen = try t.waitFor("Findings ·")
        try t.send("G", "Enter")
        screen = try t.waitFor(timeout: 5) { $0.contains(" @ layer ") && !$0.contains("Findings ·") }
        #expect(screen.contains(" @ layer "))

        // Resize: the layout follows.
        try t.resize(width: 130, height: 40)
        screen = try t.waitFor(timeout: 5) { $0.split(separator: "\n").first.map { $0.count >= 125 } ?? false }
        #expect(screen.split(separator: "\n").first!.count >= 125)

        // q exits cleanly and restores the terminal.
        try t.send("q")
        screen = try t.waitFor("STRATA_EXIT=")
        #expect(screen.contains("STRATA_EXIT=0"))
        #expect(try t.display("#{alternate_on}") == "0")
        #expect(try t.display("#{cursor_flag}") == "1")
        #expect(try t.display("#{mouse_any_flag}") == "0")
    }

    @Test func strataImageAloneIsExploreAndSigtermRestores() throws {
        let t = try TmuxSession(["--demo"], width: 90, height: 26)
        try t.waitFor("secrets")
        #expect(try t.display("#{alternate_on}") == "1")
        let pid = try t.display("#{pane_pid}")
        // The pane runs a shell; signal its child, the explorer.
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/pkill")
        p.arguments = ["-TERM", "-P", pid, "-x", "strata"]
        try p.run()
        p.waitUntilExit()
        let screen = try t.waitFor("STRATA_EXIT=")
        #expect(screen.contains("STRATA_EXIT=143"))
        #expect(try t.display("#{alternate_on}") == "0")
        #expect(try t.display("#{cursor_flag}") == "1")
    }

    @Test func noColorAndAsciiStillReadable() throws {
        let t = try TmuxSession(["explore", "--demo"], width: 80, height: 24, environment: ["NO_COLOR": "1", "STRATA_ASCII": "1"])
        var screen = try t.waitFor("secrets")
        #expect(screen.contains("+ Layers 6/6"))
        try t.send("j", "j", "Tab")
        screen = try t.waitFor("(whiteout)")
        #expect(screen.contains("- .npmrc (whiteout)"))
        try t.send("C-c")
        screen = try t.waitFor("STRATA_EXIT=")
        #expect(screen.contains("STRATA_EXIT=0"))
    }
}
