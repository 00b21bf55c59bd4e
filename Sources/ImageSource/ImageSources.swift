import Foundation
import LayerIndex

/// Opens local images from a reference, skopeo-style:
///
/// - `docker-archive:PATH[:TAG]`: a `docker save` tar (legacy layout, or the OCI layout newer
///   Docker writes inside it); gzip/zstd-compressed archives too;
/// - `oci:DIR[:TAG]`: an OCI image layout directory;
/// - `oci-archive:PATH[:TAG]`: a tar of an OCI layout, read in place;
/// - `dir:DIR`: a skopeo `dir:` copy (`manifest.json` + blobs named by hex digest);
/// - a bare path: detected from what is there.
///
/// A compressed archive (`.tar.gz`, `.tar.zst`) is decompressed once into a temporary file
/// (removed with the source), because its members cannot be read in place.
/// Registry references (`docker://…`) are not local: a registry module handles them.
public enum ImageSources {
    static let prefixes = ["docker-archive:", "oci-archive:", "oci:", "dir:"]

    /// True when `reference` names a local image (explicit local prefix, or an existing path).
    public static func isLocal(_ reference: String) -> Bool {
        if prefixes.contains(where: reference.hasPrefix) { return true }
        if reference.contains("://") { return false }
        if FileManager.default.fileExists(atPath: reference) { return true }
        return splitTag(reference) != nil
    }

