import Explorer
import Foundation
import TermGrid
import Testing
import TestSupport

@Suite struct KeyTests {
    @Test func tabCyclesPanesAndViewerJoinsWhenOpen() {
        var d = Driver()
        #expect(d.state.focus == .layers)
        d.press(.tab)
        #expect(d.state.focus == .files)
        d.press(.tab)
        #expect(d.state.focus == .findings)
        d.press(.tab)
        #expect(d.state.focus == .layers)
        d.press(.down, .tab, .end, .enter)
        #expect(d.state.focus == .viewer)
        d.press(.backtab)
        #expect(d.state.focus == .files)
        d.press(.tab, .tab)
        #expect(d.state.focus == .findings)
        d.press(.backtab, .escape)
        #expect(d.state.viewer == nil)
    }

    @Test func arrowsAndVimKeysMoveTheSameWay() {
        var a = Driver(), b = Driver()
        a.press(.down, .down, .up)
        b.press(.char("j"), .char("j"), .char("k"))
        #expect(a.state.selectedLayer == 1 && b.state.selectedLayer == 1)
        a.press(.end)
        #expect(a.state.selectedLayer == 5)
        a.press(.home)
        #expect(a.state.selectedLayer == 0)
    }

    @Test func spaceCollapsesAndDirectoriesKeepCounts() {
        var d = Driver()
        d.press(.down, .down, .down, .tab)  // layer 3, files
        #expect(d.state.selectedNode?.path == "app")
        d.press(.char(" "))
        #expect(d.state.visibleRows().count == 1)
        #expect(d.screen.contains("▸  app/") && d.screen.contains("10 files ⚑4"))
        d.press(.char(" "))
        #expect(d.state.visibleRows().count > 10)
    }

    @Test func filterByPathAndOnlyFindings() {
        var d = Driver()
        d.press(.down, .down, .down, .char("/"))
        #expect(d.state.prompt != nil)
        d.type("aws")
        #expect(d.screen.contains("Filter paths: aws"))
        d.press(.enter)
        #expect(d.state.filter == "aws")
        #expect(d.screen.contains("credentials") && !d.screen.contains("server.js"))
        d.press(.char("/"))
        d.type("zzz")
        #expect(d.state.filter == "awszzz")  // filters live while typing
        d.press(.escape)  // cancelling puts the previous filter back
        #expect(d.state.filter == "aws")
        d.press(.escape)  // Esc outside the prompt clears the filter
        #expect(d.state.filter.isEmpty)
        d.press(.char("s"))
        let screen = d.screen
        #expect(screen.contains(".env") && screen.contains("id_ed25519") && !screen.contains("README.md"))
        #expect(screen.contains("only files with findings"))
    }

    @Test func enterOnAFindingLandsOnItsFileAndLine() {
        var d = Driver()
        d.press(.char("f"))
        // Find the occurrence of the deleted npm token and jump to it.
        let rows = d.state.findingRows()
        guard let target = rows.firstIndex(where: { if case .occurrence(let f) = $0 { return f.location.path == "home/node/.npmrc" } else { return false } }) else {
            Issue.record("no .npmrc finding"); return
        }
        d.press(.home)
        while d.state.findingsCursor < target { d.press(.down) }
        d.press(.enter)
        #expect(d.state.selectedLayer == 1)
        #expect(d.state.viewer?.path == "home/node/.npmrc")
        #expect(d.state.viewer?.targetLine == 1)
        #expect(d.state.selectedNode?.path == "home/node/.npmrc")
        #expect(d.screen.contains("home/node/.npmrc @ layer 1"))
    }

    @Test func nextAndPreviousFindingWalkEveryOccurrence() {
        var d = Driver()
        let total = d.state.findingsInOrder().count
        var cursors: [Int] = []
        for _ in 0..<total { d.press(.char("n")); cursors.append(d.state.findingsCursor) }
        #expect(Set(cursors).count == total)
        d.press(.char("n"))
        #expect(d.state.findingsCursor == cursors[0])
        d.press(.char("N"))
        #expect(d.state.findingsCursor == cursors[total - 1])
        #expect(d.state.message?.text == "finding \(total) of \(total)" || d.state.message?.text.hasPrefix("in the") == true)
    }

    @Test func extractWritesTheFileAsItWasInThatLayer() throws {
        let dir = TemporaryDirectory("explorer-extract")
        var d = Driver()
        d.press(.down, .down, .tab)  // layer 2: the whiteout of .npmrc
        let rows = d.state.visibleRows()
        guard let tree = d.state.tree(), let row = rows.firstIndex(where: { tree.nodes[$0].path == "home/node/.npmrc" }) else {
            Issue.record("no whiteout row"); return
        }
        while d.state.fileCursor < row { d.press(.down) }
        d.press(.char("x"))
        #expect(d.screen.contains("Extract home/node/.npmrc from layer 1 to:"))
        for _ in 0..<20 { d.press(.backspace) }
        d.type(dir.file("npmrc").path)
        d.press(.enter)
        let written = try String(contentsOf: dir.file("npmrc"), encoding: .utf8)
        #expect(written.contains(Demo.source.demo.secrets.npmToken))
        #expect(d.state.message?.isError == false)
        // A second extract to the same path refuses to overwrite.
        d.press(.char("x"))
        for _ in 0..<20 { d.press(.backspace) }
        d.type(dir.file("npmrc").path)
        d.press(.enter)
        #expect(d.state.message?.isError == true)
    }

