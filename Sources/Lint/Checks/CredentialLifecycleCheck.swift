import Detection

/// Follows credentials through each stage: where a step writes or copies one, and where a
/// later step removes it. DF005 removed in a later step (the earlier layer keeps it), DF006
/// written by RUN and never removed, DF009 copied in and never removed, DF011 created and
/// removed in one step (no layer keeps the file), DF010 the final stage copies one from
/// another stage.
struct CredentialLifecycleCheck {
    let run: LintRun

    struct Write {
        var instruction: Instruction
        var path: String
        var kind: String
        var title: String
        /// What the written content is: "npm token from $NPM_TOKEN", "copied deploy_key".
        var what: String
        var secret: String?
        var removedAt: Int? = nil
        var removedInSameStep = false
    }

    func check() -> [LintFinding] {
        var findings: [LintFinding] = []
        let shipped = run.shippedStages
        var unremovedByStage: [Int: [Write]] = [:]
        for stage in run.dockerfile.stages {
            var writes: [Write] = []
            var workdir = "/"
            var env: [String: String] = [:]
            var secretArgs: Set<String> = []
            for instruction in run.dockerfile.instructions(of: stage) {
                let lookup: (String) -> String? = { env[$0] }
                switch instruction.keyword {
                case "WORKDIR":
                    let dir = ShellWords.process(instruction.arguments, escape: run.dockerfile.escape, lookup: lookup)
                    workdir = ShellAnalysis.absolute(dir, workdir: workdir)
                case "ARG":
                    for pair in instruction.keyValues(escape: run.dockerfile.escape) where run.engine.looksSecret(name: pair.key) {
                        secretArgs.insert(pair.key)
                    }
                case "ENV":
                    for pair in instruction.keyValues(escape: run.dockerfile.escape, lookup: lookup) { env[pair.key] = pair.value }
                case "RUN":
                    runStep(instruction, workdir: workdir, secretArgs: secretArgs, writes: &writes)
                case "COPY", "ADD":
                    guard instruction.flag("from") == nil, let (sources, rawDestination) = instruction.copyPaths(escape: run.dockerfile.escape, lookup: lookup) else { break }
                    let destination = ShellAnalysis.absolute(rawDestination, workdir: workdir)
                    let destinationIsDir = rawDestination.hasSuffix("/") || sources.count > 1
                    for source in sources where !source.hasPrefix("<<") && !source.contains("://") {
                        let copiesContents = source.hasSuffix("/") || source == "." || source.hasSuffix("/.")
                        let target = destinationIsDir && !copiesContents ? destination + "/" + (source.split(separator: "/").last.map(String.init) ?? source) : destination
                        guard let cf = CredentialFiles.classify(target) ?? CredentialFiles.classify(source) else { continue }
                        writes.append(Write(instruction: instruction, path: GoPath.clean(target), kind: cf.kind, title: cf.title,
                                            what: "\(cf.title) copied from \(source)", secret: nil))
                    }
                default:
                    break
                }
            }
            let isShipped = shipped.contains(stage.index)
            for write in writes {
                findings.append(contentsOf: report(write, stage: stage, shipped: isShipped))
            }
            unremovedByStage[stage.index] = writes.filter { $0.removedAt == nil && !$0.removedInSameStep }
        }
        findings += finalStageCopies(unremovedByStage: unremovedByStage)
        return findings
    }

    func runStep(_ instruction: Instruction, workdir: String, secretArgs: Set<String>, writes: inout [Write]) {
        let mounted = Set(instruction.mounts.compactMap { $0.target.map { ShellAnalysis.absolute($0, workdir: workdir) } })
        let heredocText = instruction.heredocs.map(\.content).joined(separator: "\n")
        let firstOfStep = writes.count
        for segment in ShellAnalysis.segments(instruction.execForm?.joined(separator: " ") ?? instruction.arguments) {
            let text = segment.text
            let removal = ShellAnalysis.removals(text, workdir: workdir)
            if !removal.paths.isEmpty || !removal.kinds.isEmpty {
                for i in writes.indices where writes[i].removedAt == nil && !writes[i].removedInSameStep {
                    let covered = removal.kinds.contains(writes[i].kind)
                        || removal.paths.contains { writes[i].path == $0 || writes[i].path.hasPrefix($0 == "/" ? "/" : $0 + "/") }
                    guard covered else { continue }
                    if i >= firstOfStep { writes[i].removedInSameStep = true } else { writes[i].removedAt = instruction.startLine }
                }
                continue
            }
            let content = text.contains("<<") ? text + "\n" + heredocText : text
            let variables = ShellWords.variables(in: content).filter { secretArgs.contains($0) || run.engine.looksSecret(name: $0) }
            let detected = run.engine.scan(text: content, path: run.dockerfile.path).first
            if let repo = ShellAnalysis.cloneDestination(text, workdir: workdir) {
                let what = variables.first.map { "clone URL with $\($0)" } ?? (detected.map { "clone URL with a \($0.title)" } ?? "clone URL with credentials")
                writes.append(Write(instruction: instruction, path: repo + "/.git/config", kind: "git-credentials",
                                    title: "git remote URL", what: what, secret: detected?.secret))
                continue
            }
            if let config = ShellAnalysis.toolConfiguration(text), !mounted.contains(config.path) {
                let what = variables.first.map { "credential from $\($0)" } ?? (detected.map { $0.title } ?? "credential")
                writes.append(Write(instruction: instruction, path: config.path, kind: config.kind,
                                    title: CredentialFiles.classify(config.path)?.title ?? config.kind, what: what,
                                    secret: detected?.secret))
                continue
            }
            // Copying a mounted secret into the layer undoes the mount (`cp /run/secrets/x /app/x`).
            if let copied = ShellAnalysis.copiesFromMount(text, mounts: mounted, workdir: workdir), !mounted.contains(copied) {
                let cf = CredentialFiles.classify(copied)
                writes.append(Write(instruction: instruction, path: copied, kind: cf?.kind ?? "secret-file",
                                    title: cf?.title ?? "file", what: "secret mount content copied into the layer", secret: nil))
                continue
            }
            for target in ShellAnalysis.writeTargets(text) {
                let path = ShellAnalysis.absolute(target, workdir: workdir)
                if mounted.contains(path) { continue }
                guard !variables.isEmpty || detected != nil || ShellAnalysis.hasCredentialMarker(content) else { continue }
                if writes[firstOfStep...].contains(where: { $0.path == path }) { continue }
                let cf = CredentialFiles.classify(path)
                let what = detected.map { "\($0.title) written inline" }
                    ?? variables.first.map { "secret from $\($0)" } ?? "credential"
                writes.append(Write(instruction: instruction, path: path, kind: cf?.kind ?? detected?.kind ?? "secret-file",
                                    title: cf?.title ?? "file", what: what, secret: detected?.secret))
            }
        }
    }

