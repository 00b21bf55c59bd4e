import Detection
import LayerIndex

/// Turns the matches found in layer files into findings a responder can act on, once the
/// whole stack is known: whether the final image still shows the file (`present`), a later
/// layer deleted it (`removed`, opaque directories included) or replaced it (`overwritten`),
/// the build step that wrote it, and how to fix it. Config and history findings are merged in;
/// the result is in a deterministic order.
public enum FindingBuilder {
    public static func build(image: ImageInfo, stack: LayerStack, layerMatches: [FileMatch], configFindings: [Finding]) -> [Finding] {
        var fates: [String: Fate] = [:]
        var findings: [Finding] = []
        findings.reserveCapacity(layerMatches.count + configFindings.count)
        for fileMatch in layerMatches {
            let filePath = Remediation.archivePath(fileMatch.path)
            let key = "\(fileMatch.layer)\u{0}\(filePath)"
            let fate: Fate
            if let known = fates[key] {
                fate = known
            } else {
                fate = self.fate(of: filePath, inLayer: fileMatch.layer, stack: stack)
                fates[key] = fate
            }
            let descriptor = fileMatch.layer < image.layers.count ? image.layers[fileMatch.layer] : nil
            let createdBy = descriptor?.createdBy ?? (fileMatch.layer < stack.layers.count ? stack.layers[fileMatch.layer].layer.createdBy : nil)
            let step = createdBy.map(BuildStep.init)
            let status: FindingStatus
            switch fate {
            case .present: status = .present
            case .removed: status = .removed
            case .overwritten: status = .overwritten
            }
            let location = FindingLocation(source: .layer, layer: fileMatch.layer, layerDigest: descriptor?.diffID,
                                           path: fileMatch.path, line: fileMatch.match.line, column: fileMatch.match.column)
            findings.append(Finding(match: DocumentationPaths.adjust(fileMatch.match, path: filePath), status: status, removedInLayer: fate.layer, location: location,
                                    introducedBy: createdBy,
                                    remediation: Remediation.forFile(path: fileMatch.path, layer: fileMatch.layer, step: step, fate: fate)))
        }
        findings.append(contentsOf: configFindings)
        return FindingOrder.sorted(dedupe(findings))
    }

    /// The stack's fate, plus one case it leaves as `present`: a later layer wrote the same
    /// content again (a `chmod` or `chown` copies a file up). The final image shows the later
    /// copy, so this layer's copy is shadowed: `overwritten` by that layer.
    static func fate(of path: String, inLayer layer: Int, stack: LayerStack) -> Fate {
        let fate = stack.fate(of: path, inLayer: layer)
        guard fate.isPresent, layer + 1 < stack.layers.count else { return fate }
        for later in (layer + 1)..<stack.layers.count {
            if stack.layers[later].entries.contains(where: { $0.path == path && $0.whiteout == nil && $0.type != .dir }) {
                return .overwritten(layer: later)
            }
        }
        return fate
    }

    /// One finding per secret per location: two rules that match the same bytes at the same
    /// place keep the more severe (then more confident) one.
    static func dedupe(_ findings: [Finding]) -> [Finding] {
        var best: [String: Finding] = [:]
        var order: [String] = []
        for f in findings {
            let l = f.location
            let key = [f.fingerprint, l.source.rawValue, l.layer.map(String.init) ?? "", l.path ?? "", l.line.map(String.init) ?? "",
                       l.column.map(String.init) ?? "", l.field ?? ""].joined(separator: "\u{0}")
            if let existing = best[key] {
                if (f.severity, f.match.confidence) > (existing.severity, existing.match.confidence) { best[key] = f }
            } else {
                best[key] = f
                order.append(key)
            }
        }
        return order.map { best[$0]! }
    }
}

/// The one order every output uses: files by layer, path and position, then config, then
/// history; ties broken by rule and fingerprint, so two runs print the same thing.
public enum FindingOrder {
    static func rank(_ source: FindingLocation.Source) -> Int {
        switch source {
        case .layer, .file: return 0
        case .config: return 1
        case .history: return 2
        }
    }

    public static func sorted(_ findings: [Finding]) -> [Finding] {
        findings.sorted(by: precedes)
    }

    public static func precedes(_ a: Finding, _ b: Finding) -> Bool {
        let la = a.location, lb = b.location
        if rank(la.source) != rank(lb.source) { return rank(la.source) < rank(lb.source) }
        if (la.historyIndex ?? -1) != (lb.historyIndex ?? -1) { return (la.historyIndex ?? -1) < (lb.historyIndex ?? -1) }
        if (la.layer ?? -1) != (lb.layer ?? -1) { return (la.layer ?? -1) < (lb.layer ?? -1) }
        if (la.path ?? "") != (lb.path ?? "") { return (la.path ?? "") < (lb.path ?? "") }
        if (la.field ?? "") != (lb.field ?? "") { return (la.field ?? "") < (lb.field ?? "") }
        if (la.line ?? 0) != (lb.line ?? 0) { return (la.line ?? 0) < (lb.line ?? 0) }
        if (la.column ?? 0) != (lb.column ?? 0) { return (la.column ?? 0) < (lb.column ?? 0) }
        if a.match.rule != b.match.rule { return a.match.rule < b.match.rule }
        return a.fingerprint < b.fingerprint
    }
}
