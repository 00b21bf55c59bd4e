import Detection
import LayerIndex
import Scanner

/// What the scanner has told the explorer so far, reduced from `ScanEvent`s. Keyed by layer
/// index, so events arriving in any order give the same model.
public struct ScanModel: Sendable {
    public private(set) var image: ImageInfo?
    public private(set) var states: [Int: LayerScanState] = [:]
    public private(set) var results: [Int: LayerResult] = [:]
    public private(set) var configFindings: [Finding] = []
    public private(set) var configDone = false
    public private(set) var progress: ScanProgress?
    public private(set) var failures: [StrataError] = []
    public private(set) var report: ScanReport?
    /// Bumped whenever the layer contents known change, so caches keyed on it stay right.
    public private(set) var generation = 0

    public init() {}

    public var layerCount: Int { image?.layers.count ?? 0 }
    public var isComplete: Bool { report != nil }

    public mutating func apply(_ event: ScanEvent) {
        switch event {
        case .started(let info):
            image = info
            for layer in info.layers where states[layer.index] == nil { states[layer.index] = .queued }
        case .layerState(let index, let state):
            // A finished layer never goes back to scanning when events cross.
            if let current = states[index], current == .done || current == .cached, state == .scanning || state == .queued { break }
            states[index] = state
        case .layerDone(let result):
            let index = result.contents.layer.index
            results[index] = result
            states[index] = result.fromCache ? .cached : .done
            generation += 1
        case .configDone(let findings):
            configFindings = findings
            configDone = true
        case .progress(let p):
            if let old = progress, old.layersDone > p.layersDone { break }
            progress = p
        case .failed(let error):
            if !failures.contains(error) { failures.append(error) }
            if let layer = error.layer { states[layer] = .failed }
        case .completed(let final):
            report = final
            if image == nil { image = final.image }
            for (i, contents) in final.stack.layers.enumerated() where results[i] == nil {
                results[i] = LayerResult(contents: contents, matches: [], fromCache: false, bytesRead: 0)
                if states[i] != .failed { states[i] = .done }
            }
            for failure in final.failures where !failures.contains(failure) { failures.append(failure) }
            generation += 1
        }
    }

    /// Every finding known: the final ones once the scan completed, else provisional ones built
    /// from the layers done so far (status decided by the partial stack when it can be).
    public var findings: [Finding] {
        if let report { return report.findings }
        var out = configFindings
        for index in results.keys.sorted() {
            guard let result = results[index] else { continue }
            for m in result.matches {
                out.append(Finding(match: m.match, status: .present,
                                   location: FindingLocation(source: .layer, layer: m.layer, layerDigest: result.contents.layer.digest,
                                                             path: m.path, line: m.match.line, column: m.match.column),
                                   introducedBy: result.contents.layer.createdBy, remediation: ""))
            }
        }
        return out
    }

    /// Matches in one layer's version of a file.
    public func matches(layer: Int, path: String) -> [Match] {
        if let report {
            return report.findings.filter { $0.location.source == .layer && $0.location.layer == layer && $0.location.path == path }
                .map(\.match)
        }
        return results[layer]?.matches.filter { $0.path == path }.map(\.match) ?? []
    }

    /// Findings per layer (file findings in that layer, plus history findings of its step).
    public func findingCount(layer: Int) -> Int {
        let history = image?.layers[safe: layer]?.historyIndex
        var keys = Set<String>()
        for f in findings {
            let l = f.location
            let here = (l.source == .layer && l.layer == layer)
                || (l.source == .history && (l.layer == layer || (history != nil && l.historyIndex == history)))
            if here { keys.insert(f.fingerprint + "|" + l.source.rawValue + "|" + (l.path ?? "")) }
        }
        return keys.count
    }
}

extension Array {
    subscript(safe index: Int) -> Element? { indices.contains(index) ? self[index] : nil }
}

extension ScanModel {
    /// path → number of matches, for one layer's files (built once per file tree).
    public func matchCounts(layer: Int) -> [String: Int] {
        var out: [String: Int] = [:]
        if let report {
            for f in report.findings where f.location.source == .layer && f.location.layer == layer {
                if let p = f.location.path { out[p, default: 0] += 1 }
            }
        } else {
            for m in results[layer]?.matches ?? [] { out[m.path, default: 0] += 1 }
        }
        return out
    }
}
