import Detection
import Foundation
import ImageSource
import LayerIndex
import Registry
import Scanner

/// One image's outcome in `strata registry scan`.
struct RegistryImageOutcome {
    var reference: ImageReference
    var info: ImageInfo?
    var report: ScanReport?
    /// Why the image could not be scanned at all (manifest, config, auth).
    var error: StrataError?
    /// Layer blobs actually fetched for this image (the others came from the cache).
    var layersDownloaded: Int
    /// The first image of the run with the same manifest digest (scanned once, reported for both).
    var sameAs: String?
    /// The platform its index names it by (with `--all-platforms`).
    var indexPlatform: OCIPlatform?

    /// Problems: the image-level error and every layer failure.
    var errors: [StrataError] {
        (error.map { [$0] } ?? []) + (report?.failures ?? [])
    }
}

/// Walks a list of registry images and scans each: images that share a manifest are scanned
/// once, and the scanner's cache makes layers shared between images free (their blobs are
/// never fetched again).
struct RegistryScanRun {
    var client: RegistryClient
    var sourceOptions: SourceOptions
    /// Scans one opened source whose info is loaded (the scanner with its cache and rules).
    var scan: (RegistrySource, ImageInfo) throws -> ScanReport
    /// Scan every platform of multi-platform images, not only the one `--platform` (or the
    /// host) selects.
    var allPlatforms = false
    /// Called as each image starts (progress on stderr).
    var onImage: (Int, Int, ImageReference) -> Void = { _, _, _ in }

    /// With `allPlatforms`, each reference naming an index becomes one pinned reference per
    /// platform; a reference that cannot be read stays as it is (its scan reports the error).
    func expand(_ images: [ImageReference]) -> [(reference: ImageReference, platform: OCIPlatform?)] {
        guard allPlatforms else { return images.map { ($0, nil) } }
        return images.flatMap { reference -> [(reference: ImageReference, platform: OCIPlatform?)] in
            guard let children = try? client.platformManifests(reference, image: reference.description), children.count > 1 else {
                return [(reference, nil)]
            }
            return children.map { (reference.pinned(to: $0.digest), $0.platform) }
        }
    }

    func run(_ requested: [ImageReference]) -> [RegistryImageOutcome] {
        let images = expand(requested)
        var outcomes: [RegistryImageOutcome] = []
        var byManifest: [Digest: Int] = [:]
        for (position, (reference, platform)) in images.enumerated() {
            onImage(position + 1, images.count, reference)
            let source = RegistrySource(reference: reference.description, imageReference: reference, client: client,
                                        options: sourceOptions)
            var outcome = RegistryImageOutcome(reference: reference, layersDownloaded: 0)
            outcome.indexPlatform = platform
            do {
                let info = try source.loadInfo()
                outcome.info = info
                if let digest = info.manifestDigest, let first = byManifest[digest], var report = outcomes[first].report {
                    report.image.reference = reference.description
                    report.image.tags = info.tags
                    outcome.report = report
                    outcome.sameAs = outcomes[first].reference.description
                } else {
                    outcome.report = try scan(source, info)
                    outcome.layersDownloaded = Set(source.layersOpened).count
                    if let digest = info.manifestDigest { byManifest[digest] = outcomes.count }
                }
            } catch let error as StrataError {
                outcome.error = error.with(image: reference.description)
            } catch {
                outcome.error = StrataError(String(describing: error), image: reference.description)
            }
            outcomes.append(outcome)
        }
        return outcomes
    }
}

/// The per-image line of the summary: distinct secrets by severity, still present vs only in
/// history (removed or overwritten in a lower layer, or in a build step).
struct RegistryImageSummary: Encodable {
    var reference: String
    var repository: String
    var tag: String?
    var manifestDigest: String?
    var platform: String?
    /// Set when the image was reached through a multi-platform index (`--all-platforms`).
    var indexPlatform: String?
    var layers: Int
    var layersDownloaded: Int
    var sameAs: String?
    /// Locations (one per finding).
    var findings: Int
    /// Distinct secrets (by fingerprint).
    var secrets: Int
    /// Distinct secrets by their most severe finding.
    var bySeverity: [String: Int]
    /// Distinct secrets the final image still carries (filesystem or config).
    var present: Int
    /// Distinct secrets found only in lower layers or build history.
    var historyOnly: Int
    /// Distinct secrets at or above the `--fail-on` severity.
    var atOrAboveThreshold: Int
    /// `pass`, `fail` (a finding at or above the threshold) or `error` (which wins over `fail`).
    var result: String
    var errors: [String]

