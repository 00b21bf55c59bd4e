import ArgumentParser
import Detection
import Foundation
import ImageSource
import LayerIndex
import Lint

/// `strata lint [Dockerfile …] [--context DIR]`: Dockerfile checks that stop leaks at build time.
struct LintCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lint",
        abstract: "Check Dockerfiles for secrets that would end up in image layers, config or history.",
        discussion: """
        Checks (suppress one with `# strata:ignore=ID` on the line before or on the instruction):
        \(LintRules.all.filter { $0.id.hasPrefix("DF") }.map { "  \($0.id) \($0.severity.rawValue): \($0.summary)" }.joined(separator: "\n"))

        Exit status: 0 clean, 1 findings at or above --fail-on, 2 error.
        """
    )

    @Argument(help: "Dockerfiles to check (default: ./Dockerfile; - reads standard input).")
    var dockerfiles: [String] = []

    @Option(name: .long, help: "Build context directory: also report credential files COPY/ADD would send (DF008).")
    var context: String?

    @Flag(name: .customLong("context-from-dockerfile"), help: "Use each Dockerfile's own directory as its build context (for hooks).")
    var contextFromDockerfile = false

    @Option(name: .long, help: "Output format: table, json or sarif.")
    var format: String = "table"

    @Option(name: .customLong("fail-on"), help: "Exit 1 when a finding is at or above this severity (info, low, medium, high, critical).")
    var failOn: String = "medium"

    @Flag(name: .customLong("show-secrets"), help: "Print secret values instead of redacted previews.")
    var showSecrets = false

    @Option(name: .long, help: "The image built from the Dockerfile: link each finding to the history step and layer it produced.")
    var image: String?

    @OptionGroup var imageOptions: ImageOptions

    func run() throws {
        guard let outputFormat = LintOutput.Format(rawValue: format.lowercased()) else {
            throw StrataError("unknown --format \(format) (table, json, sarif)")
        }
        guard let threshold = Severity(rawValue: failOn.lowercased()) else {
            throw StrataError("unknown --fail-on \(failOn) (info, low, medium, high, critical)")
        }
        let files = dockerfiles.isEmpty ? ["Dockerfile"] : dockerfiles
        let engine = defaultSecretEngine()
        var findings: [LintFinding] = []
        var imageInfo: ImageInfo? = nil
        if let image {
            imageInfo = try ImageOpening.open(image, options: imageOptions.sourceOptions).1
        }
        var failed = false
        for file in files {
            do {
                findings += try lintOne(file, engine: engine, imageInfo: imageInfo)
            } catch let error as StrataError {
                // One unreadable or malformed Dockerfile does not hide the others' findings.
                FileHandle.standardError.write(Data("strata: \(error.with(path: file))\n".utf8))
                failed = true
            }
        }
        FileHandle.standardOutput.write(Data(LintOutput.render(findings, format: outputFormat).utf8))
        if failed { throw ExitCode(2) }
        if LintOutput.fails(findings, failOn: threshold) { throw ExitCode(1) }
    }

    /// Parses one Dockerfile (`-`: standard input), scans its context when asked, lints it and
    /// links the findings to the image's history when `--image` is given.
    func lintOne(_ file: String, engine: any LintSecretEngine, imageInfo: ImageInfo?) throws -> [LintFinding] {
        let url = URL(fileURLWithPath: file == "-" ? "Dockerfile" : file)
        let dockerfile: Dockerfile
        if file == "-" {
            let data = FileHandle.standardInput.readDataToEndOfFile()
            dockerfile = try DockerfileParser.parse(String(decoding: data, as: UTF8.self), path: "<stdin>")
        } else {
            dockerfile = try DockerfileParser.parse(contentsOf: url).with(path: file)
        }
        var report: ContextReport? = nil
        if let contextDirectory = context ?? (contextFromDockerfile ? url.deletingLastPathComponent().path : nil) {
            report = try ContextScanner(engine: engine, keepSecrets: showSecrets)
                .scan(directory: URL(fileURLWithPath: contextDirectory), dockerfile: url)
        }
        let findings = Linter(engine: engine, showSecrets: showSecrets, context: report).lint(dockerfile)
        guard let info = imageInfo else { return findings }
        var history = info.config.history
        _ = HistoryAlignment.align(history: &history, layerCount: info.layers.count)
        let links = HistoryMatcher.align(dockerfile, history: history)
        return HistoryMatcher.attach(links, to: findings, dockerfile: dockerfile, history: history,
                                     layerDigests: info.layers.map(\.diffID.description), configEnv: info.config.env,
                                     engine: engine, showSecrets: showSecrets)
    }
}