    func report(_ write: Write, stage: Stage, shipped: Bool) -> [LintFinding] {
        let file = run.dockerfile.path
        let i = write.instruction
        let fix: String = i.keyword == "RUN"
            ? DockerfileRemediation.fix(kind: write.kind, origin: .run(i.arguments), secret: write.secret)
            : DockerfileRemediation.fix(kind: write.kind, origin: .copy(sources: i.copyPaths(escape: run.dockerfile.escape)?.sources ?? [], destination: write.path))
        let secret = write.secret.map(run.display)
        let stageNote = shipped ? "" : " (stage \(stage.name ?? String(stage.index)) is not shipped unless copied)"
        if write.removedInSameStep {
            return [LintFinding(rule: LintRules.sameLayerCredential, file: file, line: i.startLine, endLine: i.endLine,
                                message: "\(write.path) (\(write.what)) is created and removed in this step: no layer keeps the file; an inlined value still stays in history",
                                suggestion: fix, secret: secret, kind: write.kind)]
        }
        if let removed = write.removedAt {
            return [LintFinding(rule: LintRules.removedLater, severity: shipped ? nil : .low, file: file, line: i.startLine, endLine: i.endLine,
                                message: "\(write.path) (\(write.what)) is removed at line \(removed), but the layer of line \(i.startLine) still holds it\(stageNote)",
                                suggestion: fix, relatedLines: [removed], secret: secret, kind: write.kind)]
        }
        let rule = i.keyword == "RUN" ? LintRules.writtenToLayer : LintRules.copiedCredentialFile
        let verb = i.keyword == "RUN" ? "is written here and never removed" : "is copied into the image"
        return [LintFinding(rule: rule, severity: shipped ? nil : .low, file: file, line: i.startLine, endLine: i.endLine,
                            message: "\(write.path) (\(write.what)) \(verb): every layer from here on carries it\(stageNote)",
                            suggestion: fix, secret: secret, kind: write.kind)]
    }

    /// DF010: `COPY --from=STAGE` in a shipped stage of a credential path, or of a directory
    /// holding a credential that STAGE wrote and never removed.
    func finalStageCopies(unremovedByStage: [Int: [Write]]) -> [LintFinding] {
        var findings: [LintFinding] = []
        for stageIndex in run.shippedStages.sorted() {
            let stage = run.dockerfile.stages[stageIndex]
            for instruction in run.dockerfile.instructions(of: stage) where instruction.keyword == "COPY" {
                guard let from = instruction.flag("from"), let (sources, _) = instruction.copyPaths(escape: run.dockerfile.escape) else { continue }
                let sourceStage = run.dockerfile.stage(named: from)
                for source in sources {
                    let path = ShellAnalysis.absolute(source, workdir: "/")
                    var reason: String? = nil
                    var kind: String? = nil
                    if let cf = CredentialFiles.classify(path) {
                        reason = cf.title
                        kind = cf.kind
                    } else if let sourceStage, let write = unremovedByStage[sourceStage.index]?.first(where: {
                        $0.path == path || $0.path.hasPrefix(path == "/" ? "/" : path + "/")
                    }) {
                        reason = "\(write.path), written at line \(write.instruction.startLine)"
                        kind = write.kind
                    }
                    guard let reason, let kind else { continue }
                    let fromName = sourceStage.map { $0.name ?? String($0.index) } ?? from
                    let mount = DockerfileRemediation.mount(kind: kind)
                    findings.append(LintFinding(
                        rule: LintRules.finalStageCopiesSecret, file: run.dockerfile.path, line: instruction.startLine, endLine: instruction.endLine,
                        message: "COPY --from=\(fromName) \(source) brings \(reason) into the final image",
                        suggestion: "Copy only build outputs from \(fromName); in \(fromName), use the credential through RUN \(mount.flag) (build with \(mount.buildOption)) so it never lands in a layer",
                        relatedLines: sourceStage.map { [$0.line] } ?? [], kind: kind))
                }
            }
        }
        return findings
    }
}
