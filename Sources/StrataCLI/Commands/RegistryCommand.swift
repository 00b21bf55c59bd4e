import ArgumentParser
import Detection
import Foundation
import ImageSource
import LayerIndex
import Registry
import Reporting
import Scanner

/// `strata registry …`: commands over a whole registry.
struct RegistryCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "registry",
        abstract: "Scan every image of a registry: the gate before images are pulled for production.",
        subcommands: [RegistryScanCommand.self])
}

/// `strata registry scan HOST`: walks the catalog and each repository's tags, scans every
/// image (each distinct manifest once; layers shared between images are read once thanks to
/// the cache), prints one summary line per image, and fails when any image has a finding at or
/// above `--fail-on`.
struct RegistryScanCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "scan",
        abstract: "Scan every image (or those --repo and --tag select) of a registry for secrets.",
        discussion: """
        HOST is the registry (`registry.example.com`, `localhost:5000`, `docker://host:port`). \
        Repositories come from the registry's catalog (`/v2/_catalog`), tags from each \
        repository's tag list, following `Link` pagination; --repo and --tag filter them with \
        shell patterns (`team/*`, `v1.*`). A --repo without pattern characters skips the catalog, \
        for registries that do not publish one.

        Each image's line counts its distinct secrets by severity, and how many the final image \
        still carries (PRESENT) against those only lower layers or the build history hold \
        (HISTORY-ONLY). FETCHED counts layer blobs downloaded: layers already in the cache, from \
        this run or an earlier one, are never downloaded again.

        Exit status: 2 when any image could not be read, else 1 when any image has a finding at \
        or above --fail-on, else 0.
        """)

    @Argument(help: "Registry host, with port if not 443.")
    var host: String

    @Option(help: ArgumentHelp("Repositories to scan: a name or a shell pattern.", valueName: "glob"))
    var repo: String?

    @Option(help: ArgumentHelp("Tags to scan: a shell pattern.", valueName: "glob"))
    var tag: String?

    @Option(name: .customLong("fail-on"), help: ArgumentHelp("Exit 1 when an image has a finding at or above this severity: info, low, medium, high, critical, or none.", valueName: "severity"))
    var failOn: String = "medium"

    @Option(help: "Output format: table, or json (one document for the run).")
    var format: OutputFormat = .table

    @Option(name: .customLong("page-size"), help: ArgumentHelp("Entries per catalog or tag-list page (default: the registry's).", valueName: "n"))
    var pageSize: Int?

    @Flag(name: .customLong("all-platforms"), help: "Scan every platform of multi-platform images (default: the one --platform or this host selects).")
    var allPlatforms = false

    @OptionGroup var imageOptions: ImageOptions
    @OptionGroup var cacheOptions: CacheOptions

    @Option(name: .customLong("config"), help: ArgumentHelp("Custom rules: a gitleaks/betterleaks TOML file.", valueName: "file"))
    var rulesFile: String?

    @Flag(name: .customLong("show-secrets"), help: "Print secret values instead of redacted previews (JSON).")
    var showSecrets = false

    func validate() throws {
        guard ExitPolicy.Threshold(failOn) != nil else {
            throw ValidationError("--fail-on must be one of info, low, medium, high, critical, none (got '\(Sanitize.line(failOn))')")
        }
        if let pageSize, pageSize < 1 { throw ValidationError("--page-size must be at least 1") }
    }

    /// `docker://host:port/` → `host:port`.
    static func registryHost(_ text: String) throws -> String {
        var host = Substring(text)
        if host.hasPrefix("docker://") { host = host.dropFirst("docker://".count) }
        else if host.hasPrefix("https://") { host = host.dropFirst("https://".count) }
        while host.hasSuffix("/") { host = host.dropLast() }
        if host == "index.docker.io" || host == "registry-1.docker.io" { host = "docker.io" }
        guard ImageReference.isValidHost(host) else {
            throw StrataError("not a registry host: \(Sanitize.line(text)) (expected host[:port])")
        }
        return String(host)
    }

    func run() throws {
        let registry = try Self.registryHost(host)
        let threshold = ExitPolicy.Threshold(failOn) ?? .severity(.medium)
        var failSeverity: Severity?
        if case .severity(let s) = threshold { failSeverity = s }
        let detector = try DetectorLoading.load(rulesFile: rulesFile, cache: cacheOptions)
        let options = imageOptions.sourceOptions
        let session = RegistryOpening.session(insecure: options.insecure, credentials: options.credentials)
        let client = session.client(for: registry)
        let images = try client.listImages(repoPattern: repo, tagPattern: tag, pageSize: pageSize)
        if images.isEmpty {
            FileHandle.standardError.write(Data("strata: no image on \(Sanitize.line(registry)) matches\n".utf8))
        }
        let cache = cacheOptions.open()
        let progress = isatty(2) == 1
        let reveal = showSecrets
        let run = RegistryScanRun(client: client, sourceOptions: options, scan: { source, info in
            // Unverified layers never go to the cache (a tampered blob must not poison its diff_id).
            let scanner = ImageScanner(source: source, detector: detector, cache: cache,
                                       options: ImageScanner.Options(writeCache: options.verify, revealSecrets: reveal), info: info)
            return try scanner.wait()
        }, allPlatforms: allPlatforms, onImage: { position, total, reference in
            guard progress else { return }
            let line = "\rscanning \(position)/\(total): \(Sanitize.line(reference.description))"
            FileHandle.standardError.write(Data((line + "\u{1B}[K").utf8))
        })
        let outcomes = run.run(images)
        if progress { FileHandle.standardError.write(Data("\r\u{1B}[K".utf8)) }
        let summaries = outcomes.map { RegistryImageSummary($0, failOn: failSeverity) }
        let code: Int32 = summaries.contains { $0.result == "error" } ? 2 : summaries.contains { $0.result == "fail" } ? 1 : 0
        switch format {
        case .table:
            FileHandle.standardOutput.write(Data(RegistryScanRendering.table(summaries, registry: registry, failOn: failSeverity).utf8))
        case .json:
            let document = try RegistryScanRendering.json(outcomes: outcomes, summaries: summaries, registry: registry,
                                                          failOn: failOn, exitCode: code, showSecrets: showSecrets)
            FileHandle.standardOutput.write(document)
            for summary in summaries {
                for error in summary.errors { FileHandle.standardError.write(Data("strata: error: \(Sanitize.line(error))\n".utf8)) }
            }
        }
        if code != 0 { throw ExitCode(code) }
    }
}

