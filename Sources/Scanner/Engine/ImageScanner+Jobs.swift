import Foundation
import ImageSource
import LayerIndex

extension ImageScanner {
    func run(_ job: Job, info: ImageInfo) {
        switch job {
        case .config:
            let findings = ImageScanner.sortedFindings(pipeline.scanConfig(info))
            emit {
                configFindings = findings
                return [.configDone(findings)]
            }
        case .layer(let index):
            runLayer(info.layers[index], info: info)
        }
    }

    private func runLayer(_ layer: LayerDescriptor, info: ImageInfo) {
        if let cache, let hit = cache.layerResult(for: layer, ruleset: pipeline.rulesetKey),
           !(options.revealSecrets && !hit.matches.isEmpty) {
            var result = hit
            result.matches = ImageScanner.sortedMatches(result.matches)
            emit {
                results[layer.index] = result
                states[layer.index] = .cached
                layersDone += 1
                bytesDone += layer.size
                return [.layerState(index: layer.index, state: .cached), .layerDone(result), .progress(progressLocked())]
            }
            return
        }
        emit {
            states[layer.index] = .scanning
            return [.layerState(index: layer.index, state: .scanning)]
        }

        let outcome: LayerPassOutcome
        let counter: ControlledStream
        do {
            counter = ControlledStream(try source.openLayer(layer), scanner: self)
            outcome = pipeline.scanLayer(layer, counter)
        } catch {
            if isCancelled { return }
            fail(layer, error: ImageScanner.strataError(error), partial: nil, matches: [], info: info)
            return
        }
        if isCancelled { return }
        if let error = outcome.error {
            fail(layer, error: error, partial: outcome.contents, matches: outcome.matches, info: info)
            return
        }
        var result = LayerResult(contents: outcome.contents, matches: ImageScanner.sortedMatches(outcome.matches),
                                 fromCache: false, bytesRead: counter.bytesRead)
        result.contents.layer = layer
        if let cache, options.writeCache {
            // A cache that cannot be written (disk full, another process's lock held for too
            // long) costs the next run time, never this run its results.
            do {
                try cache.store(result, ruleset: pipeline.rulesetKey)
            } catch {
                noteCacheProblem("could not store layer \(layer.index)", error)
            }
        }
        emit {
            results[layer.index] = result
            states[layer.index] = .done
            layersDone += 1
            bytesDone += layer.size
            bytesStreamed += layer.size
            return [.layerState(index: layer.index, state: .done), .layerDone(result), .progress(progressLocked())]
        }
    }

    /// A layer that could not be read to its end: its partial entries and the secrets found
    /// before the break stay in the report (a secret in a truncated layer is still a leak); nothing
    /// of it is cached.
    private func fail(_ layer: LayerDescriptor, error: StrataError, partial contents: LayerContents?,
                      matches: [FileMatch], info: ImageInfo) {
        let failure = error.with(image: info.reference, layer: layer.index, layerDigest: layer.digest)
        emit {
            if var contents {
                contents.layer = layer
                partial[layer.index] = contents
            }
            partialMatches[layer.index] = matches
            failures.append(failure)
            states[layer.index] = .failed
            layersDone += 1
            bytesDone += layer.size
            bytesStreamed += layer.size
            return [.layerState(index: layer.index, state: .failed), .failed(failure), .progress(progressLocked())]
        }
    }

    /// Progress now; call with `stateLock` held.
    func progressLocked() -> ScanProgress {
        let total = info?.layers.reduce(Int64(0)) { $0 + $1.size } ?? 0
        let elapsed = Date().timeIntervalSince(startTime)
        // The rate counts streamed layers only: cache hits would make the ETA absurdly short.
        let rate = elapsed > 0 ? Double(bytesStreamed) / elapsed : 0
        let remaining = max(0, total - bytesDone)
        let eta: Double? = remaining == 0 ? 0 : (rate > 0 ? Double(remaining) / rate : nil)
        return ScanProgress(layersDone: layersDone, layersTotal: info?.layers.count ?? 0, bytesDone: bytesDone,
                            bytesTotal: total, bytesPerSecond: rate, eta: eta)
    }

