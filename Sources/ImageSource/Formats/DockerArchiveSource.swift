import Foundation
import LayerIndex

/// A `docker save` / `skopeo copy docker-archive:` tar, legacy layout: `manifest.json` naming
/// the config and the layer members (`<id>/layer.tar`, `<diff_id>.tar`, or `blobs/sha256/<hex>`
/// as newer Docker writes next to its OCI layout). Members are read in place.
public final class DockerArchiveSource: ImageSource, LayerBlobFiles, @unchecked Sendable {
    public let reference: String
    public let archive: any ArchiveFiles
    public let info: ImageInfo
    public let options: SourceOptions
    private let layerMembers: [String]
    private let keepAlive: AnyObject?

    public func loadInfo() throws -> ImageInfo { info }

    public func openLayer(_ layer: LayerDescriptor) throws -> ByteStream {
        guard layer.index >= 0 && layer.index < layerMembers.count else {
            throw StrataError("no layer \(layer.index)", image: reference)
        }
        let raw = try archive.open(layerMembers[layer.index])
        let (plain, _) = try Decompression.decompress(raw, name: "layer member \(Sanitize.line(layerMembers[layer.index]))",
                                                    digestVerified: options.verify && layer.diffID.algorithm == "sha256")
        return DigestingStream(plain, expected: layer.diffID, verify: options.verify, what: "uncompressed layer (diff_id)")
    }

    public func layerBlobFile(_ layer: LayerDescriptor) throws -> FileByteStream? {
        guard layer.index >= 0 && layer.index < layerMembers.count else { return nil }
        return try archive.open(layerMembers[layer.index])
    }

    /// Opens the image in `archive`. When `manifest.json` lists several images, `tag` picks one
    /// (matched against `RepoTags`, with or without the repository).
    init(reference: String, archive: any ArchiveFiles, tag: String?, options: SourceOptions, keepAlive: AnyObject?) throws {
        self.reference = reference
        self.archive = archive
        self.options = options
        self.keepAlive = keepAlive
        do {
            let bytes = try archive.read("manifest.json")
            let items: [DockerArchiveManifestItem]
            do {
                items = try JSONDecoder().decode([DockerArchiveManifestItem].self, from: Data(bytes))
            } catch {
                throw StrataError("manifest.json is not a docker-archive manifest: \(describe(error))")
            }
            let item = try Self.choose(items, tag: tag)
            let configBytes = try archive.read(item.Config)
            let configHex = SHA256Hasher.hex(of: configBytes)
            // The config's name carries its digest (`<hex>.json` or `blobs/sha256/<hex>`): check it.
            let named = PathNormalizer.basename(item.Config).replacingOccurrences(of: ".json", with: "")
            if options.verify, named.count == 64, named.allSatisfy(\.isHexDigit), named.lowercased() != configHex {
                throw StrataError("config \(Sanitize.line(item.Config)) digest mismatch: content hashes to sha256:\(configHex) (use --no-verify to read it anyway)")
            }
            var layers: [ManifestLayer] = []
            let config = try ConfigParser.parse(configBytes, what: "config \(Sanitize.line(item.Config))")
            for (i, name) in item.Layers.enumerated() {
                guard let size = archive.size(of: name) else {
                    throw StrataError("missing layer \(i): the archive has no member \(Sanitize.line(name))", layer: i)
                }
                let head = try ByteStreams.readAll(try archive.open(name), limit: Int.max, what: name, prefix: 4)
                let compression = Decompression.sniff(head)
                let diffID = i < config.diffIDs.count ? config.diffIDs[i] : nil
                // Uncompressed members are their diff_id; a compressed member's blob digest is not recorded anywhere.
                let digest = diffID ?? Digest(hex: String(repeating: "0", count: 64))
                let mediaType = compression == .gzip ? MediaTypes.dockerLayerGzip
                    : compression == .zstd ? MediaTypes.ociLayerZstd : MediaTypes.dockerLayer
                layers.append(ManifestLayer(digest: digest, size: size, mediaType: mediaType, compression: compression))
            }
            info = try ImageAssembler.assemble(reference: reference, format: "docker-archive", manifestDigest: nil,
                                               configDigest: Digest(hex: configHex), configBytes: configBytes,
                                               layers: layers, tags: item.RepoTags ?? [], verify: options.verify,
                                               platform: options.platform)
            layerMembers = item.Layers
        } catch let error as StrataError {
            throw error.with(image: reference)
        }
    }

    static func choose(_ items: [DockerArchiveManifestItem], tag: String?) throws -> DockerArchiveManifestItem {
        if items.isEmpty { throw StrataError("manifest.json lists no images") }
        if let tag {
            let matches = items.filter { item in
                (item.RepoTags ?? []).contains { $0 == tag || $0.hasSuffix("/" + tag) || $0.hasSuffix(":" + tag) }
            }
            if matches.count == 1 { return matches[0] }
            let all = items.flatMap { $0.RepoTags ?? [] }.map { Sanitize.line($0) }.joined(separator: ", ")
            throw StrataError(matches.isEmpty ? "no image tagged \(Sanitize.line(tag)) in manifest.json; tags: \(all)"
                                              : "several images are tagged \(Sanitize.line(tag)): \(all)")
        }
        if items.count == 1 { return items[0] }
        let all = items.enumerated().map { i, item in (item.RepoTags ?? []).first.map { Sanitize.line($0) } ?? "#\(i)" }
        throw StrataError("the archive holds \(items.count) images; choose one with :TAG (\(all.joined(separator: ", ")))")
    }
}
