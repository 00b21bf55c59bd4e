import ArgumentParser
import Detection
import Foundation
import ImageSource
import LayerIndex
import Reporting
import Scanner

extension ReportFormat: ExpressibleByArgument {}

/// `strata scan TARGET`: every secret any layer of an image ever held (or every secret in a
/// directory), where it is, whether the final image still carries it, and how to fix it.
struct ScanCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "scan",
        abstract: "Find every secret an image's layers, config and history ever held (or a directory's files).",
        discussion: """
        TARGET is an image (docker-archive tar, OCI layout or archive, skopeo dir, registry reference) \
        or a plain directory (a build context or an extracted root filesystem).

        Each finding says where the secret is (layer and path, config field, or history step), \
        whether the final image still carries it (present) or only history does (removed, overwritten), \
        the build step that put it there, and how to keep it out.

        Exit status: 0 when nothing is at or above --fail-on, 1 when something is, 2 on an error. \
        An image with unreadable layers is reported as far as it could be read and exits 2: \
        an incomplete scan never passes a gate as clean.
        """)

    @Argument(help: "Image reference or directory to scan.")
    var target: String

    @OptionGroup var imageOptions: ImageOptions
    @OptionGroup var cacheOptions: CacheOptions

    @Option(name: .customLong("config"), help: ArgumentHelp("Custom rules: a gitleaks/betterleaks TOML file ([extend] useDefault = true keeps the built-in rules).", valueName: "file"))
    var rulesFile: String?

    @Option(help: "Output format: table, json or sarif.")
    var format: ReportFormat = .table

    @Option(name: [.short, .long], help: ArgumentHelp("Write the report to a file instead of standard output.", valueName: "file"))
    var output: String?

    @Flag(name: .customLong("show-secrets"), help: "Print secret values instead of redacted previews.")
    var showSecrets = false

    @Option(name: .customLong("fail-on"), help: ArgumentHelp("Exit 1 when a finding is at or above this severity: info, low, medium, high, critical, or none.", valueName: "severity"))
    var failOn: String = "medium"

    @Option(help: ArgumentHelp("Leave out secrets whose fingerprints this file lists (a baseline, or an earlier JSON report).", valueName: "file"))
    var baseline: String?

    @Option(name: .customLong("write-baseline"), help: ArgumentHelp("Write the fingerprints of every secret found to this file.", valueName: "file"))
    var writeBaseline: String?

    func validate() throws {
        guard ExitPolicy.Threshold(failOn) != nil else {
            throw ValidationError("--fail-on must be one of info, low, medium, high, critical, none (got '\(Sanitize.line(failOn))')")
        }
    }

    func run() throws {
        let detector = try DetectorLoading.load(rulesFile: rulesFile, cache: cacheOptions)
        let knownBaseline = try baseline.map { try Baseline.load(path: $0) }
        let target: ReportTarget
        var findings: [Finding]
        var failures: [StrataError]
        /// Archives inside the target that could not be fully expanded: said, but not an error.
        var warnings: [StrataError] = []
        if ScanTarget.isPlainDirectory(self.target) {
            let result = DirectoryScanner.scan(directory: self.target, matcher: detector)
            target = .directory(self.target)
            findings = result.findings
            failures = result.failures.filter { $0.path != nil }
            warnings = result.failures.filter { $0.path == nil }
        } else {
            let (source, info) = try ImageOpening.open(self.target, options: imageOptions.sourceOptions)
            let (report, layerProblems) = try ImageScan.run(source: source, info: info, detector: detector,
                                                    cache: cacheOptions.open(), verify: imageOptions.sourceOptions.verify,
                                                    revealSecrets: showSecrets)
            KeptUntilExit.keep(report)
            target = .image(info)
            findings = report.findings
            failures = report.failures
            // Archives inside layers that could not be fully expanded: said, not an error.
            warnings = layerProblems
        }
        if let writeBaseline {
            try Baseline(findings: findings).write(path: writeBaseline)
        }
        var baselined = 0
        if let knownBaseline {
            (findings, baselined) = knownBaseline.filter(findings)
        }
        let input = ReportInput(target: target, findings: findings, failures: failures, baselined: baselined, showSecrets: showSecrets)
        let colour = output == nil && TableReport.Style.forOutput(isTerminal: isatty(1) == 1).colour
        let data = format.render(input, colour: colour)
        if let output {
            try OutputFile.write(data, to: output)
        } else {
            FileHandle.standardOutput.write(data)
        }
        for warning in warnings {
            FileHandle.standardError.write(Data("strata: warning: \(warning)\n".utf8))
        }
        // The table lists errors itself; other formats (and reports written to a file) say them on stderr.
        if format != .table || output != nil {
            for failure in failures {
                FileHandle.standardError.write(Data("strata: error: \(failure)\n".utf8))
            }
        }
        let code = ExitPolicy.code(findings: findings, failures: failures, failOn: ExitPolicy.Threshold(failOn) ?? .severity(.medium))
        if code != 0 { throw ExitCode(code) }
    }
}

