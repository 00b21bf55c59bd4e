import Explorer
import LayerIndex
import Scanner
import TermGrid
import Testing

@Suite struct ReducerTests {
    /// Layer events in any order (and progress arriving late) give the same screen.
    @Test func eventOrderDoesNotMatter() {
        let events = Demo.events
        guard case .started = events[0], case .completed = events.last! else { Issue.record("unexpected demo events"); return }
        let middle = Array(events[1..<(events.count - 1)])
        var orders: [[ScanEvent]] = [middle, middle.reversed()]
        var rng = SystemRandomNumberGenerator()
        for _ in 0..<5 { orders.append(middle.shuffled(using: &rng)) }
        var screens: [String] = []
        for order in orders {
            var s = ExplorerState(width: 100, height: 30)
            _ = s.reduce(.scan(events[0]))
            for e in order { _ = s.reduce(.scan(e)) }
            _ = s.reduce(.scan(events.last!))
            var d = Driver(s)
            d.press(.char("j"), .char("j"), .tab)
            screens.append(Snapshot.text(d.grid))
            d.press(.char("f"))
            screens[screens.count - 1] += Snapshot.text(d.grid)
        }
        #expect(Set(screens).count == 1)
    }

    /// Before completion, layers fill in as they finish, in any order.
    @Test func partialScanShowsWhatIsKnown() {
        let events = Demo.events
        var s = ExplorerState(width: 100, height: 30)
        _ = s.reduce(.scan(events[0]))
        let first = Snapshot.screen(s.render())
        #expect(first.contains("reading layer…"))
        #expect(first.contains("RUN npm config set"))
        // Layer 3 finishes before layers 0-2: its files show, marked provisionally added.
        for e in events { if case .layerDone(let r) = e, r.contents.layer.index == 3 { _ = s.reduce(.scan(e)) } }
        _ = s.reduce(.scan(.layerState(index: 1, state: .scanning)))
        var d = Driver(s)
        d.press(.down, .down, .down)
        #expect(d.screen.contains(".env"))
        #expect(d.screen.contains("lower layers still scanning"))
        // A late `scanning` for a finished layer does not undo it.
        _ = d.state.reduce(.scan(.layerState(index: 3, state: .scanning)))
        #expect(d.state.scan.states[3] == .done)
        _ = d.state.reduce(.scan(.progress(ScanProgress(layersDone: 2, layersTotal: 6, bytesDone: 100, bytesTotal: 1000, bytesPerSecond: 2_000_000, eta: 3))))
        #expect(d.screen.contains("2/6 layers"))
        #expect(d.screen.contains("ETA 3s"))
    }

    @Test func failedLayerIsShownAndOthersKept() {
        let events = Demo.events
        var s = ExplorerState(width: 100, height: 30)
        _ = s.reduce(.scan(events[0]))
        _ = s.reduce(.scan(.failed(StrataError("truncated gzip", image: "demo", layer: 2))))
        for e in events { if case .layerDone(let r) = e, r.contents.layer.index != 2 { _ = s.reduce(.scan(e)) } }
        #expect(s.scan.states[2] == .failed)
        var d = Driver(s)
        d.press(.down, .down)
        #expect(d.screen.contains("this layer could not be read"))
        d.press(.down)
        #expect(d.screen.contains(".env"))
    }
}
