import Explorer
import TermGrid
import Testing

/// Snapshots of the real panes over the demo image: text and roles.
@Suite struct PaneSnapshotTests {
    @Test func firstScreenOfTheDemo() {
        assertSnapshot(Demo.state().render(), named: "demo-first-screen")
    }

    @Test func layerThatDeletedTheTokenShowsTheWhiteout() {
        var d = Driver()
        d.press(.down, .down, .tab)
        #expect(d.screen.contains("- .npmrc (whiteout)"))
        assertSnapshot(d.grid, named: "demo-layer2-whiteout")
    }

    @Test func viewerHighlightsTheMaskedToken() {
        var d = Driver()
        d.press(.down, .tab, .end, .enter)
        let screen = d.screen
        #expect(screen.contains("home/node/.npmrc @ layer 1"))
        #expect(screen.contains("_authToken=****"))
        #expect(!screen.contains(Demo.source.demo.secrets.npmToken))
        assertSnapshot(d.grid, named: "demo-viewer-npmrc-masked")
        d.press(.char("r"))
        #expect(d.screen.contains("_authToken=" + String(Demo.source.demo.secrets.npmToken.prefix(10))))
        let roles = Snapshot.text(d.grid)
        #expect(roles.contains("XXXXXXXX"))
    }

    @Test func findingsPaneGroupsBySecret() {
        var d = Driver()
        d.press(.char("f"))
        #expect(d.screen.contains("removed in layer 2"))
        #expect(d.screen.contains("removed in layer 4"))
        assertSnapshot(d.grid, named: "demo-findings")
    }

    @Test func helpIsGeneratedFromTheActionTable() {
        var d = Driver(Demo.state(width: 100, height: 50))
        d.press(.char("?"))
        let screen = d.screen
        for action in Action.allCases { #expect(screen.contains(action.help) || action.group == .general && screen.contains("Help")) }
        assertSnapshot(d.grid, named: "demo-help")
        d.press(.char("x"))
        #expect(!d.state.showHelp)
    }

    @Test func mergedViewAsOfTheOpaqueLayer() {
        var d = Driver()
        d.press(.down, .down, .down, .down, .char("m"), .tab)
        let screen = d.screen
        #expect(screen.contains("merged filesystem"))
        #expect(!screen.contains("git-credentials"))  // hidden by the opaque directory
        #expect(screen.contains("# cache/"))
        assertSnapshot(d.grid, named: "demo-layer4-merged")
    }

    @Test func buildArgsInHistoryAreShownRedacted() {
        var d = Driver()
        d.press(.down)
        let screen = d.screen
        #expect(screen.contains("build args: NPM_TOKEN=npm_****"))
        #expect(!screen.contains(Demo.source.demo.secrets.npmToken))
        d.press(.char("r"))
        #expect(d.screen.contains("build args: NPM_TOKEN=" + String(Demo.source.demo.secrets.npmToken.prefix(20))))
    }

    @Test func asciiBoxesAtTheMinimumSize() {
        let s = Demo.state(width: 80, height: 24, boxStyle: .ascii)
        let grid = s.render()
        #expect(Snapshot.screen(grid).unicodeScalars.allSatisfy { $0.isASCII })
        assertSnapshot(grid, named: "demo-ascii-80x24")
    }
}

extension ExplorerState {
    func render() -> Grid { Screen.render(self) }
}