    /// Opens a local image. Errors are one clear line naming the reference.
    public static func open(_ reference: String, options: SourceOptions = SourceOptions()) throws -> any ImageSource {
        if reference.hasPrefix("docker://") || reference.hasPrefix("registry:") {
            throw StrataError("is a registry reference; this command reads local images only (docker-archive, oci, oci-archive, dir)",
                              image: reference)
        }
        if reference.hasPrefix("docker-daemon:") || reference.hasPrefix("containers-storage:") {
            throw StrataError("strata does not read the Docker daemon or containers-storage directly; export with `docker save -o image.tar` or `skopeo copy`",
                              image: reference)
        }
        for prefix in prefixes where reference.hasPrefix(prefix) {
            let rest = String(reference.dropFirst(prefix.count))
            let (path, tag) = locate(rest)
            guard FileManager.default.fileExists(atPath: path) else {
                throw StrataError("no such file or directory", image: reference)
            }
            switch prefix {
            case "docker-archive:":
                var isDirectory: ObjCBool = false
                if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue {
                    return try DockerArchiveSource(reference: reference, archive: DirectoryArchiveFiles(root: path), tag: tag,
                                                   options: options, keepAlive: nil)
                }
                return try openArchive(path, reference: reference, tag: tag, preferOCI: false, options: options)
            case "oci-archive:": return try openArchive(path, reference: reference, tag: tag, preferOCI: true, options: options)
            case "oci:": return try openOCILayout(path, reference: reference, tag: tag, options: options)
            default: return try openSkopeoDir(path, reference: reference, options: options)
            }
        }
        let (path, tag) = locate(reference)
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            if reference.contains("://") || (reference.contains("/") && !reference.hasPrefix("/") && !reference.hasPrefix(".")) {
                throw StrataError("no such file or directory (for a registry image use docker://\(Sanitize.line(reference)))", image: reference)
            }
            throw StrataError("no such file or directory", image: reference)
        }
        if isDirectory.boolValue {
            let fm = FileManager.default
            if fm.fileExists(atPath: path + "/index.json") || fm.fileExists(atPath: path + "/oci-layout") {
                return try openOCILayout(path, reference: reference, tag: tag, options: options)
            }
            if fm.fileExists(atPath: path + "/manifest.json") {
                // An extracted `docker save` has a JSON array there; skopeo's dir: an object.
                let head = try ByteStreams.readAll(try FileByteStream(path: path + "/manifest.json"), limit: Int.max,
                                                   what: "manifest.json", prefix: 64)
                if head.first(where: { ![0x20, 0x0A, 0x0D, 0x09].contains($0) }) == UInt8(ascii: "[") {
                    return try DockerArchiveSource(reference: reference, archive: DirectoryArchiveFiles(root: path), tag: tag,
                                                   options: options, keepAlive: nil)
                }
                return try openSkopeoDir(path, reference: reference, options: options)
            }
            throw StrataError("directory is not an image: no index.json (OCI layout) and no manifest.json (extracted docker save, skopeo dir:)", image: reference)
        }
        return try openArchive(path, reference: reference, tag: tag, preferOCI: false, options: options)
    }

    /// `PATH` or `PATH:TAG` when PATH exists and the whole text does not. The tag may itself
    /// contain colons and slashes (`archive.tar:corp/app:1.0`): the longest existing path wins.
    static func locate(_ text: String) -> (String, String?) {
        if FileManager.default.fileExists(atPath: text) { return (text, nil) }
        if let (path, tag) = splitTag(text) { return (path, tag) }
        return (text, nil)
    }

    static func splitTag(_ text: String) -> (String, String)? {
        var index = text.endIndex
        while let colon = text[..<index].lastIndex(of: ":") {
            let path = String(text[..<colon])
            let tag = String(text[text.index(after: colon)...])
            if !path.isEmpty, !tag.isEmpty, FileManager.default.fileExists(atPath: path) { return (path, tag) }
            index = colon
        }
        return nil
    }

    static func openOCILayout(_ dir: String, reference: String, tag: String?, options: SourceOptions) throws -> any ImageSource {
        let indexPath = dir + "/index.json"
        guard FileManager.default.fileExists(atPath: indexPath) else {
            throw StrataError("not an OCI layout: index.json is missing", image: reference)
        }
        let bytes = try ByteStreams.readAll(try FileByteStream(path: indexPath), limit: 16 << 20, what: "index.json")
        return try ManifestImageSource.open(reference: reference, format: "oci", store: DirectoryBlobStore(root: dir),
                                           topBytes: bytes, topName: "index.json", tag: tag, options: options)
    }

    static func openSkopeoDir(_ dir: String, reference: String, options: SourceOptions) throws -> any ImageSource {
        let manifestPath = dir + "/manifest.json"
        guard FileManager.default.fileExists(atPath: manifestPath) else {
            throw StrataError("not a skopeo dir: manifest.json is missing", image: reference)
        }
        let bytes = try ByteStreams.readAll(try FileByteStream(path: manifestPath), limit: 16 << 20, what: "manifest.json")
        return try ManifestImageSource.open(reference: reference, format: "dir", store: DirectoryBlobStore(root: dir, flat: true),
                                           topBytes: bytes, topName: "manifest.json", tag: nil, options: options)
    }

    static func openArchive(_ path: String, reference: String, tag: String?, preferOCI: Bool, options: SourceOptions) throws -> any ImageSource {
        var archivePath = path
        var keepAlive: AnyObject?
        let head = try ByteStreams.readAll(try FileByteStream(path: path, length: nil), limit: Int.max, what: path, prefix: 512)
        if Decompression.sniff(head) != .none {
            let temp = try TemporaryFile(prefix: "strata-archive")
            let (plain, _) = try Decompression.decompress(try FileByteStream(path: path), name: "compressed archive")
            do {
                try temp.write(from: plain)
            } catch let error as StrataError {
                throw error.with(image: reference)
            }
            archivePath = temp.path
            keepAlive = temp
        } else if head.first == UInt8(ascii: "{") || head.first == UInt8(ascii: "[") {
            throw StrataError("is a JSON file, not an image: pass the image directory or archive", image: reference)
        }
        let archive: TarArchiveIndex
        do {
            archive = try TarArchiveIndex(path: archivePath)
        } catch let error as StrataError {
            throw StrataError("is not an image archive (not a readable tar: \(error.message))", image: reference)
        }
        let hasManifest = archive.contains("manifest.json")
        let hasIndex = archive.contains("index.json")
        if hasIndex && (preferOCI || !hasManifest) {
            let bytes = try archive.read("index.json")
            return try ManifestImageSource.open(reference: reference, format: hasManifest ? "docker-archive" : "oci-archive",
                                               store: ArchiveBlobStore(archive: archive), topBytes: bytes, topName: "index.json",
                                               tag: tag, options: options, keepAlive: keepAlive)
        }
        if hasManifest {
            return try DockerArchiveSource(reference: reference, archive: archive, tag: tag, options: options, keepAlive: keepAlive)
        }
        if let damage = archive.damage {
            throw StrataError("the archive is damaged (\(damage.message)) before its manifest.json or index.json", image: reference)
        }
        throw StrataError("is a tar archive but not an image: no manifest.json (docker-archive) or index.json (OCI archive)",
                          image: reference)
    }
}
