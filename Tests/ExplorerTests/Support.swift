import Explorer
import Foundation
import ImageSource
import Scanner
import TermGrid
import Testing
import TestSupport

/// The demo image and its scan, shared by the tests.
enum Demo {
    static let source = DemoImageSource()
    static let events = DemoScan.events(source)
    static var provider: FileContentProvider {
        ImageSourceContentProvider(source: source, layers: try! source.loadInfo().layers)
    }

    /// A state with every demo event applied.
    static func state(width: Int = 100, height: Int = 30, boxStyle: BoxStyle = .unicode) -> ExplorerState {
        var s = ExplorerState(width: width, height: height)
        s.boxStyle = boxStyle
        for e in events { _ = s.reduce(.scan(e)) }
        return s
    }
}

/// Drives a state with keys, running effects synchronously (file loads, extraction).
struct Driver {
    var state: ExplorerState
    var provider: FileContentProvider = Demo.provider
    var effects: [Effect] = []

    init(_ state: ExplorerState = Demo.state()) { self.state = state }

    mutating func press(_ keys: Key...) { press(keys) }

    mutating func press(_ keys: [Key]) {
        for key in keys { run(state.reduce(.key(key))) }
    }

    mutating func type(_ text: String) { press(text.map { Key.char($0) }) }

    mutating func run(_ list: [Effect]) {
        for effect in list {
            effects.append(effect)
            switch effect {
            case .loadFile(let layer, let path):
                let result: Result<FileContent, StrataError>
                do { result = .success(try provider.read(layer: layer, path: path, limit: ViewerPane.limit)) }
                catch { result = .failure(error as? StrataError ?? StrataError("\(error)")) }
                run(state.reduce(.fileLoaded(layer: layer, path: path, result: result)))
            case .extract(let layer, let path, let destination):
                let result: Result<Int64, StrataError>
                do { result = .success(try provider.extract(layer: layer, path: path, to: URL(fileURLWithPath: destination))) }
                catch { result = .failure(error as? StrataError ?? StrataError("\(error)")) }
                run(state.reduce(.extracted(path: path, destination: destination, result: result)))
            case .quit:
                break
            }
        }
    }

    var grid: Grid { Screen.render(state) }
    var screen: String { Snapshot.screen(grid) }
}

import LayerIndex

/// Compares a snapshot (screen text plus role lines) with the file in `Tests/ExplorerSnapshots/`.
/// `STRATA_RECORD_SNAPSHOTS=1` rewrites the files, and fails so recording is never left on.
func assertSnapshot(_ grid: Grid, named name: String, sourceLocation: SourceLocation = #_sourceLocation) {
    let text = Snapshot.text(grid)
    let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("ExplorerSnapshots").appendingPathComponent(name + ".txt")
    if ProcessInfo.processInfo.environment["STRATA_RECORD_SNAPSHOTS"] == "1" {
        try? FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try? text.write(to: url, atomically: true, encoding: .utf8)
        Issue.record("recorded snapshot \(name): recording is on (unset STRATA_RECORD_SNAPSHOTS)", sourceLocation: sourceLocation)
        return
    }
    guard let expected = try? String(contentsOf: url, encoding: .utf8) else {
        Issue.record("missing snapshot \(name); run with STRATA_RECORD_SNAPSHOTS=1 once", sourceLocation: sourceLocation)
        return
    }
    if expected != text {
        let e = expected.split(separator: "\n", omittingEmptySubsequences: false)
        let a = text.split(separator: "\n", omittingEmptySubsequences: false)
        let firstDiff = zip(e, a).enumerated().first { $0.element.0 != $0.element.1 }?.offset ?? min(e.count, a.count)
        let context = a[max(0, firstDiff - 2)..<min(a.count, firstDiff + 4)].joined(separator: "\n")
        Issue.record("snapshot \(name) differs at line \(firstDiff + 1):\nexpected: \(firstDiff < e.count ? String(e[firstDiff]) : "<end>")\nactual:\n\(context)",
                     sourceLocation: sourceLocation)
    }
}

/// True when no cell of the grid holds a control character (what reaches the terminal).
func gridIsClean(_ grid: Grid) -> Bool {
    grid.cells.allSatisfy { cell in !cell.character.unicodeScalars.contains(where: Sanitize.needsEscape) }
}
