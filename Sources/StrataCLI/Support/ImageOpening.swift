import ArgumentParser
import Foundation
import ImageSource
import LayerIndex
import Registry

/// Options every image-reading command shares: `--platform`, `--no-verify`.
struct ImageOptions: ParsableArguments {
    @Option(help: ArgumentHelp("Platform to pick from a multi-platform image (default: this host's).",
                               valueName: "os/arch[/variant]"))
    var platform: String?

    @Flag(name: .customLong("no-verify"), help: "Read layers even when blob digests or diff_ids do not match.")
    var noVerify = false

    @OptionGroup var registry: RegistryAccessOptions

    var sourceOptions: SourceOptions {
        SourceOptions(platform: platform, verify: !noVerify, insecure: registry.insecure, credentials: registry.credentials)
    }
}

/// Output format shared by the listing commands.
enum OutputFormat: String, ExpressibleByArgument, CaseIterable {
    case table, json
}

/// An image opened and indexed: its info, each layer's result, and the stacked view.
struct IndexedImage {
    var source: any ImageSource
    var info: ImageInfo
    var results: [LayerIndexResult]
    var stack: LayerStack

    /// Layers that failed part way (their partial contents are still in `stack`).
    var failedLayers: [LayerIndexResult] { results.filter { $0.error != nil } }
}

/// Opens image references for every command. Local references go to `ImageSources`;
/// the registry module adds remote references here (one place, so every command gets them).
enum ImageOpening {
    /// Opens `reference` and reads its manifest and config (no layer content yet).
    static func open(_ reference: String, options: SourceOptions) throws -> (any ImageSource, ImageInfo) {
        let source = try openSource(reference, options: options)
        do {
            return (source, try source.loadInfo())
        } catch var error as StrataError where source is RegistrySource && !reference.hasPrefix("docker://") {
            // A bare name was taken for a registry image: say a local file was looked for too.
            error.message += " (no local file or directory is named \(Sanitize.line(reference)) either)"
            throw error
        }
    }

    /// Local sources first (an existing path or an explicit local transport); then registry
    /// references (`docker://…`, `host/repo:tag`, Docker Hub short names). Anything else gets
    /// the local sources' "no such file" error.
    static func openSource(_ reference: String, options: SourceOptions) throws -> any ImageSource {
        if !ImageSources.isLocal(reference), RegistryOpening.isRegistryReference(reference) {
            return try RegistryOpening.open(reference, options: options)
        }
        return try ImageSources.open(reference, options: options)
    }

    /// Opens and indexes every layer (in parallel). Layer failures do not throw: they are in
    /// `results` with the partial contents.
    static func openAndIndex(_ reference: String, options: SourceOptions) throws -> IndexedImage {
        let (source, info) = try open(reference, options: options)
        let results = ImageIndexer.index(source: source, info: info)
        return IndexedImage(source: source, info: info, results: results, stack: LayerStack(layers: results.map(\.contents)))
    }

    /// Prints one line per failed layer and per problem (hostile names) to stderr.
    /// Returns true when some layer failed (the command then exits 2 after its output).
    @discardableResult
    static func reportProblems(_ image: IndexedImage) -> Bool {
        var lines: [String] = []
        for result in image.results {
            for problem in result.contents.problems {
                let error = StrataError(problem, image: image.source.reference, layer: result.layer.index,
                                        layerDigest: result.layer.digest)
                lines.append("strata: warning: \(error)")
            }
            if let error = result.error {
                lines.append("strata: error: \(error.with(image: image.source.reference, layer: result.layer.index))")
            }
        }
        if !lines.isEmpty {
            FileHandle.standardError.write(Data((lines.joined(separator: "\n") + "\n").utf8))
        }
        return !image.failedLayers.isEmpty
    }
}
