import Foundation
import LayerIndex

/// Named files of a docker-archive: members of a tar read in place, or files of a directory
/// where such a tar was extracted (`tar xf image.tar`).
public protocol ArchiveFiles: Sendable {
    /// The archive file or directory, for messages.
    var location: String { get }
    /// The size of a file, nil when absent (links inside a tar are followed).
    func size(of name: String) -> Int64?
    /// Opens a file's content.
    func open(_ name: String) throws -> FileByteStream
}

extension ArchiveFiles {
    public func contains(_ name: String) -> Bool { size(of: name) != nil }

    /// Reads a small file (manifest, config) whole, refusing more than `limit` bytes.
    public func read(_ name: String, limit: Int = 16 << 20) throws -> [UInt8] {
        try ByteStreams.readAll(try open(name), limit: limit, what: Sanitize.line(name))
    }
}

extension TarArchiveIndex: ArchiveFiles {
    public var location: String { path }
    public func size(of name: String) -> Int64? { lookup(name)?.size }
}

/// An extracted docker-archive: names resolve inside `root` (never outside it).
public struct DirectoryArchiveFiles: ArchiveFiles {
    public let root: String

    public init(root: String) { self.root = root }

    public var location: String { root }

    func resolve(_ name: String) -> String? {
        guard let normalized = PathNormalizer.normalize(name) else { return nil }
        let path = root + "/" + normalized
        // Symlinks (legacy `<id>/layer.tar`) may point anywhere: stay inside the root.
        let real = URL(fileURLWithPath: path).resolvingSymlinksInPath().path
        let realRoot = URL(fileURLWithPath: root).resolvingSymlinksInPath().path
        guard real == realRoot || real.hasPrefix(realRoot + "/") else { return nil }
        return real
    }

    public func size(of name: String) -> Int64? {
        guard let path = resolve(name),
              let attributes = try? FileManager.default.attributesOfItem(atPath: path),
              attributes[.type] as? FileAttributeType == .typeRegular,
              let size = attributes[.size] as? NSNumber else { return nil }
        return size.int64Value
    }

    public func open(_ name: String) throws -> FileByteStream {
        guard let path = resolve(name), size(of: name) != nil else {
            throw StrataError("the image directory has no file \(Sanitize.line(name))", image: root)
        }
        return try FileByteStream(path: path)
    }
}
