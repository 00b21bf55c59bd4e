import Foundation
import LayerIndex
@testable import Scanner
import TestSupport
import Testing

@Suite("ImageScanner scheduling")
struct EngineTests {
    let layers = [SampleLayers.base, SampleLayers.app, SampleLayers.cleanup, SampleLayers.extra]

    /// Forces the finishing order: every job waits for its turn, and a turn passes only when the
    /// scanner has published the previous layer's `layerDone` (no timing involved).
    func run(finishing order: [Int], workers: Int = 4) throws -> (ScanReport, [ScanEvent]) {
        let source = MemoryImageSource(reference: "mem/order", layers: layers)
        let turns = TurnGate(order: order)
        let pipeline = TestPipeline.make { index in turns.waitForTurn(index) }
        let scanner = ImageScanner(source: source, pipeline: pipeline, options: .init(workers: workers))
        let log = EventLog()
        scanner.start { event in
            log.append(event)
            if let index = event.layerDoneIndex { turns.finished(index) }
        }
        let report = try scanner.wait()
        return (report, log.events)
    }

    @Test("the report is identical whatever order layers finish in")
    func finishingOrder() throws {
        let (forward, forwardEvents) = try run(finishing: [0, 1, 2, 3])
        let (backward, backwardEvents) = try run(finishing: [3, 2, 1, 0])
        let (mixed, _) = try run(finishing: [2, 0, 3, 1])
        #expect(forwardEvents.compactMap(\.layerDoneIndex) == [0, 1, 2, 3])
        #expect(backwardEvents.compactMap(\.layerDoneIndex) == [3, 2, 1, 0])
        #expect(ReportDigest(forward) == ReportDigest(backward))
        #expect(ReportDigest(forward) == ReportDigest(mixed))
        #expect(forward.findings.map(\.location.layer) == [0, 1, 3])
        #expect(forward.stack.layers.map(\.layer.index) == [0, 1, 2, 3])
    }

    @Test("events: started first, queued states, a layerDone per layer, progress that never goes back, completed last")
    func eventOrder() throws {
        let (report, events) = try run(finishing: [1, 3, 0, 2], workers: 2)
        guard case .started(let info) = events.first else { Issue.record("first event is not started"); return }
        #expect(info.layers.count == 4)
        guard case .completed(let last) = events.last else { Issue.record("last event is not completed"); return }
        #expect(ReportDigest(last) == ReportDigest(report))
        #expect(Set(events.compactMap(\.layerDoneIndex)) == [0, 1, 2, 3])
        #expect(events.filter { if case .configDone = $0 { true } else { false } }.count == 1)
        let progress = events.compactMap { if case .progress(let p) = $0 { p } else { nil } }
        #expect(progress.map(\.layersDone) == [1, 2, 3, 4])
        #expect(progress.last?.bytesDone == progress.last?.bytesTotal)
        #expect(progress.last?.eta == 0)
        // A layer is queued, then scanning, then done, in that order.
        let states = events.compactMap { if case .layerState(let i, let s) = $0, i == 2 { s } else { nil } }
        #expect(states == [.queued, .scanning, .done])
    }

    @Test("cancel stops running streams and drops queued jobs; completed still arrives")
    func cancellation() throws {
        let source = MemoryImageSource(reference: "mem/slow", layers: layers.map { String(repeating: $0, count: 40) })
        for i in 0..<4 { source.readDelay[i] = 0.01 }
        let scanner = ImageScanner(source: source, pipeline: TestPipeline.make(), options: .init(workers: 1))
        let log = EventLog()
        scanner.start { event in
            log.append(event)
            if case .layerState(_, .scanning) = event { scanner.cancel() }
        }
        let began = Date()
        let report = try scanner.wait()
        #expect(Date().timeIntervalSince(began) < 5)
        #expect(report.cancelled)
        #expect(report.failures.isEmpty, "a cancelled layer is not a failure")
        #expect(log.events.compactMap(\.layerDoneIndex).isEmpty)
        #expect(source.totalOpens == 1, "only the running job opened its layer")
        guard case .completed = log.events.last else { Issue.record("no completed event"); return }
    }

    @Test("prioritize(layer:) makes the focused layer the next job")
    func prioritization() throws {
        // Sizes make the default order 3, 0, 1, 2 (largest first).
        let sized = [SampleLayers.base + "a\tb\n", SampleLayers.app, "x\ty\n", String(repeating: SampleLayers.extra, count: 5)]
        let source = MemoryImageSource(reference: "mem/focus", layers: sized)
        let gate = DispatchSemaphore(value: 0)
        let firstJob = EventLog()
        let pipeline = TestPipeline.make { index in
            if firstJob.events.isEmpty {
                firstJob.append(.layerState(index: index, state: .scanning))
                gate.wait()
            }
        }
        let scanner = ImageScanner(source: source, pipeline: pipeline, options: .init(workers: 1))
        let log = EventLog()
        scanner.start { log.append($0) }
        while firstJob.events.isEmpty { Thread.sleep(forTimeInterval: 0.005) }
        scanner.prioritize(layer: 2)
        gate.signal()
        _ = try scanner.wait()
        #expect(log.events.compactMap(\.layerDoneIndex) == [3, 2, 0, 1])
    }

    @Test("a broken layer fails with image and layer named; the others are kept")
    func layerFailure() throws {
        let source = MemoryImageSource(reference: "mem/broken", layers: layers)
        source.brokenLayers = [1]
        let (report, events) = try ImageScanner(source: source, pipeline: TestPipeline.make()).runToCompletion()
        #expect(report.failures.count == 1)
        let failure = try #require(report.failures.first)
        #expect(failure.layer == 1 && failure.image == "mem/broken")
        #expect(failure.description.contains("layer 1"))
        #expect(events.contains { if case .failed(let e) = $0 { e == failure } else { false } })
        #expect(Set(events.compactMap(\.layerDoneIndex)) == [0, 2, 3])
        #expect(report.findings.contains { $0.location.layer == 3 })
        // What was read before the break is kept: the entry and the secret in it.
        #expect(report.stack.layers[1].entries.map(\.path).contains("app/config"))
        #expect(report.findings.contains { $0.location.layer == 1 && $0.location.path == "app/config" })
    }

    @Test("an image that cannot be opened gives one failed event and wait() throws")
    func openFailure() throws {
        let source = MemoryImageSource(reference: "mem/none", layers: [])
        source.infoError = StrataError("not a docker-archive: manifest.json missing")
        let scanner = ImageScanner(source: source, pipeline: TestPipeline.make())
        let log = EventLog()
        scanner.start { log.append($0) }
        #expect(throws: StrataError.self) { try scanner.wait() }
        #expect(log.events.count == 1)
        guard case .failed(let error) = log.events.first else { Issue.record("expected failed"); return }
        #expect(error.image == "mem/none")
    }
}

/// Lets layer jobs through one at a time in a fixed order.
final class TurnGate: @unchecked Sendable {
    private let condition = NSCondition()
    private let order: [Int]
    private var next = 0

    init(order: [Int]) { self.order = order }

    func waitForTurn(_ layer: Int) {
        condition.lock()
        while next < order.count && order[next] != layer { condition.wait() }
        condition.unlock()
    }

    func finished(_ layer: Int) {
        condition.lock()
        next += 1
        condition.broadcast()
        condition.unlock()
    }
}
