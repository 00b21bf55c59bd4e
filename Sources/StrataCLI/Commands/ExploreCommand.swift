import ArgumentParser
import Detection
import Explorer
import Foundation
import ImageSource
import LayerIndex
import Scanner
import TermGrid
import TerminalCurses
#if canImport(Glibc)
import Glibc
#endif

extension CursesTerminal: Explorer.Terminal {}

/// `strata explore IMAGE` (also `strata IMAGE`): browse an image layer by layer in the terminal.
struct ExploreCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "explore",
        abstract: "Browse an image layer by layer: files added, changed and deleted, and every secret any layer held.",
        discussion: """
        Keys: Tab next pane, arrows/j/k move, Enter open or jump, Space collapse, f findings, m changes/merged, \
        / filter, s only files with findings, n/N next/previous finding, r reveal secrets, x extract a file, ? help, q quit.
        NO_COLOR=1 draws without colours; STRATA_ASCII=1 draws ASCII boxes.
        """)

    @Argument(help: "An image: docker-archive, OCI layout or archive, skopeo dir:, or a registry reference.")
    var image: String?

    @Flag(help: "Open the built-in demo image (no files, no network).")
    var demo = false

    @OptionGroup var imageOptions: ImageOptions
    @OptionGroup var cacheOptions: CacheOptions

    @Flag(help: .hidden)
    var benchKeys = false

    @Option(help: .hidden)
    var benchEntries = 100_000

    @Flag(help: .hidden)
    var benchOpen = false

    func validate() throws {
        if !demo && !benchKeys && image == nil {
            // `strata` alone: the overview of every command, not an error about the default one.
            if CommandLine.arguments.count <= 1 { throw CleanExit.helpRequest(Strata.self) }
            throw ValidationError("give an IMAGE, or --demo for the built-in demo")
        }
        if demo && image != nil { throw ValidationError("give an IMAGE or --demo, not both") }
    }

    func run() throws {
        if benchKeys {
            let r = KeyBenchmark.run(entries: benchEntries)
            let builds = r.treeBuilds.map { $0.mode + String(format: " %.0f", $0.ms) }.joined(separator: ", ")
            print(String(format: "explore keys: %d entries in one layer; %d keypresses (moves, pages, collapse, changes/merged): "
                         + "p50 %.3f ms, p99 %.3f ms, max %.2f ms; first frame %.2f ms", r.entries, r.samples.count,
                         r.percentile(0.5), r.percentile(0.99), r.samples.max() ?? 0, r.firstFrame)
                  + "; background tree builds (ms, off the loop thread): " + builds)
            return
        }
        let source: any ImageSource
        if demo {
            source = DemoImageSource()
        } else {
            source = try ImageOpening.open(image!, options: imageOptions.sourceOptions).0
        }
        if benchOpen {
            let r = try FileOpenBenchmark.run(source: source, files: 20)
            func summary(_ ms: [Double]) -> String {
                let sorted = ms.sorted()
                return String(format: "median %.1f ms, max %.1f ms", sorted[sorted.count / 2], sorted.last ?? 0)
            }
            print("explore open: \(r.files) files of layer \(r.layer), spread through it")
            print("  streamed from the layer start each time: " + summary(r.streamed))
            print("  strata, first opens in tar order:        " + summary(r.firstWalk))
            print("  strata, opened again in reverse order:   " + summary(r.reopened))
            return
        }
        try Self.explore(source: source, cache: cacheOptions.open(), store: cacheOptions.compiledDatabaseStore)
    }

    /// Runs the explorer on a terminal: the first frame comes from the manifest and config,
    /// the background scanner's events fill in the rest. Restores the terminal on every exit path.
    static func explore(source: any ImageSource, cache: ScanCache?, store: CompiledDatabaseStore?) throws {
        guard isatty(STDIN_FILENO) == 1, isatty(STDOUT_FILENO) == 1 else {
            throw StrataError("the explorer needs a terminal; use `strata scan` for reports", image: source.reference)
        }
        let info = try source.loadInfo()
        let detector = try Detector.standard(store: store)
        let (scanner, producer) = ScanWiring.producer(source: source, detector: detector, cache: cache)
        let terminal = try CursesTerminal()
        var state = ExplorerState()
        _ = state.reduce(.scan(.started(info)))
        let loop = ExplorerLoop(terminal: terminal, state: state,
                                provider: ImageSourceContentProvider(source: source, layers: info.layers))
        loop.onSelectLayer = { scanner.prioritize(layer: $0) }
        loop.start(producer)
        let signalNumber = loop.run()
        terminal.end()
        scanner.cancel()
        if signalNumber != 0 {
            signal(signalNumber, SIG_DFL)
            raise(signalNumber)
        }
    }
}
