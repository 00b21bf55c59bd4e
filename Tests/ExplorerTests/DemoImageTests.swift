import Detection
import Explorer
import TermGrid
import Foundation
import ImageSource
import LayerIndex
import Scanner
import Testing
import TestSupport

/// The demo is a real image: the real scanner finds every planted secret with the right status,
/// and `strata demo --write` gives a docker-archive other readers open.
@Suite struct DemoImageTests {
    @Test func realScannerFindsEveryPlantedLeak() throws {
        let source = DemoImageSource()
        let detector = try Detector.standard()
        let scanner = ImageScanner(source: source, pipeline: .standard(detector: detector, image: source.reference))
        let (report, events) = try scanner.runToCompletion()
        #expect(report.failures.isEmpty)
        if case .started? = events.first {} else { Issue.record("first event is not started") }
        let fileFindings = report.findings.filter { $0.location.source == .layer }
        func status(_ path: String) -> Set<FindingStatus> { Set(fileFindings.filter { $0.location.path == path }.map(\.status)) }
        #expect(status("home/node/.npmrc") == [.removed])
        #expect(fileFindings.first { $0.location.path == "home/node/.npmrc" }?.removedInLayer == 2)
        #expect(status("app/cache/git-credentials") == [.removed])
        #expect(status("app/.env").contains(.present))
        #expect(status("app/.aws/credentials").contains(.present))
        #expect(status("app/deploy/id_ed25519").contains(.present))
        // ENV API_KEY in the config, the build arg and ENV step in the history.
        #expect(report.findings.contains { $0.status == .config })
        #expect(report.findings.contains { $0.status == .history })
        // The clean --mount=type=secret layer adds nothing secret.
        #expect(!report.findings.contains { $0.location.layer == 5 })
        // The secrets are well-formed: the GitHub and npm tokens carry valid checksums.
        let s = source.demo.secrets
        #expect(DemoSecrets.checksummed(prefix: "ghp_", body: String(s.githubToken.dropFirst(4).prefix(30))) == s.githubToken)
        #expect(report.findings.contains { $0.match.secret == s.githubToken })
    }

    @Test func firstFrameNeedsOnlyTheManifest() throws {
        let info = try DemoImageSource().loadInfo()
        var state = ExplorerState(width: 100, height: 30)
        _ = state.reduce(.scan(.started(info)))
        let screen = Snapshot.screen(Screen.render(state))
        #expect(screen.contains("Layers 0/6"))
        #expect(screen.contains("RUN --mount=type=secret"))
        #expect(screen.contains("reading layer…"))
    }

    @Test func writtenArchiveReadsBackTheSame() throws {
        let dir = TemporaryDirectory("demo-write")
        let path = dir.file("demo.tar").path
        let result = try StrataBinary.run(["demo", "--write", path])
        #expect(result.status == 0, "\(result.stderr)")
        let written = try ImageSources.open(path)
        let info = try written.loadInfo()
        let original = try DemoImageSource().loadInfo()
        #expect(info.layers.map(\.diffID) == original.layers.map(\.diffID))
        #expect(info.config.history.count == 10)
        #expect(info.config.env.contains { $0.hasPrefix("API_KEY=") })
    }
}