/// Whether a scan target is a plain directory rather than an image laid out on disk.
enum ScanTarget {
    /// A directory that is not an OCI layout (`oci-layout`, `index.json`) nor a skopeo `dir:`
    /// image (`manifest.json` next to `version`) is scanned as files.
    static func isPlainDirectory(_ path: String) -> Bool {
        if path.hasPrefix("oci:") || path.hasPrefix("dir:") || path.hasPrefix("docker-archive:") || path.hasPrefix("oci-archive:") {
            return false
        }
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue else { return false }
        let fm = FileManager.default
        let url = URL(fileURLWithPath: path)
        if fm.fileExists(atPath: url.appendingPathComponent("oci-layout").path) { return false }
        if fm.fileExists(atPath: url.appendingPathComponent("index.json").path),
           fm.fileExists(atPath: url.appendingPathComponent("blobs").path) { return false }
        if fm.fileExists(atPath: url.appendingPathComponent("manifest.json").path),
           fm.fileExists(atPath: url.appendingPathComponent("version").path) { return false }
        return true
    }
}

/// The scan of one image by the background scanner: every layer streamed once (in parallel) with
/// a `LayerFileScanner` riding on the indexer, or taken from the cache; then the stack, the config
/// and the findings. The image and its findings' statuses are recorded in the cache for `strata where`.
enum ImageScan {
    static func run(source: any ImageSource, info: ImageInfo, detector: Detector, cache: ScanCache?,
                    verify: Bool, revealSecrets: Bool) throws -> (report: ScanReport, warnings: [StrataError]) {
        let progress = ScanProgressLine(enabled: isatty(2) == 1)
        // Unverified layers are never written to the cache: a tampered blob must not poison the
        // entry for the diff_id it claims.
        let scanner = ImageScanner(source: source, detector: detector, cache: cache,
                                   options: .init(writeCache: verify, revealSecrets: revealSecrets), info: info)
        scanner.start { progress.handle($0) }
        let report = try scanner.wait()
        progress.finish()
        var warnings: [StrataError] = []
        for layer in report.stack.layers {
            for problem in layer.problems {
                warnings.append(StrataError(problem, image: source.reference, layer: layer.layer.index, layerDigest: layer.layer.digest))
            }
        }
        warnings += scanner.cacheProblems
        return (report, warnings)
    }
}

/// One line of progress on stderr while layers are read (a terminal only), erased at the end.
final class ScanProgressLine: @unchecked Sendable {
    let enabled: Bool
    let lock = NSLock()
    var shown = false

    init(enabled: Bool) { self.enabled = enabled }

    func handle(_ event: ScanEvent) {
        guard enabled, case .progress(let p) = event else { return }
        let mb = Double(p.bytesDone) / 1_000_000, total = Double(p.bytesTotal) / 1_000_000
        let line = String(format: "\rscanning: %d/%d layers, %.1f/%.1f MB", p.layersDone, p.layersTotal, mb, total)
        lock.lock()
        FileHandle.standardError.write(Data((line + "\u{1B}[K").utf8))
        shown = true
        lock.unlock()
    }

    func finish() {
        lock.lock()
        if shown { FileHandle.standardError.write(Data("\r\u{1B}[K".utf8)) }
        shown = false
        lock.unlock()
    }
}
