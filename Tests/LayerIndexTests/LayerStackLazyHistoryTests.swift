import Testing
@testable import LayerIndex

/// Change sets, counts and history-only data are computed on first use (not when stacking);
/// whichever is read first — `changes`, `counts` or `historyOnly()`, from one thread or many,
/// on a copy or the original — the answers are the same, and fates need none of them.
@Suite struct LayerStackLazyHistoryTests {
    private static let layers: [[Entry]] = [
        [dir("a"), file("a/one", "11", size: 100), file("a/two", "22", size: 20), dir("b"), file("b/x", "33", size: 7)],
        [removal("a/one"), file("a/two", "23", size: 21), opaque("b"), file("b/y", "44", size: 5)],
        [file("b", "55", size: 3), file("c", "66", size: 1)],
    ]

    private static func expectedBytes(_ s: LayerStack) -> [Int64] {
        var bytes = [Int64](repeating: 0, count: s.layers.count)
        for item in s.historyOnly() { bytes[item.layer] += item.entry.size }
        return bytes
    }

    @Test func countsReadFirstAgreeWithHistoryOnly() {
        let s = stack(Self.layers)
        let counts = s.counts
        #expect(counts.map(\.historyOnlyBytes) == [127, 5, 0])
        #expect(counts.map(\.historyOnlyBytes) == Self.expectedBytes(s))
        #expect(counts.map(\.added) == [5, 1, 1] && counts.map(\.removed) == [0, 1, 0])
    }

    @Test func historyOnlyReadFirstThenCounts() {
        let s = stack(Self.layers)
        let paths = s.historyOnly().map { "\($0.layer) \($0.path)" }
        #expect(paths == ["0 a/one", "0 a/two", "0 b/x", "1 b/y"])
        #expect(s.counts.map(\.historyOnlyBytes) == [127, 5, 0])
    }

    @Test func concurrentFirstReadsOnCopiesAgree() async {
        let s = stack(Self.layers)
        let results = await withTaskGroup(of: [Int64].self) { group in
            for i in 0..<8 {
                let copy = s
                group.addTask { i % 2 == 0 ? copy.counts.map(\.historyOnlyBytes) : Self.expectedBytes(copy) }
            }
            var all: [[Int64]] = []
            for await r in group { all.append(r) }
            return all
        }
        #expect(results.count == 8 && results.allSatisfy { $0 == [127, 5, 0] })
    }

    @Test func fatesWithoutChangesThenChangesAgree() {
        let s = stack(Self.layers)
        #expect(s.fate(of: "a/one", inLayer: 0) == .removed(layer: 1, how: .whiteout))
        #expect(s.fate(of: "b/y", inLayer: 1) == .removed(layer: 2, how: .parentReplaced))
        let copy = s
        #expect(copy.changes[1].map { "\($0.kind) \($0.path)" } == ["removed a/one", "modified a/two", "opaque b", "added b/y"])
        #expect(s.changes[2].map { "\($0.kind) \($0.path)" } == ["modified b", "added c"])
        #expect(s.lineage(of: "b/x").map(\.layer) == [0, 1])
    }

    @Test func concurrentFirstReadsOfChangesAgree() async {
        let s = stack(Self.layers)
        let results = await withTaskGroup(of: [Int].self) { group in
            for _ in 0..<8 {
                let copy = s
                group.addTask { copy.changes.map(\.count) }
            }
            var all: [[Int]] = []
            for await r in group { all.append(r) }
            return all
        }
        #expect(results.count == 8 && results.allSatisfy { $0 == [5, 4, 2] })
    }

    @Test func preparedSummariesAreTheOnesReadLater() {
        let s = stack(Self.layers)
        s.prepareSummaries()
        let fresh = stack(Self.layers)
        #expect(s.counts == fresh.counts && s.changes == fresh.changes && s.historyOnly() == fresh.historyOnly())
    }

    @Test func mergedViewsBuiltInPlaceMatchEveryLayer() {
        let s = stack(Self.layers)
        #expect(s.merged(asOf: 0).map(\.entry.path) == ["a", "a/one", "a/two", "b", "b/x"])
        #expect(s.merged(asOf: 1).map(\.entry.path) == ["a", "a/two", "b", "b/y"])
        #expect(s.merged(asOf: 2).map(\.entry.path) == ["a", "a/two", "b", "c"])
        #expect(s.merged(asOf: 2).first { $0.entry.path == "b" }?.layer == 2)
    }
}
