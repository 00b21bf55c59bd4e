import LayerIndex

/// Reads one layer's tar stream once and produces its `LayerContents`: every entry with a
/// normalised path, type, mode, owner, size, link target and the sha256 of its content
/// (computed while streaming), whiteouts as entries. A `LayerVisitor` sees each regular file's
/// content in the same pass (the scanner's detection rides on it).
///
/// Hostile names are recorded in `problems` (each "PATH: message", sanitised):
/// - a path that climbs above the root (`../etc/x`) is **skipped**: container runtimes refuse
///   such layers, so it can never be part of a filesystem;
/// - a name with control characters or invalid UTF-8 is **kept** under its real name (invalid
///   bytes escaped as `\xNN`), so whiteouts in later layers still match it; every printer
///   passes names through `Sanitize`.
///
/// A fatal stream error throws `LayerReadError`, which carries the entries read so far.
public struct LayerIndexer: Sendable {
    /// The image reference, for error messages.
    public var image: String?
    public var bufferSize: Int
    public var limits: TarReader.Limits
    /// Problems kept per layer; beyond it they are counted in one last line (a hostile layer
    /// with a million bad names must not grow memory through its problem list).
    public var maxProblems = 200
    /// Decompress on a second thread (`PrefetchStream`) when indexing from a source, so one
    /// layer keeps two cores busy.
    public var readAhead = true

    public init(image: String? = nil, bufferSize: Int = 256 * 1024, limits: TarReader.Limits = .init()) {
        self.image = image
        self.bufferSize = bufferSize
        self.limits = limits
    }

    /// Opens the layer from `source` and indexes it. `progress`, when given, receives the
    /// uncompressed bytes read so far (every few MiB, and once at the end).
    public func index(layer: LayerDescriptor, from source: any ImageSource, visitor: LayerVisitor? = nil,
                      progress: ((Int64) -> Void)? = nil) throws -> LayerContents {
        let stream: ByteStream
        do {
            let opened = try source.openLayer(layer)
            let counted = progress.map { CountingStream(opened, report: $0) } ?? opened
            stream = readAhead ? PrefetchStream(counted) : counted
        } catch {
            let strata = (error as? StrataError) ?? StrataError(Sanitize.line(String(describing: error)))
            throw LayerReadError(partial: LayerContents(layer: layer, entries: []),
                                 error: strata.with(image: image ?? source.reference, layer: layer.index, layerDigest: layer.digest))
        }
        var copy = self
        if copy.image == nil { copy.image = source.reference }
        return try copy.index(stream: stream, layer: layer, visitor: visitor)
    }

    /// Indexes an uncompressed tar stream. Reads the stream to its end (so digests are checked).
    public func index(stream: ByteStream, layer: LayerDescriptor, visitor: LayerVisitor? = nil) throws -> LayerContents {
        let reader = TarReader(stream, bufferSize: bufferSize, limits: limits)
        var entries: [Entry] = []
        var problems = ProblemList(limit: maxProblems)
        /// Regular files of this layer by path, for hard links: (sha256, size).
        var files: [String: (String, Int64)] = [:]
        do {
            while let member = try reader.next() {
                guard let entry = try makeEntry(member, problems: &problems, files: files) else { continue }
                var finished = entry
                if member.kind == .regular && entry.whiteout == nil {
                    let sink = visitor?.beginFile(entry)
                    var hasher = SHA256Hasher()
                    try reader.readContent { chunk in
                        hasher.update(chunk)
                        sink?.consume(chunk)
                    }
                    finished.sha256 = hasher.finalizeHex()
                    files[finished.path] = (finished.sha256!, finished.size)
                    sink?.finish(finished)
                }
                entries.append(finished)
            }
            if reader.endedWithoutMarker {
                problems.add("layer tar ends without an end-of-archive marker (truncated?)")
            }
            // Trailing padding: read to the end so digesting streams below verify the blob.
            try ByteStreams.drain(stream)
        } catch {
            // Streams throw StrataError; any other error (a network stream's) is wrapped so the
            // partial contents are never lost.
            let strata = (error as? StrataError) ?? StrataError(Sanitize.line(String(describing: error)))
            throw LayerReadError(partial: LayerContents(layer: layer, entries: entries, problems: problems.lines),
                                 error: strata.with(image: image, layer: layer.index, layerDigest: layer.digest))
        }
        return LayerContents(layer: layer, entries: entries, problems: problems.lines)
    }

    private func makeEntry(_ member: TarMember, problems: inout ProblemList, files: [String: (String, Int64)]) throws -> Entry? {
        let raw = member.name
        if PathNormalizer.isRoot(raw) { return nil }
        guard let normalized = PathNormalizer.normalize(raw) else {
            problems.add("\(Sanitize.line(raw)): path escapes the image root; entry skipped (runtimes refuse such layers)")
            return nil
        }
        if member.nameWasInvalidUTF8 {
            problems.add("\(Sanitize.line(normalized)): name is not valid UTF-8; invalid bytes shown as \\xNN")
        } else if !Sanitize.isClean(normalized) {
            problems.add("\(Sanitize.line(normalized)): name contains control characters")
        }
        let base = PathNormalizer.basename(normalized)
        if base.hasPrefix(PathNormalizer.whiteoutPrefix + PathNormalizer.whiteoutPrefix) && base != PathNormalizer.opaqueMarker {
            // aufs metadata (`.wh..wh.plnk`, `.wh..wh.aufs`): not part of the filesystem.
            return nil
        }
        if base == PathNormalizer.whiteoutPrefix {
            problems.add("\(Sanitize.line(normalized)): whiteout with an empty name; ignored")
            return nil
        }
        let (path, whiteout) = PathNormalizer.classify(normalized)
        var entry = Entry(path: path, type: .other, mode: member.mode, uid: member.uid, gid: member.gid,
                          size: 0, modified: member.mtime)
        if let whiteout {
            entry.whiteout = whiteout
            return entry
        }
        switch member.kind {
        case .regular:
            entry.type = .file
            entry.size = member.size
        case .directory:
            entry.type = .dir
        case .symlink:
            entry.type = .symlink
            entry.linkTarget = member.linkName
        case .hardlink:
            entry.type = .hardlink
            guard let target = PathNormalizer.normalize(member.linkName) else {
                problems.add("\(Sanitize.line(path)): hard link target \(Sanitize.line(member.linkName)) escapes the image root")
                entry.linkTarget = member.linkName
                return entry
            }
            entry.linkTarget = target
            if let (sha, size) = files[target] {
                entry.sha256 = sha
                entry.size = size
            }
        case .characterDevice:
            entry.deviceKind = "char \(member.devMajor):\(member.devMinor)"
        case .blockDevice:
            entry.deviceKind = "block \(member.devMajor):\(member.devMinor)"
        case .fifo:
            entry.deviceKind = "fifo"
        case .other(let flag):
            entry.deviceKind = "tar type \(Sanitize.bytes([flag]))"
        }
        return entry
    }
}

/// Problems of one layer, bounded: past `limit`, they are only counted.
struct ProblemList {
    let limit: Int
    private var kept: [String] = []
    private var dropped = 0

    init(limit: Int) { self.limit = limit }

    mutating func add(_ line: String) {
        if kept.count < limit { kept.append(line) } else { dropped += 1 }
    }

    var lines: [String] { dropped == 0 ? kept : kept + ["… and \(dropped) more problems in this layer"] }
}