    func assembleReport(_ info: ImageInfo) -> ScanReport {
        stateLock.lock()
        let results = self.results, partial = self.partial, failures = self.failures
        let partialMatches = self.partialMatches
        let configFindings = self.configFindings, cancelled = self.cancelled
        stateLock.unlock()

        let layers = info.layers.map { layer in
            results[layer.index]?.contents ?? partial[layer.index] ?? LayerContents(layer: layer, entries: [])
        }
        let stack = LayerStack(layers: layers)
        let matches = ImageScanner.sortedMatches(info.layers.flatMap {
            results[$0.index]?.matches ?? partialMatches[$0.index] ?? []
        })
        let findings = ImageScanner.sortedFindings(pipeline.buildFindings(info, stack, matches, configFindings))
        let sortedFailures = failures.sorted {
            ($0.layer ?? -1, $0.path ?? "", $0.message) < ($1.layer ?? -1, $1.path ?? "", $1.message)
        }
        var report = ScanReport(image: info, stack: stack, findings: findings, failures: sortedFailures)
        report.cancelled = cancelled
        return report
    }

    static func sortedMatches(_ matches: [FileMatch]) -> [FileMatch] {
        matches.sorted { a, b in
            if a.layer != b.layer { return a.layer < b.layer }
            if a.path != b.path { return a.path < b.path }
            if a.match.start != b.match.start { return a.match.start < b.match.start }
            if a.match.end != b.match.end { return a.match.end < b.match.end }
            if a.match.rule != b.match.rule { return a.match.rule < b.match.rule }
            return a.match.fingerprint < b.match.fingerprint
        }
    }

    /// A total order on findings, so the report is the same whatever order jobs finished in.
    static func sortedFindings(_ findings: [Finding]) -> [Finding] {
        func rank(_ source: FindingLocation.Source) -> Int {
            switch source {
            case .config: 0
            case .history: 1
            case .layer: 2
            case .file: 3
            }
        }
        func less(_ a: Finding, _ b: Finding) -> Bool {
            let (la, lb) = (a.location, b.location)
            if rank(la.source) != rank(lb.source) { return rank(la.source) < rank(lb.source) }
            if (la.layer ?? -1) != (lb.layer ?? -1) { return (la.layer ?? -1) < (lb.layer ?? -1) }
            if (la.path ?? "") != (lb.path ?? "") { return (la.path ?? "") < (lb.path ?? "") }
            if (la.historyIndex ?? -1) != (lb.historyIndex ?? -1) { return (la.historyIndex ?? -1) < (lb.historyIndex ?? -1) }
            if (la.field ?? "") != (lb.field ?? "") { return (la.field ?? "") < (lb.field ?? "") }
            if a.match.start != b.match.start { return a.match.start < b.match.start }
            if a.match.end != b.match.end { return a.match.end < b.match.end }
            if a.match.rule != b.match.rule { return a.match.rule < b.match.rule }
            if a.fingerprint != b.fingerprint { return a.fingerprint < b.fingerprint }
            return a.status.rawValue < b.status.rawValue
        }
        return findings.sorted(by: less)
    }
}

/// The layer stream as a job sees it: counts bytes and stops at the next read once the scan is
/// cancelled, so a cancelled scan never waits for a big layer to finish.
final class ControlledStream: ByteStream {
    private let base: ByteStream
    private weak var scanner: ImageScanner?
    private(set) var bytesRead: Int64 = 0

    init(_ base: ByteStream, scanner: ImageScanner) {
        self.base = base
        self.scanner = scanner
    }

    func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        if scanner?.isCancelled ?? true { throw StrataError("scan cancelled") }
        let count = try base.read(into: buffer)
        bytesRead += Int64(count)
        return count
    }
}
