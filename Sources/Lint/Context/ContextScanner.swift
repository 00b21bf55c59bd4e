import Detection
import Foundation
import LayerIndex

/// A credential-looking file of a build context and what `.dockerignore` does with it.
public struct ContextFinding: Sendable, Hashable, Codable {
    /// Context-relative path with `/` separators.
    public var path: String
    /// True when `.dockerignore` keeps it out of the build context.
    public var excluded: Bool
    /// The pattern that decided (written form, e.g. `!.env`), nil when none matched.
    public var decidedBy: String?
    public var decidedByLine: Int?
    /// Why it looks like a credential: its name (kind), and secrets found in it.
    public var nameKind: String?
    public var nameTitle: String?
    /// Detected secrets (raw values removed unless the scan was asked to keep them).
    public var matches: [Match]
    /// The `.dockerignore` line that would exclude it.
    public var suggestedPattern: String
}

/// The result of walking a context directory with its `.dockerignore`.
public struct ContextReport: Sendable, Hashable, Codable {
    public var directory: String
    /// The ignore file in effect (`.dockerignore` or `Dockerfile.dockerignore`), nil when none.
    public var ignoreFile: String?
    public var totalFiles: Int
    public var sentFiles: Int
    /// Every credential-looking file, sent or excluded, in path order.
    public var findings: [ContextFinding]

    /// Credential files that would be sent to the builder.
    public var sent: [ContextFinding] { findings.filter { !$0.excluded } }
}

/// Walks a build context the way BuildKit sends it: every file except what `.dockerignore`
/// excludes (symlinks are not followed). Credential files are found by name and by content.
public struct ContextScanner: Sendable {
    public var engine: any LintSecretEngine
    /// Files larger than this are classified by name only.
    public var maxContentBytes: Int
    /// Keep raw secret values in matches (`--show-secrets`).
    public var keepSecrets: Bool

    public init(engine: any LintSecretEngine = defaultSecretEngine(), maxContentBytes: Int = 2 << 20, keepSecrets: Bool = false) {
        self.engine = engine
        self.maxContentBytes = maxContentBytes
        self.keepSecrets = keepSecrets
    }

    public func scan(directory: URL, dockerfile: URL? = nil, ignore override: DockerIgnore? = nil) throws -> ContextReport {
        var isDir: ObjCBool = false
        guard FileManager.default.fileExists(atPath: directory.path, isDirectory: &isDir), isDir.boolValue else {
            throw StrataError("build context is not a directory", path: directory.path)
        }
        let (loaded, ignoreURL) = try DockerIgnore.load(contextDirectory: directory, dockerfile: dockerfile)
        let ignore = override ?? loaded
        let hasExceptions = ignore.patterns.contains { $0.exclusion }
        var report = ContextReport(directory: directory.path, ignoreFile: ignoreURL?.path, totalFiles: 0, sentFiles: 0, findings: [])
        try walk(directory, relative: "", ignore: ignore, hasExceptions: hasExceptions, report: &report)
        report.findings.sort { $0.path < $1.path }
        return report
    }

    func walk(_ url: URL, relative: String, ignore: DockerIgnore, hasExceptions: Bool, report: inout ContextReport) throws {
        let names: [String]
        do { names = try FileManager.default.contentsOfDirectory(atPath: url.path).sorted() } catch {
            throw StrataError("cannot list directory", path: url.path)
        }
        for name in names {
            let rel = relative.isEmpty ? name : relative + "/" + name
            let child = url.appendingPathComponent(name)
            let attributes = try? FileManager.default.attributesOfItem(atPath: child.path)
            let type = attributes?[.type] as? FileAttributeType
            let decision = ignore.evaluate(rel)
            if type == .typeDirectory {
                // BuildKit skips an excluded directory unless an exception may re-include inside it.
                if decision.excluded && !hasExceptions { continue }
                if rel == ".git" && decision.excluded { continue }
                try walk(child, relative: rel, ignore: ignore, hasExceptions: hasExceptions, report: &report)
                continue
            }
            report.totalFiles += 1
            if !decision.excluded { report.sentFiles += 1 }
            var kind = CredentialFiles.classify(rel)
            var matches: [Match] = []
            var text: String? = nil
            if type == .typeRegular, rel.hasPrefix(".git/") == false || rel == ".git/config",
               let size = attributes?[.size] as? Int, size <= maxContentBytes,
               let data = FileManager.default.contents(atPath: child.path),
               case let utf16 = UTF16Text.detect(Array(data.prefix(8192))),
               utf16 != nil || !data.prefix(8192).contains(0) {
                // UTF-16 text (a Windows editor's .env) is read as the characters it holds.
                text = String(decoding: utf16.map { UTF16Text.utf8(Array(data), order: $0) } ?? Array(data), as: UTF8.self)
                matches = engine.scan(text: text!, path: rel)
                if !keepSecrets { matches = matches.map(\.withoutSecret) }
            }
            // A `.pem`/`.crt`-style name whose readable content holds no private key (a public
            // key or certificate) is not a credential.
            if kind?.kind == "private-key", let text, matches.isEmpty, !text.contains("PRIVATE KEY"),
               CredentialFiles.keyExtensions.contains((rel as NSString).pathExtension.lowercased()) {
                kind = nil
            }
            guard kind != nil || !matches.isEmpty else { continue }
            report.findings.append(ContextFinding(
                path: rel, excluded: decision.excluded, decidedBy: decision.decidedBy?.written,
                decidedByLine: decision.decidedBy?.line, nameKind: kind?.kind, nameTitle: kind?.title, matches: matches,
                suggestedPattern: DockerfileRemediation.ignoreLine(forContextPath: rel)))
        }
    }