    @Test func mouseClickSelectsLayerAndFile() {
        var d = Driver()
        d.press(.click(x: 5, y: 4))  // row 4 of the screen = layer 3
        #expect(d.state.selectedLayer == 3)
        #expect(d.state.focus == .layers)
        d.press(.click(x: 60, y: 3))
        #expect(d.state.focus == .files)
        #expect(d.state.fileCursor == 2)
    }

    @Test func resizeRelaysOutAndKeepsSelection() {
        var d = Driver()
        d.press(.down, .down)
        d.press(.resize(width: 140, height: 45))
        #expect(d.grid.width == 140 && d.grid.height == 45)
        #expect(d.state.selectedLayer == 2)
        d.press(.resize(width: 60, height: 15))
        #expect(d.screen.contains("80x24 shows everything"))
        #expect(gridIsClean(d.grid))
    }

    @Test func revealTogglesAndStatusSaysSo() {
        var d = Driver()
        d.press(.char("f"))
        #expect(!d.screen.contains(Demo.source.demo.secrets.githubToken))
        d.press(.char("r"))
        #expect(d.state.revealed)
        #expect(d.screen.contains("secrets revealed"))
        d.press(.char("r"))
        #expect(!d.state.revealed)
    }

    @Test func quitFromAnyPaneAndHelpClosesOnAnyKey() {
        var d = Driver()
        d.press(.char("?"))
        #expect(d.state.showHelp)
        d.press(.escape)
        #expect(!d.state.showHelp && !d.state.quitRequested)
        d.press(.down, .tab, .end, .enter, .char("q"))
        #expect(d.state.quitRequested)
        #expect(d.effects.contains(.quit))
        var c = Driver()
        c.press(.ctrl("c"))
        #expect(c.state.quitRequested)
    }

    @Test func hexViewForBinaries() {
        var d = Driver()
        d.press(.tab, .down, .enter)  // layer 0: bin/busybox
        #expect(d.state.viewer?.path == "bin/busybox")
        #expect(d.state.viewer?.hex == true)
        #expect(d.screen.contains("00000000  7f 45 4c 46"))
    }
}

@Suite struct HostileContentTests {
    @Test func escapeSequencesInNamesAndContentAreShownEscaped() {
        var d = Driver()
        d.press(.down, .down, .down, .tab)
        let screen = d.screen
        #expect(screen.contains("\\e]0;owned\\x07\\e[31mnotes.md"))
        #expect(gridIsClean(d.grid))
        guard let tree = d.state.tree(), let row = d.state.visibleRows().firstIndex(where: { tree.nodes[$0].name.hasSuffix("notes.md") }) else {
            Issue.record("no hostile file"); return
        }
        while d.state.fileCursor < row { d.press(.down) }
        d.press(.enter)
        #expect(d.screen.contains("\\e[2J\\e[31mred?\\e[0m"))
        #expect(gridIsClean(d.grid))
    }

    @Test func everyScreenOfTheDemoIsClean() {
        var d = Driver()
        let keys: [Key] = [.tab, .down, .enter, .char("m"), .tab, .char("f"), .enter, .char("r"), .char("?"), .escape,
                           .char("n"), .char("n"), .char("n"), .char("X"), .char("N")]
        for key in keys {
            d.press(key)
            #expect(gridIsClean(d.grid))
        }
    }

    @Test func hostileReferenceAndBuildStep() {
        var s = ExplorerState(width: 100, height: 30)
        var events = Demo.events
        if case .started(var info) = events[0] {
            info.reference = "evil\u{1B}[2J"
            info.layers[0].createdBy = "/bin/sh -c echo \u{1B}]52;c;cHduZWQ=\u{07}"
            events[0] = .started(info)
        }
        _ = s.reduce(.scan(events[0]))
        let grid = Screen.render(s)
        #expect(gridIsClean(grid))
        #expect(Snapshot.screen(grid).contains("echo \\e]52;c;cHduZWQ=\\x07"))
    }
}

@Suite struct ExtractNameTests {
    @Test func suggestedNameForAHostileFileIsTame() {
        var d = Driver()
        d.press(.down, .down, .down, .tab)
        guard let tree = d.state.tree(), let row = d.state.visibleRows().firstIndex(where: { tree.nodes[$0].name.hasSuffix("notes.md") }) else {
            Issue.record("no hostile file"); return
        }
        while d.state.fileCursor < row { d.press(.down) }
        d.press(.char("x"))
        guard let text = d.state.prompt?.text else { Issue.record("no prompt"); return }
        #expect(text.hasSuffix("notes.md"))
        #expect(text.unicodeScalars.allSatisfy { $0.isASCII && $0.value >= 0x20 && $0.value != 0x7F })
    }
}