extension RegistryScanRendering {
    /// One JSON document for the run: per image its summary and its full scan report (the same
    /// document `strata scan --format json` prints), then the totals.
    static func json(outcomes: [RegistryImageOutcome], summaries: [RegistryImageSummary], registry: String,
                     failOn: String, exitCode: Int32, showSecrets: Bool) throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        var images: [Any] = []
        for (outcome, summary) in zip(outcomes, summaries) {
            var entry = try JSONSerialization.jsonObject(with: encoder.encode(summary)) as! [String: Any]
            if let report = outcome.report {
                let input = ReportInput(target: .image(report.image), findings: report.findings, failures: report.failures,
                                        showSecrets: showSecrets)
                entry["report"] = try JSONSerialization.jsonObject(with: JSONReport.render(input))
            }
            images.append(entry)
        }
        var totals: [String: Int] = [:]
        totals["images"] = summaries.count
        totals["failing"] = summaries.filter { $0.atOrAboveThreshold > 0 }.count
        totals["errors"] = summaries.filter { $0.result == "error" }.count
        totals["layers"] = summaries.map(\.layers).reduce(0, +)
        totals["layersFetched"] = summaries.map(\.layersDownloaded).reduce(0, +)
        totals["secrets"] = summaries.map(\.secrets).reduce(0, +)
        var document: [String: Any] = [:]
        document["registry"] = registry
        document["failOn"] = failOn
        document["images"] = images
        document["summary"] = totals
        document["exitCode"] = Int(exitCode)
        var data = try JSONSerialization.data(withJSONObject: document, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])
        data.append(0x0A)
        return data
    }
}
