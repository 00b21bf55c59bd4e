import Detection
import Foundation

/// Runs every Dockerfile check and applies `# strata:ignore=ID` suppressions.
public struct Linter: Sendable {
    public var engine: any LintSecretEngine
    public var showSecrets: Bool
    /// The scanned build context (`--context DIR`), for DF008.
    public var context: ContextReport?

    public init(engine: any LintSecretEngine = defaultSecretEngine(), showSecrets: Bool = false, context: ContextReport? = nil) {
        self.engine = engine
        self.showSecrets = showSecrets
        self.context = context
    }

    /// All findings for one Dockerfile, sorted by line then rule id; suppressed ones removed.
    public func lint(_ dockerfile: Dockerfile) -> [LintFinding] {
        let run = LintRun(dockerfile: dockerfile, engine: engine, showSecrets: showSecrets, context: context)
        var findings = ArgEnvChecks(run: run).check()
        findings += RunAndAddChecks(run: run).check()
        let lifecycle = CredentialLifecycleCheck(run: run).check()
        findings += lifecycle
        findings += ContextCopyCheck(run: run, already: lifecycle).check()
        findings = Suppression.apply(findings, dockerfile: dockerfile)
        if !showSecrets { findings = findings.map { scrub($0) } }
        var seen: Set<String> = []
        findings = findings.filter { seen.insert("\($0.ruleID):\($0.line):\($0.message)").inserted }
        return findings.sorted { ($0.line, $0.ruleID) < ($1.line, $1.ruleID) }
    }

    /// A suggestion quotes Dockerfile text: make sure no secret value survives in it.
    func scrub(_ finding: LintFinding) -> LintFinding {
        guard let suggestion = finding.suggestion else { return finding }
        var copy = finding
        var text = suggestion
        for match in engine.scan(text: suggestion, path: "suggestion") {
            if let secret = match.secret, !secret.isEmpty { text = text.replacingOccurrences(of: secret, with: engine.preview(secret)) }
        }
        copy.suggestion = text
        return copy
    }

    /// Parses and lints a file.
    public func lint(contentsOf url: URL) throws -> [LintFinding] {
        lint(try DockerfileParser.parse(contentsOf: url))
    }
}

/// What every check reads: the file, the engine, whether to show secret values.
struct LintRun: Sendable {
    let dockerfile: Dockerfile
    let engine: any LintSecretEngine
    let showSecrets: Bool
    let context: ContextReport?

    func display(_ secret: String) -> String { engine.display(secret, showSecrets: showSecrets) }

    /// Stages whose layers end up in the final image: the last stage and the stages it is
    /// built `FROM` (a stage used as a base ships all its layers).
    var shippedStages: Set<Int> {
        var shipped: Set<Int> = []
        var current = dockerfile.finalStage
        while let stage = current, shipped.insert(stage.index).inserted {
            current = dockerfile.stage(named: stage.base).flatMap { $0.index < stage.index ? $0 : nil }
        }
        return shipped
    }
}

/// `# strata:ignore=DF001,DF004` on the line before an instruction or on one of its lines;
/// `# strata:ignore` alone silences every rule there.
enum Suppression {
    static func ids(in line: String) -> Set<String>? {
        guard let range = line.range(of: "strata:ignore") else { return nil }
        let rest = line[range.upperBound...]
        guard rest.hasPrefix("=") else { return ["*"] }
        let list = rest.dropFirst().prefix { !$0.isWhitespace }
        return Set(list.split(separator: ",").map { $0.uppercased() })
    }

    static func apply(_ findings: [LintFinding], dockerfile: Dockerfile) -> [LintFinding] {
        findings.filter { finding in
            let instruction = dockerfile.instructions.first { $0.startLine <= finding.line && finding.line <= $0.endLine }
            let first = instruction?.startLine ?? finding.line
            let last = instruction?.endLine ?? finding.line
            for lineNumber in max(1, first - 1)...last where lineNumber - 1 < dockerfile.lines.count {
                let text = dockerfile.lines[lineNumber - 1]
                if lineNumber == first - 1, !text.trimmingCharacters(in: .whitespaces).hasPrefix("#") { continue }
                if let ids = ids(in: text), ids.contains("*") || ids.contains(finding.ruleID) { return false }
            }
            return true
        }
    }
}
