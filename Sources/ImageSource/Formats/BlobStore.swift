import Foundation
import LayerIndex

/// Content-addressed blobs of one image layout: a directory, an archive, a skopeo `dir:`.
public protocol BlobStore: Sendable {
    /// Where the blobs live, for messages.
    var location: String { get }
    /// Opens a blob's raw bytes; throws a clear "missing blob" error when absent.
    func open(_ digest: Digest) throws -> ByteStream
    /// True when the blob is present.
    func contains(_ digest: Digest) -> Bool
    /// The blob as a local file range a reader may seek in; nil for remote stores.
    func file(_ digest: Digest) throws -> FileByteStream?
}

extension BlobStore {
    public func file(_ digest: Digest) throws -> FileByteStream? { nil }

    /// Reads a small blob (index, manifest, config) whole and checks its digest.
    public func readJSONBlob(_ digest: Digest, what: String, verify: Bool, limit: Int = 16 << 20) throws -> [UInt8] {
        let bytes = try ByteStreams.readAll(try open(digest), limit: limit, what: what)
        if verify && digest.algorithm == "sha256" {
            let actual = SHA256Hasher.hex(of: bytes)
            if actual != digest.hex {
                throw StrataError("\(what) digest mismatch: content hashes to sha256:\(actual), expected \(digest) (use --no-verify to read it anyway)",
                                  layerDigest: digest)
            }
        }
        return bytes
    }
}

/// Blobs as files: `ROOT/blobs/ALG/HEX` (OCI layout) or `ROOT/HEX` (skopeo `dir:`).
public struct DirectoryBlobStore: BlobStore {
    public let root: String
    public let flat: Bool

    public init(root: String, flat: Bool = false) {
        self.root = root
        self.flat = flat
    }

    public var location: String { root }

    public func path(of digest: Digest) -> String {
        flat ? root + "/" + digest.hex : root + "/blobs/" + digest.algorithm + "/" + digest.hex
    }

    public func open(_ digest: Digest) throws -> ByteStream {
        let path = path(of: digest)
        guard FileManager.default.fileExists(atPath: path) else {
            throw StrataError("missing blob \(digest): \(path) does not exist", layerDigest: digest)
        }
        return try FileByteStream(path: path)
    }

    public func file(_ digest: Digest) throws -> FileByteStream? { try open(digest) as? FileByteStream }

    public func contains(_ digest: Digest) -> Bool {
        FileManager.default.fileExists(atPath: path(of: digest))
    }
}

/// Blobs inside an uncompressed tar of an OCI layout (oci-archive, newer docker-archives).
public struct ArchiveBlobStore: BlobStore {
    public let archive: TarArchiveIndex

    public init(archive: TarArchiveIndex) { self.archive = archive }

    public var location: String { archive.path }

    func member(_ digest: Digest) -> String { "blobs/\(digest.algorithm)/\(digest.hex)" }

    public func open(_ digest: Digest) throws -> ByteStream {
        guard archive.contains(member(digest)) else {
            if let damage = archive.damage {
                throw StrataError("missing blob \(digest): the archive is damaged before it (\(damage.message))", layerDigest: digest)
            }
            throw StrataError("missing blob \(digest): the archive has no \(member(digest))", layerDigest: digest)
        }
        return try archive.open(member(digest))
    }

    public func file(_ digest: Digest) throws -> FileByteStream? { try open(digest) as? FileByteStream }

    public func contains(_ digest: Digest) -> Bool { archive.contains(member(digest)) }
}