    init(_ outcome: RegistryImageOutcome, failOn: Severity?) {
        reference = outcome.reference.description
        repository = outcome.reference.repository
        tag = outcome.reference.tag
        manifestDigest = outcome.info?.manifestDigest?.description
        platform = outcome.indexPlatform?.description ?? outcome.info?.platform
        indexPlatform = outcome.indexPlatform?.description
        layers = outcome.info?.layers.count ?? 0
        layersDownloaded = outcome.layersDownloaded
        sameAs = outcome.sameAs
        let all = outcome.report?.findings ?? []
        findings = all.count
        var bySecret: [String: [Finding]] = [:]
        for finding in all { bySecret[finding.fingerprint, default: []].append(finding) }
        secrets = bySecret.count
        var counts: [String: Int] = [:]
        for severity in Severity.allCases { counts[severity.rawValue] = 0 }
        var present = 0
        for group in bySecret.values {
            let worst = group.map(\.severity).max() ?? .info
            counts[worst.rawValue, default: 0] += 1
            if group.contains(where: { $0.status == .present || $0.status == .config }) { present += 1 }
        }
        bySeverity = counts
        self.present = present
        historyOnly = bySecret.count - present
        errors = outcome.errors.map(\.description)
        atOrAboveThreshold = failOn.map { threshold in
            bySecret.values.filter { group in group.contains { $0.severity >= threshold } }.count
        } ?? 0
        if !errors.isEmpty {
            result = "error"
        } else if let failOn, all.contains(where: { $0.severity >= failOn }) {
            result = "fail"
        } else {
            result = "pass"
        }
    }
}

/// Renders a registry scan: a table of images, or one JSON document for the run.
enum RegistryScanRendering {
    static func table(_ summaries: [RegistryImageSummary], registry: String, failOn: Severity?) -> String {
        var rows: [[String]] = [["IMAGE", "LAYERS", "FETCHED", "CRITICAL", "HIGH", "MEDIUM", "LOW", "INFO", "PRESENT", "HISTORY-ONLY", "RESULT"]]
        for s in summaries {
            let count = { (severity: Severity) in String(s.bySeverity[severity.rawValue] ?? 0) }
            var result = s.result.uppercased()
            if let sameAs = s.sameAs { result += " (same as \(Sanitize.line(sameAs)))" }
            var name = s.reference
            if let indexPlatform = s.indexPlatform, let at = name.firstIndex(of: "@") {
                name = String(name[..<at]) + " [\(indexPlatform)]"
            }
            rows.append([Sanitize.line(name), String(s.layers), String(s.layersDownloaded), count(.critical), count(.high),
                         count(.medium), count(.low), count(.info), String(s.present), String(s.historyOnly), result])
        }
        var text = TextFormat.table(rows, rightAligned: Set(1...9))
        let failing = summaries.filter { $0.atOrAboveThreshold > 0 }.count
        let broken = summaries.filter { $0.result == "error" }.count
        let layers = summaries.map(\.layers).reduce(0, +)
        let fetched = summaries.map(\.layersDownloaded).reduce(0, +)
        var footer = "\(summaries.count) image\(summaries.count == 1 ? "" : "s") on \(Sanitize.line(registry)), "
            + "\(layers) layers, \(fetched) fetched; "
        footer += failOn.map { "\(failing) with secrets at or above \($0.rawValue)" } ?? "no gate (--fail-on none)"
        if broken > 0 { footer += ", \(broken) with errors" }
        text += "\n\n" + footer
        for s in summaries {
            for error in s.errors { text += "\nerror: " + Sanitize.line(error) }
        }
        return text + "\n"
    }
}
