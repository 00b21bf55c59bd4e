import Testing
@testable import LayerIndex

@Suite struct LayerStackTests {
    @Test func fileDeletedInLaterLayerIsHistoryOnly() {
        let s = stack([
            [dir("root"), file("root/.npmrc", "aa")],
            [dir("root"), removal("root/.npmrc")],
        ])
        #expect(s.changes[0].map(\.kind) == [.added, .added])
        #expect(s.changes[1].map(\.kind) == [.removed])
        #expect(s.changes[1][0].hiddenCount == 1)
        #expect(s.merged(asOf: 1).map(\.entry.path) == ["root"])
        #expect(s.merged(asOf: 0).map(\.entry.path) == ["root", "root/.npmrc"])
        let history = s.historyOnly()
        #expect(history.count == 1)
        #expect(history[0].path == "root/.npmrc" && history[0].removedInLayer == 1 && history[0].reason == "removed")
        #expect(s.fate(of: "root/.npmrc", inLayer: 0) == .removed(layer: 1, how: .whiteout))
        #expect(s.counts[1].removed == 1 && s.counts[0].historyOnlyBytes == 10)
    }

    @Test func directoryWhiteoutRemovesEverythingBelow() {
        let s = stack([
            [dir("opt"), dir("opt/build"), file("opt/build/key", "k1"), file("opt/build/sub/x", "x1")],
            [removal("opt/build")],
        ])
        #expect(s.fate(of: "opt/build/key", inLayer: 0) == .removed(layer: 1, how: .parentWhiteout))
        #expect(s.fate(of: "opt/build/sub/x", inLayer: 0) == .removed(layer: 1, how: .parentWhiteout))
        #expect(s.merged(asOf: 1).map(\.entry.path) == ["opt"])
    }

    @Test func opaqueDirectoryHidesLowerContentButKeepsItsOwn() {
        let s = stack([
            [dir("etc"), dir("etc/creds"), file("etc/creds/old", "o1"), file("etc/creds/keep", "same")],
            [dir("etc/creds"), opaque("etc/creds"), file("etc/creds/new", "n1"), file("etc/creds/keep", "same")],
        ])
        #expect(s.fate(of: "etc/creds/old", inLayer: 0) == .removed(layer: 1, how: .opaque))
        #expect(s.fate(of: "etc/creds/keep", inLayer: 0) == .present)
        #expect(s.merged(asOf: 1).map(\.entry.path) == ["etc", "etc/creds", "etc/creds/keep", "etc/creds/new"])
        let kinds = Dictionary(uniqueKeysWithValues: s.changes[1].map { ($0.path + "#" + $0.kind.rawValue, $0) })
        #expect(kinds["etc/creds#opaque"]?.hiddenCount == 2)
        #expect(kinds["etc/creds/new#added"] != nil)
        #expect(kinds["etc/creds/keep#added"] == nil && kinds["etc/creds/keep#modified"] == nil)
    }

    @Test func overwrittenContentIsHistoryOnlyButCopyUpIsNot() {
        let s = stack([
            [file("app/config.ini", "v1"), file("app/same", "s")],
            [Entry(path: "app/same", type: .file, mode: 0o600, size: 10, sha256: "s")],
            [file("app/config.ini", "v2")],
        ])
        #expect(s.fate(of: "app/config.ini", inLayer: 0) == .overwritten(layer: 2))
        #expect(s.fate(of: "app/same", inLayer: 0) == .present)
        #expect(s.changes[1].map(\.kind) == [.modified])
        #expect(s.historyOnly().map(\.reason) == ["overwritten"])
        #expect(s.lineage(of: "app/config.ini").map(\.layer) == [0, 2])
    }

    @Test func parentReplacedByFileHidesChildren() {
        let s = stack([
            [dir("data"), file("data/secret", "s1")],
            [Entry(path: "data", type: .symlink, linkTarget: "/tmp")],
        ])
        #expect(s.fate(of: "data/secret", inLayer: 0) == .removed(layer: 1, how: .parentReplaced))
        #expect(s.merged(asOf: 1).map(\.entry.path) == ["data"])
    }
}

@Suite struct LayerStackEdgeTests {
    @Test func lastDuplicateInALayerWins() {
        let s = stack([
            [file("etc/app.conf", "old"), file("etc/app.conf", "new")],
            [file("etc/app.conf", "new")],
        ])
        // Layer 1 writes what layer 0 ended with: no change, nothing history-only.
        #expect(s.changes[1].isEmpty)
        #expect(s.fate(of: "etc/app.conf", inLayer: 0) == .present)
        #expect(s.historyOnly().isEmpty)
        #expect(s.merged(asOf: 0).map(\.entry.sha256) == ["new"])
    }

    @Test func mergedOfAnEmptyStackOrNegativeLayerIsEmpty() {
        #expect(stack([]).merged(asOf: 0).isEmpty)
        #expect(stack([[file("a", "1")]]).merged(asOf: -1).isEmpty)
        #expect(stack([[file("a", "1")]]).merged(asOf: 5).map(\.entry.path) == ["a"])
    }

    @Test func whiteoutAndRecreateInTheSameLayer() {
        let s = stack([
            [dir("d"), file("d/secret", "s"), file("d/keep", "k")],
            [removal("d"), dir("d"), file("d/keep", "k")],
        ])
        // The whiteout acts on the lower layers only; the layer's own entries survive it.
        #expect(s.fate(of: "d/secret", inLayer: 0) == .removed(layer: 1, how: .parentWhiteout))
        #expect(s.merged(asOf: 1).map(\.entry.path) == ["d", "d/keep"])
        #expect(s.changes[1].contains { $0.path == "d" && $0.kind == .removed && $0.hiddenCount == 3 })
    }

    @Test func opaqueRootHidesEverythingBelow() {
        let s = stack([
            [dir("etc"), file("etc/passwd", "p")],
            [opaque(""), file("new", "n")],
        ])
        #expect(s.merged(asOf: 1).map(\.entry.path) == ["new"])
        #expect(s.fate(of: "etc/passwd", inLayer: 0) == .removed(layer: 1, how: .opaque))
    }

    @Test func removedThenReaddedKeepsBothHistories() {
        let s = stack([
            [file("k", "v1")],
            [removal("k")],
            [file("k", "v2")],
            [file("k", "v3")],
        ])
        #expect(s.fate(of: "k", inLayer: 0) == .removed(layer: 1, how: .whiteout))
        #expect(s.fate(of: "k", inLayer: 2) == .overwritten(layer: 3))
        #expect(s.changes[2].map(\.kind) == [.added])
        #expect(s.lineage(of: "k").map(\.kind) == [.added, .removed, .added, .modified])
        #expect(s.historyOnly().map(\.layer) == [0, 2])
    }

    @Test func metadataOnlyChangeIsModifiedButNotHistoryOnly() {
        let s = stack([
            [Entry(path: "bin/tool", type: .file, mode: 0o644, size: 4, sha256: "t")],
            [Entry(path: "bin/tool", type: .file, mode: 0o755, size: 4, sha256: "t")],
        ])
        #expect(s.changes[1].map(\.kind) == [.modified])
        #expect(s.historyOnly().isEmpty)
    }
}
