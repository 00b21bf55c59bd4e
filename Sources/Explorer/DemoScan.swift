import Detection
import Foundation
import ImageSource
import LayerIndex
import Scanner

/// Scan events for the demo image computed from what the demo planted, in one synchronous pass:
/// a deterministic producer for tests (pane snapshots must not move when detection rules
/// improve). Layers are indexed from the real tar; statuses come from the real `LayerStack`.
/// `strata explore --demo` uses the real background scanner (`ScanWiring`).
public enum DemoScan {
    /// Every event of a demo scan, in a natural order (layers finishing in index order).
    public static func events(_ source: DemoImageSource) -> [ScanEvent] {
        let demo = source.demo
        let info = try! source.loadInfo()
        var events: [ScanEvent] = [.started(info)]
        var contents: [LayerContents] = []
        var fileMatches: [[FileMatch]] = []
        var bytesDone: Int64 = 0
        let total = info.layers.reduce(0) { $0 + $1.size }
        for layer in info.layers {
            events.append(.layerState(index: layer.index, state: .scanning))
            // The real tar, read back by the real indexer.
            let c = (try? LayerIndexer(image: source.reference).index(layer: layer, from: source)) ?? LayerContents(layer: layer, entries: [])
            var matches: [FileMatch] = []
            for plant in demo.plants where plant.layer == layer.index {
                guard let path = plant.path, let bytes = demo.content(layer: layer.index, path: path),
                      let m = match(plant, in: bytes) else { continue }
                matches.append(FileMatch(layer: layer.index, path: path, match: m))
            }
            contents.append(c)
            fileMatches.append(matches)
            bytesDone += layer.size
            events.append(.layerDone(LayerResult(contents: c, matches: matches, fromCache: false, bytesRead: layer.size)))
            events.append(.progress(ScanProgress(layersDone: layer.index + 1, layersTotal: info.layers.count, bytesDone: bytesDone,
                                                 bytesTotal: total, bytesPerSecond: 0, eta: nil)))
        }
        let configFindings = demo.plants.filter { $0.layer == nil }.compactMap { plant -> Finding? in
            let text = plant.historyIndex.map { demo.history[$0].createdBy } ?? demo.env.first { $0.hasPrefix("API_KEY=") } ?? ""
            guard let m = match(plant, in: Array(text.utf8)) else { return nil }
            let isHistory = plant.historyIndex != nil
            return Finding(match: m, status: isHistory ? .history : .config,
                           location: FindingLocation(source: isHistory ? .history : .config, field: plant.field, historyIndex: plant.historyIndex),
                           introducedBy: isHistory ? demo.history[plant.historyIndex!].createdBy : nil,
                           remediation: "Never pass secrets with ARG or ENV: both are stored in the image config and history. "
                               + "Use RUN --mount=type=secret, then rotate this secret.")
        }
        events.append(.configDone(configFindings))
        let stack = LayerStack(layers: contents)
        var findings = configFindings
        for (li, matches) in fileMatches.enumerated() {
            for fm in matches {
                let fate = stack.fate(of: fm.path, inLayer: li)
                let status: FindingStatus
                switch fate {
                case .present: status = .present
                case .removed: status = .removed
                case .overwritten: status = .overwritten
                }
                findings.append(Finding(match: fm.match, status: status, removedInLayer: fate.layer,
                                        location: FindingLocation(source: .layer, layer: li, layerDigest: info.layers[li].digest,
                                                                  path: fm.path, line: fm.match.line, column: fm.match.column),
                                        introducedBy: info.layers[li].createdBy, remediation: remediation(fm.path, status: status)))
            }
        }
        events.append(.completed(ScanReport(image: info, stack: stack, findings: findings, failures: [])))
        return events
    }

    /// A producer that emits the demo's events (the loop runs it on a background thread).
    public static func producer(_ source: DemoImageSource) -> ScanProducer {
        { emit in for e in events(source) { emit(e) } }
    }

    static func remediation(_ path: String, status: FindingStatus) -> String {
        var fix: String
        if path.hasSuffix(".npmrc") {
            fix = "Pass the token with RUN --mount=type=secret,id=npmrc,target=/root/.npmrc; deleting the file in a later layer leaves it in this one."
        } else if path.hasPrefix("app/") {
            fix = "Add \(path.dropFirst(4)) to .dockerignore: COPY . sweeps the whole build context into the image."
        } else {
            fix = "Keep secrets out of the build; use RUN --mount=type=secret."
        }
        if status != .present { fix += " The layer still carries it." }
        return fix + " Rotate the secret."
    }

    static let titles: [String: (String, String, Severity)] = [
        "npm-token": ("npm-access-token", "npm access token", .high),
        "github-pat": ("github-pat", "GitHub personal access token", .critical),
        "aws-access-key-id": ("aws-access-key-id", "AWS access key ID", .high),
        "aws-secret-key": ("aws-secret-access-key", "AWS secret access key", .critical),
        "stripe-secret-key": ("stripe-secret-key", "Stripe secret key", .critical),
        "private-key": ("private-key", "Private key (OpenSSH)", .high),
        "database-url": ("database-url-password", "Database URL with password", .medium),
    ]

    /// The match of a planted secret in some bytes: line, column and byte span.
    static func match(_ plant: DemoImage.Plant, in bytes: [UInt8]) -> Match? {
        let needle = Array(plant.secret.utf8)
        guard !needle.isEmpty, bytes.count >= needle.count else { return nil }
        var start: Int?
        for i in 0...(bytes.count - needle.count) where bytes[i] == needle[0] && Array(bytes[i..<i + needle.count]) == needle {
            start = i
            break
        }
        guard let s = start else { return nil }
        let line = bytes[..<s].filter { $0 == 0x0A }.count + 1
        let lineStart = (bytes[..<s].lastIndex(of: 0x0A).map { $0 + 1 }) ?? 0
        let (rule, title, severity) = titles[plant.kind] ?? (plant.kind, plant.kind, .medium)
        let prefix = plant.secret.hasPrefix("-----") ? "-----BEGIN" : String(plant.secret.prefix(4))
        return Match(rule: rule, title: title, kind: plant.kind, severity: severity,
                     confidence: plant.kind == "github-pat" || plant.kind == "npm-token" ? .high : .medium,
                     line: line, column: s - lineStart + 1, start: s, end: s + needle.count, secret: plant.secret,
                     fingerprint: "sha256:" + SHA256Hasher.hex(of: needle),
                     preview: prefix + "****…(\(needle.count) chars)",
                     checksumValid: plant.kind == "github-pat" || plant.kind == "npm-token" ? true : nil)
    }
}
