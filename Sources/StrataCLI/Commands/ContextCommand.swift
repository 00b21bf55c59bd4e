import ArgumentParser
import Detection
import Foundation
import LayerIndex
import Lint

/// `strata context check DIR`: what a build context would send to the builder.
struct ContextCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "context",
        abstract: "Inspect a build context and its .dockerignore.",
        subcommands: [ContextCheckCommand.self]
    )
}

struct ContextCheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "List credential files (by name and by content) that would be sent to the builder, with the .dockerignore patterns that exclude them.",
        discussion: """
        .dockerignore follows BuildKit: patterns are relative to the context root, `**` spans \
        directories, `!` re-includes, the last matching pattern wins. `--fix` appends the \
        missing patterns (running it again changes nothing).
        Exit status: 0 clean, 1 credential files at or above --fail-on, 2 error.
        """
    )

    @Argument(help: "Build context directories (default: .).")
    var directories: [String] = []

    @Option(name: .long, help: "The Dockerfile (its NAME.dockerignore takes precedence, as in BuildKit).")
    var dockerfile: String?

    @Flag(name: .long, help: "Append the missing patterns to .dockerignore.")
    var fix = false

    @Flag(name: .customLong("find-dockerfiles"), help: "Check every directory under the given roots that holds a Dockerfile or Containerfile (as a pre-commit hook does).")
    var findDockerfiles = false

    @Option(name: .long, help: "Output format: table, json or sarif.")
    var format: String = "table"

    @Option(name: .customLong("fail-on"), help: "Exit 1 when a finding is at or above this severity.")
    var failOn: String = "medium"

    @Flag(name: .customLong("show-secrets"), help: "Print secret values instead of redacted previews.")
    var showSecrets = false

    func run() throws {
        guard let outputFormat = LintOutput.Format(rawValue: format.lowercased()) else {
            throw StrataError("unknown --format \(format) (table, json, sarif)")
        }
        guard let threshold = Severity(rawValue: failOn.lowercased()) else {
            throw StrataError("unknown --fail-on \(failOn) (info, low, medium, high, critical)")
        }
        let engine = defaultSecretEngine()
        let scanner = ContextScanner(engine: engine, keepSecrets: showSecrets)
        var findings: [LintFinding] = []
        var notes = ""
        var targets: [(String, String?)] = []
        for root in directories.isEmpty ? ["."] : directories {
            if findDockerfiles {
                let found = try DockerfileFinder.find(under: URL(fileURLWithPath: root))
                for (dir, file) in found where !targets.contains(where: { $0.0 == dir }) { targets.append((dir, file)) }
            } else {
                targets.append((root, dockerfile))
            }
        }
        var failed = false
        for (directory, dockerfile) in targets {
            do {
                let url = URL(fileURLWithPath: directory)
                let dockerfileURL = dockerfile.map { URL(fileURLWithPath: $0) }
                if fix {
                    let added = try scanner.fix(directory: url, dockerfile: dockerfileURL)
                    notes += added.isEmpty
                        ? "\(Sanitize.line(directory)): .dockerignore already excludes every credential file\n"
                        : "\(Sanitize.line(directory)): appended to .dockerignore: \(added.map(Sanitize.line).joined(separator: " "))\n"
                }
                let report = try scanner.scan(directory: url, dockerfile: dockerfileURL)
                findings += report.lintFindings(engine: engine, showSecrets: showSecrets, displayDirectory: directory)
                let excluded = report.findings.filter(\.excluded)
                notes += "\(Sanitize.line(directory)): \(report.sentFiles) of \(report.totalFiles) files sent to the builder; "
                    + "\(report.sent.count) credential file(s) sent, \(excluded.count) excluded by "
                    + (report.ignoreFile.map { Sanitize.line(($0 as NSString).lastPathComponent) } ?? "no .dockerignore") + "\n"
            } catch let error as StrataError {
                FileHandle.standardError.write(Data("strata: \(error.with(path: directory))\n".utf8))
                failed = true
            }
        }
        // Summaries go with the table; with JSON/SARIF on stdout they go to stderr.
        let output = LintOutput.render(findings, format: outputFormat)
        if outputFormat == .table {
            FileHandle.standardOutput.write(Data((notes + output).utf8))
        } else {
            FileHandle.standardError.write(Data(notes.utf8))
            FileHandle.standardOutput.write(Data(output.utf8))
        }
        if failed { throw ExitCode(2) }
        if LintOutput.fails(findings, failOn: threshold) { throw ExitCode(1) }
    }
}

/// Finds Dockerfiles in a source tree (skipping VCS and dependency directories).
enum DockerfileFinder {
    static let skipped: Set<String> = [".git", ".hg", ".svn", "node_modules", ".build", "vendor", ".venv", "venv", "__pycache__", ".tox"]

    static func isDockerfile(_ name: String) -> Bool {
        let lower = name.lowercased()
        return lower == "dockerfile" || lower == "containerfile" || lower.hasPrefix("dockerfile.")
            || lower.hasPrefix("containerfile.") || lower.hasSuffix(".dockerfile") || lower.hasSuffix(".containerfile")
    }

    /// (directory, first Dockerfile in it), in path order.
    static func find(under root: URL) throws -> [(String, String?)] {
        var result: [(String, String?)] = []
        func walk(_ url: URL, _ display: String) throws {
            let names = (try? FileManager.default.contentsOfDirectory(atPath: url.path).sorted()) ?? []
            if let file = names.first(where: isDockerfile) {
                result.append((display, (display as NSString).appendingPathComponent(file)))
            }
            for name in names where !skipped.contains(name) {
                var isDir: ObjCBool = false
                let child = url.appendingPathComponent(name)
                let attributes = try? FileManager.default.attributesOfItem(atPath: child.path)
                if attributes?[.type] as? FileAttributeType == .typeDirectory,
                   FileManager.default.fileExists(atPath: child.path, isDirectory: &isDir), isDir.boolValue {
                    try walk(child, display == "." ? name : (display as NSString).appendingPathComponent(name))
                }
            }
        }
        try walk(root, root.path == FileManager.default.currentDirectoryPath ? "." : root.relativePath)
        return result
    }
}
