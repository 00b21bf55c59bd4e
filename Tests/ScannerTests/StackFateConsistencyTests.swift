import Foundation
import ImageSource
import LayerIndex
@testable import Scanner
import TestSupport
import Testing

/// `LayerStack.historyOnly()` takes a precomputed shortcut (the warm re-scan depends on its
/// speed); it must agree with `fate(of:inLayer:)`, which walks ancestors layer by layer.
@Suite("Layer stack fates: the fast history-only pass agrees with fate(of:inLayer:)")
struct StackFateConsistencyTests {
    func check(_ stack: LayerStack) {
        let fast = Dictionary(stack.historyOnly().map { ("\($0.layer) \($0.path)", $0.fate) }, uniquingKeysWith: { a, _ in a })
        for (li, layer) in stack.layers.enumerated() {
            for entry in layer.entries where entry.whiteout == nil && entry.type != .dir {
                let slow = stack.fate(of: entry.path, inLayer: li)
                #expect(fast["\(li) \(entry.path)"] == (slow.isPresent ? nil : slow), "layer \(li) \(entry.path)")
            }
        }
    }

    @Test("a parent directory replaced by a file or a symlink, whiteouts, opaque dirs")
    func handMade() {
        func layer(_ index: Int, _ entries: [Entry]) -> LayerContents {
            let digest = Digest(hex: String(repeating: String(index), count: 64))
            return LayerContents(layer: LayerDescriptor(index: index, digest: digest, diffID: digest, size: 1,
                                                        mediaType: "t", compression: .none), entries: entries)
        }
        let stack = LayerStack(layers: [
            layer(0, [Entry(path: "a", type: .dir), Entry(path: "a/b", type: .dir), Entry(path: "a/b/c", type: .file, sha256: "1"),
                      Entry(path: "x/y/z", type: .file, sha256: "2"), Entry(path: "o/p", type: .file, sha256: "3"),
                      Entry(path: "keep/k", type: .file, sha256: "4")]),
            layer(1, [Entry(path: "a/b", type: .file, sha256: "5"), Entry(path: "o", type: .other, whiteout: .opaque)]),
            layer(2, [Entry(path: "x/y", type: .symlink, linkTarget: "/tmp"), Entry(path: "keep/k", type: .file, sha256: "6")]),
            layer(3, [Entry(path: "a/b", type: .other, whiteout: .removal), Entry(path: "a/b/c", type: .file, sha256: "7")]),
        ])
        check(stack)
        #expect(stack.fate(of: "a/b/c", inLayer: 0) == .removed(layer: 1, how: .parentReplaced))
        #expect(stack.historyOnly().contains { $0.path == "x/y/z" && $0.fate == .removed(layer: 2, how: .parentReplaced) })
    }

    @Test("every fixture image", arguments: Fixtures.imageNames)
    func fixtures(name: String) throws {
        let source = try ImageSources.open(Fixtures.dockerArchive(name))
        let info = try source.loadInfo()
        let layers = try info.layers.map { try LayerIndexer().index(layer: $0, from: source) }
        check(LayerStack(layers: layers))
    }
}
