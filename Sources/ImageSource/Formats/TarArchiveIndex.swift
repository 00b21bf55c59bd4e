import LayerIndex

/// The members of an uncompressed outer tar (docker-archive, oci-archive) and where their
/// content lies, so each member can be read in place with `FileByteStream`. Built by walking
/// the headers only: member contents are skipped with seeks.
public struct TarArchiveIndex: Sendable {
    public struct Member: Sendable {
        public var offset: Int64
        public var size: Int64
        public var kind: TarMember.Kind
        public var linkName: String
    }

    public let path: String
    /// Normalised member path → member (the last occurrence wins, as when extracting).
    public private(set) var members: [String: Member] = [:]
    /// Set when the archive is truncated or corrupt part way: the members before the damage are
    /// kept (a member cut short fails when opened).
    public private(set) var damage: StrataError?

    public init(path: String) throws {
        self.path = path
        let stream = try FileByteStream(path: path)
        let reader = TarReader(stream, bufferSize: 64 * 1024)
        do {
            while let member = try reader.next() {
                guard let name = PathNormalizer.normalize(member.name) else { continue }
                members[name] = Member(offset: member.contentOffset, size: member.size, kind: member.kind,
                                       linkName: member.linkName)
            }
        } catch let error as StrataError {
            if members.isEmpty { throw error.with(image: path) }
            damage = error
        }
    }

    /// Finds a member, following symlinks and hard links inside the archive (legacy docker-archives
    /// store `<id>/layer.tar` as a symlink to `<diff_id>.tar`).
    public func lookup(_ name: String) -> Member? {
        guard var current = PathNormalizer.normalize(name) else { return nil }
        for _ in 0..<16 {
            guard let member = members[current] else { return nil }
            switch member.kind {
            case .symlink:
                let target = member.linkName.hasPrefix("/")
                    ? member.linkName
                    : PathNormalizer.dirname(current) + "/" + member.linkName
                guard let next = PathNormalizer.normalize(target) else { return nil }
                current = next
            case .hardlink:
                guard let next = PathNormalizer.normalize(member.linkName) else { return nil }
                current = next
            case .regular:
                return member
            default:
                return nil
            }
        }
        return nil
    }

    /// Opens a member's content in place.
    public func open(_ name: String) throws -> FileByteStream {
        guard let member = lookup(name) else {
            throw StrataError("the archive has no member \(Sanitize.line(name))", image: path)
        }
        return try FileByteStream(path: path, offset: member.offset, length: member.size)
    }

}
