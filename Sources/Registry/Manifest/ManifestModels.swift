import Foundation
import ImageSource
import LayerIndex

/// Media types the client asks for and understands.
public enum MediaType {
    public static let ociManifest = "application/vnd.oci.image.manifest.v1+json"
    public static let ociIndex = "application/vnd.oci.image.index.v1+json"
    public static let dockerManifest = "application/vnd.docker.distribution.manifest.v2+json"
    public static let dockerManifestList = "application/vnd.docker.distribution.manifest.list.v2+json"
    public static let dockerSchema1 = "application/vnd.docker.distribution.manifest.v1+json"
    public static let dockerSchema1Signed = "application/vnd.docker.distribution.manifest.v1+prettyjws"

    /// The `Accept` list for manifest requests, most wanted first.
    public static let manifestAccept = [ociIndex, dockerManifestList, ociManifest, dockerManifest]

    public static func isIndex(_ type: String) -> Bool { type == ociIndex || type == dockerManifestList }
    public static func isImageManifest(_ type: String) -> Bool { type == ociManifest || type == dockerManifest }

    /// Layer compression from the layer media type; nil when the type does not say.
    public static func compression(ofLayer type: String) -> LayerCompression? {
        if type.hasSuffix("+gzip") || type.hasSuffix(".tar.gzip") || type.hasSuffix("diff.tar.gzip") { return .gzip }
        if type.hasSuffix("+zstd") || type.hasSuffix(".tar.zstd") { return .zstd }
        if type.hasSuffix(".tar") || type.hasSuffix("layer.v1.tar") { return LayerCompression.none }
        return nil
    }
}

/// An OCI content descriptor.
public struct Descriptor: Codable, Sendable, Hashable {
    public var mediaType: String?
    public var digest: Digest
    public var size: Int64
    public var platform: OCIPlatform?
    public var annotations: [String: String]?
    public var urls: [String]?
}

/// An image manifest (OCI or Docker schema 2).
struct ImageManifestDocument: Decodable {
    var schemaVersion: Int?
    var mediaType: String?
    var config: Descriptor
    var layers: [Descriptor]
}

/// An OCI index or Docker manifest list.
struct IndexDocument: Decodable {
    var schemaVersion: Int?
    var mediaType: String?
    var manifests: [Descriptor]
}

/// Just enough of any manifest to know what it is.
struct ManifestProbe: Decodable {
    var schemaVersion: Int?
    var mediaType: String?
    var manifests: [Descriptor]?
    var layers: [Descriptor]?
    var fsLayers: [[String: String]]?
}

extension Descriptor {
    /// An index entry that names an image (or a nested index): not an attestation, not
    /// `unknown/unknown`, and no foreign media type (signatures, artifacts).
    var isImageEntry: Bool {
        if ManifestCandidate.isNotAnImage(platform: platform, annotations: annotations) { return false }
        return mediaType.map { MediaType.isImageManifest($0) || MediaType.isIndex($0) } ?? true
    }

    /// The same entry in ImageSource's terms, to choose among with its `PlatformSelector`.
    var candidate: ManifestCandidate {
        ManifestCandidate(descriptor: OCIDescriptor(mediaType: mediaType, digest: digest.description, size: size,
                                                    platform: platform, annotations: annotations),
                          digest: digest, platform: platform)
    }
}