    /// The lines `--fix` appends: the standard credential patterns not yet present, then one
    /// pattern per credential file still sent after those. Appending (last match wins) also
    /// overrides an earlier `!` exception. Returns an empty list when nothing is missing.
    public func missingPatterns(report: ContextReport, ignore: DockerIgnore) throws -> [String] {
        let present = Set(ignore.patterns.filter { !$0.exclusion }.map(\.text))
        var added: [String] = []
        for pattern in CredentialFiles.defaultIgnorePatterns {
            let normalized = try DockerIgnore(patterns: [pattern]).patterns.first?.text ?? pattern
            if !present.contains(normalized) { added.append(pattern) }
        }
        let combined = try DockerIgnore(patterns: ignore.patterns.map(\.written) + added)
        for finding in report.findings where combined.excludes(finding.path) == false {
            if !added.contains(finding.suggestedPattern) { added.append(finding.suggestedPattern) }
            let again = try DockerIgnore(patterns: ignore.patterns.map(\.written) + added)
            if !again.excludes(finding.path) {
                let exact = GoPath.clean(finding.path)
                if !added.contains(exact) { added.append(exact) }
            }
        }
        return added
    }

    /// Appends the missing patterns to the context's ignore file (creating `.dockerignore`),
    /// and returns what was appended. Running it twice appends nothing the second time.
    @discardableResult
    public func fix(directory: URL, dockerfile: URL? = nil) throws -> [String] {
        let report = try scan(directory: directory, dockerfile: dockerfile)
        let (ignore, existing) = try DockerIgnore.load(contextDirectory: directory, dockerfile: dockerfile)
        let missing = try missingPatterns(report: report, ignore: ignore)
        guard !missing.isEmpty else { return [] }
        let target = existing ?? directory.appendingPathComponent(".dockerignore")
        var text = existing.flatMap { FileManager.default.contents(atPath: $0.path) }.map { String(decoding: $0, as: UTF8.self) } ?? ""
        if !text.isEmpty, !text.hasSuffix("\n") { text += "\n" }
        text += "# credentials kept out of the build context (strata context check --fix)\n"
        text += missing.joined(separator: "\n") + "\n"
        do { try Data(text.utf8).write(to: target) } catch {
            throw StrataError("cannot write .dockerignore", path: target.path)
        }
        return missing
    }
}

extension ContextReport {
    /// The sent credential files as findings (rule CTX001), for table/JSON/SARIF output and
    /// `--fail-on`. Severity: the highest detected secret's, `high` for a name-only match.
    /// `displayDirectory` replaces the absolute context path in finding locations (as the user typed it).
    public func lintFindings(engine: any LintSecretEngine, showSecrets: Bool, displayDirectory: String? = nil) -> [LintFinding] {
        sent.map { file in
            let severity = file.matches.map(\.severity).max() ?? LintRules.contextFile.severity
            var why: [String] = []
            if let title = file.nameTitle { why.append("name: \(title)") }
            let titles = Array(Set(file.matches.map(\.title))).sorted()
            if !titles.isEmpty { why.append("contains " + titles.joined(separator: ", ")) }
            let decided = file.decidedBy.map { "; re-included by `\($0)`" + (file.decidedByLine.map { " (line \($0))" } ?? "") } ?? ""
            var finding = LintFinding(rule: LintRules.contextFile, severity: severity,
                                      file: ((displayDirectory ?? directory) as NSString).appendingPathComponent(file.path),
                                      line: file.matches.first?.line ?? 1,
                                      message: "\(file.path) would be sent to the builder (\(why.joined(separator: ", "))\(decided))",
                                      suggestion: file.suggestedPattern,
                                      secret: file.matches.first.map { showSecrets ? ($0.secret ?? $0.preview) : $0.preview },
                                      kind: file.matches.first?.kind ?? file.nameKind, paths: [file.path])
            finding.endLine = finding.line
            return finding
        }
    }
}
