import Detection

/// DF001 secret-named ARG, DF002 secret-named ENV, DF003 literal secret in ARG/ENV/LABEL.
struct ArgEnvChecks {
    let run: LintRun

    func check() -> [LintFinding] {
        var findings: [LintFinding] = []
        var secretArgs: Set<String> = []
        var stage = -2
        for instruction in run.dockerfile.instructions where ["ARG", "ENV", "LABEL", "FROM"].contains(instruction.keyword) {
            if instruction.stage != stage {
                stage = instruction.stage
                secretArgs = []
            }
            if instruction.keyword == "FROM" { continue }
            for pair in instruction.keyValues(escape: run.dockerfile.escape) {
                let referenced = ShellWords.variables(in: pair.raw ?? "", escape: run.dockerfile.escape)
                let literal = pair.value ?? ""
                // DF003: a secret value written in the Dockerfile itself.
                var literalMatch: Match? = nil
                if !literal.isEmpty, referenced.isEmpty || !(pair.raw ?? "").hasPrefix("$") {
                    literalMatch = run.engine.scan(text: "\(pair.key)=\(literal)", path: run.dockerfile.path).first
                }
                if let match = literalMatch {
                    let origin: DockerfileRemediation.Origin = instruction.keyword == "ARG" ? .arg(name: pair.key)
                        : instruction.keyword == "ENV" ? .env(name: pair.key) : .label(name: pair.key)
                    findings.append(LintFinding(
                        rule: LintRules.literalSecret, file: run.dockerfile.path, line: instruction.startLine, endLine: instruction.endLine,
                        message: "\(instruction.keyword) \(pair.key) holds a \(match.title) written in the Dockerfile: it ships in the image \(instruction.keyword == "ARG" ? "history" : "config")",
                        suggestion: DockerfileRemediation.fix(kind: match.kind, origin: origin),
                        secret: run.display(match.secret ?? literal), kind: match.kind))
                    continue
                }
                switch instruction.keyword {
                case "ARG" where run.engine.looksSecret(name: pair.key):
                    secretArgs.insert(pair.key)
                    // Before the first FROM, an ARG only feeds FROM lines: nothing records it
                    // unless a stage declares it again (that declaration gets its own finding).
                    let global = instruction.stage < 0
                    findings.append(LintFinding(
                        rule: LintRules.secretArg, severity: global ? .low : nil, file: run.dockerfile.path,
                        line: instruction.startLine, endLine: instruction.endLine,
                        message: global
                            ? "ARG \(pair.key) looks like a secret: declared before FROM it is not recorded, but any stage that declares it again records its value in RUN history"
                            : "ARG \(pair.key) looks like a secret: a --build-arg value is recorded in the history of every later RUN step (|N \(pair.key)=…)",
                        suggestion: DockerfileRemediation.fix(kind: "", origin: .arg(name: pair.key)), kind: "build-arg"))
                case "ENV":
                    let fromSecretArg = referenced.contains { secretArgs.contains($0) || run.engine.looksSecret(name: $0) }
                    guard run.engine.looksSecret(name: pair.key) || fromSecretArg else { continue }
                    let empty = literal.isEmpty && referenced.isEmpty
                    let severity: Severity = empty ? .low : (fromSecretArg || !BuiltinSecretEngine.isPlaceholder(literal) ? .critical : .medium)
                    let source = fromSecretArg ? " from build argument $\(referenced.first { secretArgs.contains($0) || run.engine.looksSecret(name: $0) }!)" : ""
                    findings.append(LintFinding(
                        rule: LintRules.secretEnv, severity: severity, file: run.dockerfile.path, line: instruction.startLine, endLine: instruction.endLine,
                        message: "ENV \(pair.key)\(source) stores a secret in the image config (docker inspect shows it) and in every container's environment",
                        suggestion: DockerfileRemediation.fix(kind: "", origin: .env(name: pair.key)), kind: "env"))
                default:
                    break
                }
            }
        }
        return findings
    }
}
