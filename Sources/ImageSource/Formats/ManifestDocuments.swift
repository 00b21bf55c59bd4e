import Foundation
import LayerIndex

/// Media types strata recognises (OCI and Docker schema 2).
public enum MediaTypes {
    public static let ociIndex = "application/vnd.oci.image.index.v1+json"
    public static let ociManifest = "application/vnd.oci.image.manifest.v1+json"
    public static let ociConfig = "application/vnd.oci.image.config.v1+json"
    public static let ociLayer = "application/vnd.oci.image.layer.v1.tar"
    public static let ociLayerGzip = "application/vnd.oci.image.layer.v1.tar+gzip"
    public static let ociLayerZstd = "application/vnd.oci.image.layer.v1.tar+zstd"
    public static let dockerManifestList = "application/vnd.docker.distribution.manifest.list.v2+json"
    public static let dockerManifest = "application/vnd.docker.distribution.manifest.v2+json"
    public static let dockerConfig = "application/vnd.docker.container.image.v1+json"
    public static let dockerLayer = "application/vnd.docker.image.rootfs.diff.tar"
    public static let dockerLayerGzip = "application/vnd.docker.image.rootfs.diff.tar.gzip"
    public static let refNameAnnotation = "org.opencontainers.image.ref.name"

    public static func isIndex(_ type: String?) -> Bool { type == ociIndex || type == dockerManifestList }
    public static func isManifest(_ type: String?) -> Bool { type == ociManifest || type == dockerManifest }
}

/// An OCI content descriptor.
public struct OCIDescriptor: Codable, Sendable, Hashable {
    public var mediaType: String?
    public var digest: String
    public var size: Int64?
    public var platform: OCIPlatform?
    public var annotations: [String: String]?
    public var urls: [String]?

    public init(mediaType: String?, digest: String, size: Int64?, platform: OCIPlatform? = nil,
                annotations: [String: String]? = nil) {
        self.mediaType = mediaType
        self.digest = digest
        self.size = size
        self.platform = platform
        self.annotations = annotations
    }
}

/// The platform of a manifest in an index.
public struct OCIPlatform: Codable, Sendable, Hashable, CustomStringConvertible {
    public var architecture: String
    public var os: String
    public var variant: String?
    public var osVersion: String?

    enum CodingKeys: String, CodingKey {
        case architecture, os, variant
        case osVersion = "os.version"
    }

    public init(os: String, architecture: String, variant: String? = nil) {
        self.os = os
        self.architecture = architecture
        self.variant = variant
    }

    /// `os/arch[/variant]`.
    public var description: String {
        [os, architecture, variant].compactMap { $0 }.filter { !$0.isEmpty }.joined(separator: "/")
    }
}

/// An image index (`index.json`, a manifest list) or an image manifest: one shape decodes both.
struct ManifestDocument: Codable {
    var schemaVersion: Int?
    var mediaType: String?
    var manifests: [OCIDescriptor]?
    var config: OCIDescriptor?
    var layers: [OCIDescriptor]?
    var annotations: [String: String]?

    var isIndex: Bool { MediaTypes.isIndex(mediaType) || (mediaType == nil && manifests != nil && config == nil) }
    var isManifest: Bool { MediaTypes.isManifest(mediaType) || (mediaType == nil && config != nil && layers != nil) }

    /// Decodes JSON that must be an index or a manifest; otherwise a clear error about `what`.
    static func decode(_ bytes: [UInt8], what: String) throws -> ManifestDocument {
        let doc: ManifestDocument
        do {
            doc = try JSONDecoder().decode(ManifestDocument.self, from: Data(bytes))
        } catch {
            throw StrataError("\(what) is not an OCI/Docker manifest or index: \(describe(error))")
        }
        if !doc.isIndex && !doc.isManifest {
            if let type = doc.mediaType {
                throw StrataError("\(what) has media type \(Sanitize.line(type)), which is not an image manifest or index")
            }
            throw StrataError("\(what) is JSON but not an image manifest or index (no \"manifests\", or no \"config\" and \"layers\")")
        }
        return doc
    }
}

/// One image of a docker-archive `manifest.json`.
struct DockerArchiveManifestItem: Codable {
    var Config: String
    var RepoTags: [String]?
    var Layers: [String]
}

/// Short, single-line description of a decoding error.
func describe(_ error: Error) -> String {
    switch error {
    case DecodingError.dataCorrupted(let context):
        if let underlying = context.underlyingError as NSError? {
            return "invalid JSON (\(underlying.localizedDescription))"
        }
        return "invalid JSON"
    case DecodingError.keyNotFound(let key, let context):
        return "missing field \(path(context.codingPath + [key]))"
    case DecodingError.typeMismatch(_, let context), DecodingError.valueNotFound(_, let context):
        return "unexpected value at \(path(context.codingPath))"
    default:
        return Sanitize.line(String(describing: error))
    }
}

private func path(_ keys: [CodingKey]) -> String {
    keys.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }.joined(separator: ".")
}
