import Foundation
import LayerIndex

/// Parses an image config blob (OCI or Docker) into `ImageConfig`.
public enum ConfigParser {
    struct Document: Decodable {
        var architecture: String?
        var os: String?
        var variant: String?
        var created: String?
        var config: Inner?
        var rootfs: RootFS?
        var history: [History]?
    }
    struct Inner: Decodable {
        var Env: [String]?
        var Labels: [String: String]?
        var Cmd: [String]?
        var Entrypoint: [String]?
        var WorkingDir: String?
        var User: String?
    }
    struct RootFS: Decodable {
        var type: String?
        var diff_ids: [String]?
    }
    struct History: Decodable {
        var created: String?
        var created_by: String?
        var comment: String?
        var author: String?
        var empty_layer: Bool?
    }

    public static func parse(_ bytes: [UInt8], what: String = "image config") throws -> ImageConfig {
        let doc: Document
        do {
            doc = try JSONDecoder().decode(Document.self, from: Data(bytes))
        } catch {
            throw StrataError("\(what) is not an image config: \(describe(error))")
        }
        guard let rootfs = doc.rootfs else {
            throw StrataError("\(what) is not an image config: it has no rootfs")
        }
        var diffIDs: [Digest] = []
        for text in rootfs.diff_ids ?? [] {
            guard let digest = Digest(parsing: text) else {
                throw StrataError("\(what) lists an invalid diff_id: \(Sanitize.line(String(text.prefix(80))))")
            }
            diffIDs.append(digest)
        }
        let history = (doc.history ?? []).enumerated().map { i, h in
            HistoryStep(index: i, createdBy: h.created_by ?? "", created: h.created, comment: h.comment,
                        author: h.author, emptyLayer: h.empty_layer ?? false)
        }
        return ImageConfig(os: doc.os, architecture: doc.architecture, variant: doc.variant, created: doc.created,
                           env: doc.config?.Env ?? [], labels: doc.config?.Labels ?? [:], cmd: doc.config?.Cmd,
                           entrypoint: doc.config?.Entrypoint, workingDir: doc.config?.WorkingDir,
                           user: doc.config?.User, history: history, diffIDs: diffIDs)
    }
}

/// A layer as a manifest lists it, before the config's diff_ids and history are joined in.
struct ManifestLayer {
    var digest: Digest
    var size: Int64
    var mediaType: String
    var compression: LayerCompression
}

/// Joins manifest layers, the config's diff_ids and its history into an `ImageInfo`.
enum ImageAssembler {
    static func assemble(reference: String, format: String, manifestDigest: Digest?, configDigest: Digest,
                         configBytes: [UInt8], layers: [ManifestLayer], tags: [String], verify: Bool,
                         platform: String? = nil) throws -> ImageInfo {
        var config = try ConfigParser.parse(configBytes, what: "config \(configDigest.short)")
        // An explicit --platform must match the image, even when no index described it.
        if let platform, case let want = try PlatformRequest.parse(platform), let os = config.os, let arch = config.architecture,
           !want.matches(OCIPlatform(os: os, architecture: arch, variant: config.variant)) {
            throw StrataError("the image is \(config.platform), not \(want) (--platform)")
        }
        if config.diffIDs.count != layers.count {
            if verify || !config.diffIDs.isEmpty && config.diffIDs.count < layers.count {
                throw StrataError("the manifest lists \(layers.count) layers but the config's rootfs.diff_ids has \(config.diffIDs.count)")
            }
        }
        let perLayer = HistoryAlignment.align(history: &config.history, layerCount: layers.count)
        var descriptors: [LayerDescriptor] = []
        for (i, layer) in layers.enumerated() {
            let diffID = i < config.diffIDs.count ? config.diffIDs[i] : layer.digest
            descriptors.append(LayerDescriptor(index: i, digest: layer.digest, diffID: diffID, size: layer.size,
                                               mediaType: layer.mediaType, compression: layer.compression,
                                               createdBy: perLayer[i]?.createdBy, historyIndex: perLayer[i]?.index))
        }
        return ImageInfo(reference: reference, format: format, manifestDigest: manifestDigest, configDigest: configDigest,
                         config: config, layers: descriptors, tags: tags)
    }
}
