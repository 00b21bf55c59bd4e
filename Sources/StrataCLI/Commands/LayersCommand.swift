import ArgumentParser
import Foundation
import ImageSource
import LayerIndex

/// `strata layers IMAGE`: one line per layer with its build step and change counts.
struct LayersCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "layers",
        abstract: "List an image's layers: digest, size, entries, added/modified/removed counts and the build step.",
        discussion: """
        IMAGE is a docker-archive (docker save) tar, an OCI layout directory, an OCI archive, or a skopeo dir:, \
        optionally with a prefix (docker-archive:, oci:DIR[:TAG], oci-archive:, dir:). \
        Layers that cannot be read are reported on stderr (exit status 2); the others are still listed. \
        Secrets in build steps and config values are redacted unless --show-secrets is given.
        """)

    @Argument(help: "The image to read.")
    var image: String

    @Option(help: "Output format: table or json.")
    var format: OutputFormat = .table

    @OptionGroup var imageOptions: ImageOptions
    @OptionGroup var secretOptions: SecretOptions

    /// JSON shape (field names are a contract; fields may be added).
    struct Output: Encodable {
        struct Image: Encodable {
            var reference: String
            var format: String
            var platform: String
            var manifestDigest: String?
            var configDigest: String
            var tags: [String]
            var created: String?
            var layerCount: Int
            var historyCount: Int
            var config: Config
        }
        /// The runtime config, with secret values redacted unless `--show-secrets`.
        struct Config: Encodable {
            var env: [String]
            var labels: [String: String]
            var cmd: [String]?
            var entrypoint: [String]?
            var workingDir: String?
            var user: String?
        }
        struct Layer: Encodable {
            var index: Int
            var digest: String
            var diffID: String
            var size: Int64
            var mediaType: String
            var createdBy: String?
            var historyIndex: Int?
            var entries: Int
            var added: Int
            var modified: Int
            var removed: Int
            var opaque: Int
            var historyOnlyBytes: Int64
            var problems: [String]
            var error: String?
        }
        struct Step: Encodable {
            var index: Int
            var createdBy: String
            var emptyLayer: Bool
            var layer: Int?
        }
        var image: Image
        var layers: [Layer]
        var history: [Step]
    }

    func run() throws {
        let indexed = try ImageOpening.openAndIndex(image, options: imageOptions.sourceOptions)
        // Everything printed below comes from `info`: build steps and config values redacted.
        let redactor = try secretOptions.redactor(for: indexed.info)
        let info = redactor.redact(indexed.info)
        let layers = indexed.results.map { result -> Output.Layer in
            let d = result.layer
            let counts = indexed.stack.counts[d.index]
            return Output.Layer(index: d.index, digest: d.digest.description, diffID: d.diffID.description, size: d.size,
                                mediaType: d.mediaType, createdBy: redactor.redact(d.createdBy), historyIndex: d.historyIndex,
                                entries: counts.entries, added: counts.added, modified: counts.modified,
                                removed: counts.removed, opaque: counts.opaque, historyOnlyBytes: counts.historyOnlyBytes,
                                problems: result.contents.problems, error: result.error?.description)
        }
        switch format {
        case .json:
            let output = Output(
                image: .init(reference: image, format: info.format, platform: info.platform,
                             manifestDigest: info.manifestDigest?.description, configDigest: info.configDigest.description,
                             tags: info.tags, created: info.config.created, layerCount: info.layers.count,
                             historyCount: info.config.history.count,
                             config: .init(env: info.config.env, labels: info.config.labels, cmd: info.config.cmd,
                                           entrypoint: info.config.entrypoint, workingDir: info.config.workingDir,
                                           user: info.config.user)),
                layers: layers,
                history: info.config.history.map { .init(index: $0.index, createdBy: $0.createdBy, emptyLayer: $0.emptyLayer, layer: $0.layerIndex) })
            print(try TextFormat.json(output))
        case .table:
            print(renderTable(info: info, layers: layers))
        }
        if ImageOpening.reportProblems(indexed) { throw ExitCode(2) }
    }

    func renderTable(info: ImageInfo, layers: [Output.Layer]) -> String {
        var header = "\(Sanitize.line(image))  \(info.format)  \(info.platform)  \(info.layers.count) layers"
        if let tag = info.tags.first { header += "  \(Sanitize.line(tag))" }
        var rows: [[String]] = [["#", "DIGEST", "SIZE", "ENTRIES", "ADDED", "MODIFIED", "REMOVED", "CREATED BY"]]
        let fixed = 2 + 12 + 8 + 7 + 5 + 8 + 7 + 7 * 2
        let width = max(20, TextFormat.terminalWidth - fixed)
        for layer in layers {
            let digest = Digest(parsing: layer.digest)?.short ?? layer.digest
            rows.append([String(layer.index), digest, TextFormat.size(layer.size),
                         layer.error == nil ? String(layer.entries) : "\(layer.entries)!",
                         String(layer.added), String(layer.modified), String(layer.removed + layer.opaque),
                         TextFormat.buildStep(layer.createdBy, width: width)])
        }
        return header + "\n" + TextFormat.table(rows, rightAligned: [0, 2, 3, 4, 5, 6])
    }
}
