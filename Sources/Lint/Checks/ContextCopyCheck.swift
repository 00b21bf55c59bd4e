/// DF008: COPY/ADD from the build context covers credential files that `.dockerignore` lets
/// through (needs `--context`). Files a name-based finding already reported for the same
/// step (an explicit `COPY deploy_key …`) are not repeated.
struct ContextCopyCheck {
    let run: LintRun
    let already: [LintFinding]

    func check() -> [LintFinding] {
        guard let context = run.context else { return [] }
        let sent = context.sent
        guard !sent.isEmpty else { return [] }
        let shipped = run.shippedStages
        var findings: [LintFinding] = []
        for instruction in run.dockerfile.instructions where instruction.keyword == "COPY" || instruction.keyword == "ADD" {
            guard instruction.flag("from") == nil, let (sources, destination) = instruction.copyPaths(escape: run.dockerfile.escape) else { continue }
            var covered: [ContextFinding] = []
            for source in sources where !source.hasPrefix("<<") && !source.contains("://") {
                var rel = GoPath.clean(source)
                while rel.hasPrefix("/") { rel.removeFirst() }
                if rel.isEmpty { rel = "." }
                for file in sent where covers(rel, file.path) && !covered.contains(file) {
                    covered.append(file)
                }
            }
            // A name-based finding on this step (DF005/DF009) already says it; do not repeat it.
            guard !covered.isEmpty, !already.contains(where: { $0.line >= instruction.startLine && $0.line <= instruction.endLine }) else { continue }
            let names = covered.prefix(6).map(\.path).joined(separator: ", ") + (covered.count > 6 ? ", … (\(covered.count) files)" : "")
            var patterns: [String] = []
            for file in covered where !patterns.contains(file.suggestedPattern) { patterns.append(file.suggestedPattern) }
            let ignoreName = context.ignoreFile == nil ? "no .dockerignore" : ".dockerignore does not exclude them"
            let kinds = covered.compactMap { $0.matches.first?.kind ?? $0.nameKind }
            findings.append(LintFinding(
                rule: LintRules.contextCredentials, severity: shipped.contains(instruction.stage) ? nil : .low,
                file: run.dockerfile.path, line: instruction.startLine, endLine: instruction.endLine,
                message: "\(instruction.keyword) \(sources.joined(separator: " ")) \(destination) sends credential files into the image (\(ignoreName)): \(names)",
                suggestion: "Add to .dockerignore:\n" + patterns.joined(separator: "\n") + "\n(or run: strata context check --fix \(context.directory))",
                secret: nil, kind: kinds.first, paths: covered.map(\.path)))
        }
        return findings
    }

    func hasGlob(_ text: String) -> Bool { text.contains { "*?[".contains($0) } }

    /// True when COPY source `source` (context-relative) brings `path` along.
    func covers(_ source: String, _ path: String) -> Bool {
        if source == "." { return true }
        if hasGlob(source) {
            guard let pattern = try? DockerIgnore(patterns: [source]) else { return false }
            return pattern.excludes(path)
        }
        return path == source || path.hasPrefix(source + "/")
    }
}
