import Foundation
import ImageSource
import LayerIndex

/// A manifest as the registry returned it.
public struct FetchedManifest: Sendable {
    public var data: Data
    public var mediaType: String
    public var digest: Digest
}

/// An image manifest resolved for one platform, with its config: everything `loadInfo` needs,
/// and no layer blob.
public struct ResolvedImage: Sendable {
    /// The image manifest's digest (the child's, when the tag names an index).
    public var manifestDigest: Digest
    /// The index the tag named, when it named one.
    public var indexDigest: Digest?
    public var mediaType: String
    public var config: Descriptor
    public var configBytes: [UInt8]
    public var layers: [Descriptor]
    /// The platform chosen from the index, when there was one.
    public var platform: OCIPlatform?
}

extension RegistryClient {
    static let manifestLimit = 8 << 20
    static let configLimit = 32 << 20

    /// `GET /v2/REPO/manifests/REF`; the digest is checked when REF is one.
    public func fetchManifest(repository: String, reference: String, image: String) throws -> FetchedManifest {
        let data: Data, headers: HTTPHeaders
        do {
            (data, headers) = try fetchSmall("/v2/\(repository)/manifests/\(reference)", accept: MediaType.manifestAccept,
                                             scope: Self.pullScope(repository), limit: Self.manifestLimit,
                                             what: "manifest \(Sanitize.line(reference))")
        } catch let error as StrataError {
            throw error.with(image: image)
        }
        let digest = Digest(hex: SHA256Hasher.hex(of: data))
        if let pinned = Digest(parsing: reference), pinned.algorithm == "sha256", pinned != digest {
            throw StrataError("manifest content does not match its digest \(pinned) (got \(digest))", image: image)
        }
        let probe = try? JSONDecoder().decode(ManifestProbe.self, from: data)
        guard let probe else {
            throw StrataError("the registry's manifest for \(Sanitize.line(reference)) is not JSON", image: image)
        }
        var mediaType = probe.mediaType ?? ""
        if mediaType.isEmpty {
            let contentType = headers["Content-Type"]?.split(separator: ";").first.map {
                $0.trimmingCharacters(in: .whitespaces)
            } ?? ""
            mediaType = contentType
        }
        if !MediaType.isIndex(mediaType) && !MediaType.isImageManifest(mediaType) {
            // Untyped OCI documents: decide by shape.
            if probe.manifests != nil { mediaType = MediaType.ociIndex }
            else if probe.layers != nil { mediaType = MediaType.ociManifest }
        }
        if mediaType == MediaType.dockerSchema1 || mediaType == MediaType.dockerSchema1Signed || probe.fsLayers != nil {
            throw StrataError("Docker schema 1 manifests are not supported (the image is from before 2017; re-push it)", image: image)
        }
        guard MediaType.isIndex(mediaType) || MediaType.isImageManifest(mediaType) else {
            throw StrataError("\(Sanitize.line(reference)) is not an image (media type \(Sanitize.line(mediaType)))", image: image)
        }
        return FetchedManifest(data: data, mediaType: mediaType, digest: digest)
    }

    /// Follows the reference to one image manifest (choosing from an index by platform) and
    /// reads its config. Layer blobs are not touched.
    public func resolve(_ reference: ImageReference, platform: PlatformRequest?, image: String) throws -> ResolvedImage {
        let repository = reference.repository
        var fetched = try fetchManifest(repository: repository, reference: reference.manifestReference, image: image)
        var indexDigest: Digest?
        var chosenPlatform: OCIPlatform?
        var depth = 0
        while MediaType.isIndex(fetched.mediaType) {
            depth += 1
            guard depth <= 4 else { throw StrataError("image indexes are nested more than 4 deep", image: image) }
            let index: IndexDocument
            do {
                index = try JSONDecoder().decode(IndexDocument.self, from: fetched.data)
            } catch {
                throw StrataError("the image index is malformed: \(Self.describe(error))", image: image)
            }
            if indexDigest == nil { indexDigest = fetched.digest }
            let entries = index.manifests.filter(\.isImageEntry).map(\.candidate)
            let entry = try PlatformSelector.select(entries, tag: nil, platform: platform, reference: image)
            chosenPlatform = entry.platform
            fetched = try fetchManifest(repository: repository, reference: entry.digest.description, image: image)
        }
        let manifest: ImageManifestDocument
        do {
            manifest = try JSONDecoder().decode(ImageManifestDocument.self, from: fetched.data)
        } catch {
            throw StrataError("the image manifest is malformed: \(Self.describe(error))", image: image)
        }
        for layer in manifest.layers where (layer.mediaType ?? "").contains("encrypted") {
            throw StrataError("layer \(layer.digest.short) is encrypted: strata cannot read it", image: image)
        }
        let configBytes: [UInt8]
        if let cached = cachedConfig(manifest.config.digest) {
            configBytes = cached
        } else {
            configBytes = try fetchBlobSmall(repository: repository, descriptor: manifest.config,
                                             limit: Self.configLimit, image: image, what: "config")
            cacheConfig(manifest.config.digest, configBytes)
        }
        return ResolvedImage(manifestDigest: fetched.digest, indexDigest: indexDigest, mediaType: fetched.mediaType,
                             config: manifest.config, configBytes: configBytes, layers: manifest.layers,
                             platform: chosenPlatform)
    }

    /// A small blob (a config) read whole, digest checked.
    public func fetchBlobSmall(repository: String, descriptor: Descriptor, limit: Int, image: String,
                               what: String) throws -> [UInt8] {
        if descriptor.size > Int64(limit) {
            throw StrataError("\(what) \(descriptor.digest.short) is \(descriptor.size) bytes; refusing more than \(limit)", image: image)
        }
        let stream = BlobStream(client: self, repository: repository, digest: descriptor.digest,
                                expectedSize: descriptor.size, verify: true, image: image)
        var out: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 64 * 1024)
        while true {
            let n = try chunk.withUnsafeMutableBytes { try stream.read(into: $0) }
            if n == 0 { return out }
            out.append(contentsOf: chunk[0..<n])
        }
    }

    static func describe(_ error: Error) -> String {
        switch error {
        case DecodingError.keyNotFound(let key, _): return "missing \(key.stringValue)"
        case DecodingError.typeMismatch(_, let context), DecodingError.valueNotFound(_, let context),
             DecodingError.dataCorrupted(let context):
            let path = context.codingPath.map(\.stringValue).joined(separator: ".")
            return path.isEmpty ? context.debugDescription : "\(path): \(context.debugDescription)"
        default: return "not valid JSON"
        }
    }
}

extension RegistryClient {
    /// The image manifests a reference names: itself when it is an image manifest, else every
    /// platform of its index (attestations and `unknown/unknown` entries left out), in index order.
    public func platformManifests(_ reference: ImageReference, image: String) throws -> [(platform: OCIPlatform?, digest: Digest)] {
        let fetched = try fetchManifest(repository: reference.repository, reference: reference.manifestReference, image: image)
        guard MediaType.isIndex(fetched.mediaType) else { return [(nil, fetched.digest)] }
        let index: IndexDocument
        do {
            index = try JSONDecoder().decode(IndexDocument.self, from: fetched.data)
        } catch {
            throw StrataError("the image index is malformed: \(Self.describe(error))", image: image)
        }
        return index.manifests.filter(\.isImageEntry).map { ($0.platform, $0.digest) }
    }
}
