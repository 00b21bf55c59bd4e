import Detection
import LayerIndex

/// Finds secrets in an image's config and history: each `Env` entry (`Env[API_KEY]`), each
/// label (`Labels[key]`), `Cmd` and `Entrypoint`, and each history step's `created_by`
/// (`history[N]`, N counting `empty_layer` steps), including the build arguments a builder
/// records in front of `RUN` steps (`|2 A=x B=y /bin/sh -c …`) and `ENV`/`ARG` steps whose
/// names look secret even when the value has no known format.
public enum ConfigScanner {
    /// The path hint given to the engine for `NAME=value` texts: dotenv semantics.
    static let assignmentPath = ".env"
    /// The path hint for command lines and history text.
    static let commandPath = "Dockerfile"

    public static func scan(_ image: ImageInfo, matcher: any ContentMatcher) -> [Finding] {
        var findings: [Finding] = []
        let config = image.config
        var history = config.history
        if !history.isEmpty, history.allSatisfy({ $0.layerIndex == nil }) {
            _ = HistoryAlignment.align(history: &history, layerCount: image.layers.count)
        }

        for entry in config.env {
            let (name, value) = split(entry)
            let field = "Env[\(name)]"
            let envStep = history.last { step in
                let parsed = BuildStep(step.createdBy)
                return parsed.instruction == .env && parsed.assignments.contains { $0.name == name }
            }
            let fromArgument = envStep.map { BuildStep($0.createdBy).assignments.contains { $0.name == name && ($0.value ?? "").contains("$") } } ?? false
            let remediation = Remediation.forEnv(name: name, fromBuildArgument: fromArgument)
            for match in assignmentMatches(name: name, value: value, matcher: matcher) {
                findings.append(Finding(match: match, status: .config, location: FindingLocation(source: .config, field: field),
                                        introducedBy: envStep?.createdBy, remediation: remediation))
            }
        }
        for key in config.labels.keys.sorted() {
            let field = "Labels[\(key)]"
            for match in assignmentMatches(name: key, value: config.labels[key] ?? "", matcher: matcher) {
                findings.append(Finding(match: match, status: .config, location: FindingLocation(source: .config, field: field),
                                        remediation: Remediation.forConfigField(field)))
            }
        }
        for (field, argv) in [("Entrypoint", config.entrypoint), ("Cmd", config.cmd)] {
            guard let argv, !argv.isEmpty else { continue }
            for match in matcher.scan(text: argv.joined(separator: " "), path: commandPath) {
                findings.append(Finding(match: withPosition(match, line: nil, column: nil), status: .config,
                                        location: FindingLocation(source: .config, field: field),
                                        remediation: Remediation.forConfigField(field)))
            }
        }
        for step in history {
            findings.append(contentsOf: scan(step: step, image: image, matcher: matcher))
        }
        return FindingBuilder.dedupe(findings)
    }

    /// Findings in one history step.
    static func scan(step: HistoryStep, image: ImageInfo, matcher: any ContentMatcher) -> [Finding] {
        let parsed = BuildStep(step.createdBy)
        var seen = Set<String>()
        var out: [Finding] = []
        let layer = step.layerIndex
        let digest = layer.flatMap { $0 < image.layers.count ? image.layers[$0].diffID : nil }
        func add(_ match: Match, column: Int, remediation: String) {
            guard seen.insert(match.fingerprint).inserted else { return }
            let location = FindingLocation(source: .history, layer: layer, layerDigest: digest, line: 1, column: column,
                                           field: "history[\(step.index)]", historyIndex: step.index)
            out.append(Finding(match: withPosition(match, line: 1, column: column), status: .history, location: location,
                               introducedBy: step.createdBy, remediation: remediation))
        }
        // Build arguments recorded in front of a RUN step.
        for argument in parsed.arguments {
            let prefix = argument.name.utf8.count + 1
            for match in assignmentMatches(name: argument.name, value: argument.value, matcher: matcher) {
                let within = max(0, match.start - prefix)
                add(match, column: argument.valueOffset + within + 1, remediation: Remediation.forBuildArgument(name: argument.name))
            }
        }
        // The instruction itself: a RUN command with an inlined token, an ENV or ARG value.
        let assignments = parsed.assignments
        for match in matcher.scan(text: parsed.body, path: commandPath) {
            let name = assignments.last { $0.valueOffset <= parsed.bodyOffset + match.start }?.name
            add(match, column: parsed.bodyOffset + match.start + 1,
                remediation: Remediation.forHistoryText(instruction: parsed.instruction, name: name))
        }
        for assignment in assignments {
            guard let value = assignment.value, matcher.looksSecret(name: assignment.name) else { continue }
            let covered = out.contains { f in f.match.secret.map { value.contains($0) || $0.contains(value) } ?? false }
            if !covered, let match = matcher.genericSecret(name: assignment.name, value: value) {
                add(match, column: assignment.valueOffset + 1,
                    remediation: Remediation.forHistoryText(instruction: parsed.instruction, name: assignment.name))
            }
        }
        return out
    }

    /// Matches in `NAME=value` (engine rules first; a generic secret when the name looks secret
    /// and no rule recognised the value).
    static func assignmentMatches(name: String, value: String, matcher: any ContentMatcher) -> [Match] {
        let found = matcher.scan(text: name + "=" + value, path: assignmentPath)
        // Only what lies in the value: a rule that matched the name itself is noise here.
        let prefix = name.utf8.count + 1
        var matches = found.filter { $0.end > prefix }
        if matches.isEmpty, !value.isEmpty, matcher.looksSecret(name: name), let generic = matcher.genericSecret(name: name, value: value) {
            matches.append(generic)
        }
        return matches.map { withPosition($0, line: nil, column: nil) }
    }

    static func split(_ entry: String) -> (String, String) {
        guard let eq = entry.firstIndex(of: "=") else { return (entry, "") }
        return (String(entry[..<eq]), String(entry[entry.index(after: eq)...]))
    }

    /// Positions inside a config value mean little to a reader: the field says where.
    /// History text keeps line 1 and the column within `created_by`.
    static func withPosition(_ match: Match, line: Int?, column: Int?) -> Match {
        var m = match
        m.line = line ?? 1
        m.column = column ?? 1
        return m
    }
}
