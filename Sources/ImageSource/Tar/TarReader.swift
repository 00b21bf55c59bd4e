import LayerIndex

/// A streaming tar reader: ustar, GNU long names (`L`) and links (`K`), PAX extended (`x`) and
/// global (`g`) headers, hard links, symlinks, directories, devices and fifos; header checksums
/// are validated. It holds one fixed buffer (never a whole member or layer), and special records
/// (PAX, long names) are bounded by `Limits`.
///
/// Use: `while let member = try reader.next() { try reader.readContent { chunk in … } }`;
/// `next()` skips whatever content of the previous member was not read.
public final class TarReader {
    /// Bounds on records a hostile archive could make huge.
    public struct Limits: Sendable {
        /// Largest PAX extended header or GNU long name/link record accepted.
        public var specialRecordBytes: Int = 1 << 20
        public init() {}
    }

    private let stream: ByteStream
    private let buffer: UnsafeMutableRawBufferPointer
    private var start = 0
    private var end = 0
    private var eof = false
    /// Stream offset of `buffer[0]`.
    private var bufferOffset: Int64 = 0
    private var remainingContent: Int64 = 0
    private var remainingPadding = 0
    private var globalPAX: [String: String] = [:]
    private let limits: Limits
    /// The member whose content is being read (for error messages).
    private var currentName = ""
    /// True once the end-of-archive marker (a zero block) was read.
    public private(set) var sawEndMarker = false
    /// True when the stream ended at a header boundary without an end-of-archive marker.
    public private(set) var endedWithoutMarker = false

    public init(_ stream: ByteStream, bufferSize: Int = 256 * 1024, limits: Limits = Limits()) {
        self.stream = stream
        let size = max(4096, (bufferSize / TarHeader.blockSize) * TarHeader.blockSize)
        buffer = .allocate(byteCount: size, alignment: 64)
        self.limits = limits
    }

    deinit { buffer.deallocate() }

    /// Stream offset of the next unread byte.
    public var position: Int64 { bufferOffset + Int64(start) }

    /// Ensures at least `count` (≤ buffer size) bytes are buffered; returns what is available.
    private func fill(_ count: Int) throws -> Int {
        if end - start >= count || eof { return end - start }
        if start > 0 && buffer.count - start < count {
            let live = end - start
            if live > 0 { buffer.baseAddress!.copyMemory(from: buffer.baseAddress! + start, byteCount: live) }
            bufferOffset += Int64(start)
            start = 0
            end = live
        }
        while end - start < count {
            let n = try stream.read(into: UnsafeMutableRawBufferPointer(rebasing: buffer[end...]))
            if n == 0 { eof = true; break }
            end += n
        }
        return end - start
    }

    /// Refills an empty buffer with whatever one read returns (no copying of live bytes).
    private func refillEmpty() throws -> Int {
        bufferOffset += Int64(end)
        start = 0
        end = 0
        if eof { return 0 }
        let n = try stream.read(into: buffer)
        if n == 0 { eof = true }
        end = n
        return n
    }

    private func discard(_ count: Int64, what: @autoclosure () -> String) throws {
        var left = count
        let buffered = Int64(end - start)
        if left <= buffered {
            start += Int(left)
            return
        }
        left -= buffered
        start = end
        if let skippable = stream as? SkippableByteStream, !eof {
            bufferOffset += Int64(end)
            start = 0
            end = 0
            do {
                try skippable.skip(left)
            } catch {
                throw StrataError("tar stream is truncated inside \(what())", path: currentName.isEmpty ? nil : currentName)
            }
            bufferOffset += left
            return
        }
        while left > 0 {
            let n = try refillEmpty()
            if n == 0 {
                throw StrataError("tar stream is truncated inside \(what())", path: currentName.isEmpty ? nil : currentName)
            }
            let take = Int(min(Int64(n), left))
            start += take
            left -= Int64(take)
        }
    }

    /// Reads a small record (PAX or GNU long name) of `size` bytes plus its padding.
    private func readRecord(_ size: Int64, kind: String) throws -> [UInt8] {
        guard size >= 0, size <= Int64(limits.specialRecordBytes) else {
            throw StrataError("\(kind) record of \(size) bytes exceeds the \(limits.specialRecordBytes / 1024) KiB limit (hostile or corrupt archive)")
        }
        var out = [UInt8]()
        out.reserveCapacity(Int(size))
        var left = Int(size)
        while left > 0 {
            if start == end, try refillEmpty() == 0 {
                throw StrataError("tar stream is truncated inside a \(kind) record")
            }
            let take = min(left, end - start)
            out.append(contentsOf: UnsafeRawBufferPointer(rebasing: buffer[start..<start + take]))
            start += take
            left -= take
        }
        try discard(Int64(Self.padding(size)), what: "a \(kind) record")
        return out
    }

    static func padding(_ size: Int64) -> Int {
        let r = Int(size % Int64(TarHeader.blockSize))
        return r == 0 ? 0 : TarHeader.blockSize - r
    }

    /// The next member, or nil at the end of the archive.
    public func next() throws -> TarMember? {
        if remainingContent > 0 || remainingPadding > 0 {
            try discard(remainingContent + Int64(remainingPadding), what: "the content of the previous member")
            remainingContent = 0
            remainingPadding = 0
        }
        currentName = ""
        if sawEndMarker || endedWithoutMarker { return nil }
        var pax: [String: String] = [:]
        var longName: String?
        var longNameInvalid = false
        var longLink: String?
        var firstHeaderOffset: Int64?
        while true {
            let available = try fill(TarHeader.blockSize)
            let headerOffset = position
            if available == 0 {
                if firstHeaderOffset != nil {
                    throw StrataError("tar stream ends after an extended header, before the member it describes")
                }
                endedWithoutMarker = true
                return nil
            }
            if available < TarHeader.blockSize {
                throw StrataError("tar stream is truncated inside a header at offset \(headerOffset)")
            }
            let block = UnsafeRawBufferPointer(rebasing: buffer[start..<start + TarHeader.blockSize])
            if TarHeader.isZero(block) {
                start += TarHeader.blockSize
                sawEndMarker = true
                return nil
            }
            guard TarHeader.checksumMatches(block) else {
                throw StrataError("corrupt tar header at offset \(headerOffset): checksum mismatch")
            }
            if firstHeaderOffset == nil { firstHeaderOffset = headerOffset }
            let typeFlag = block[156]
            guard let rawSize = TarHeader.number(block, 124, 12), rawSize >= 0 else {
                throw StrataError("corrupt tar header at offset \(headerOffset): invalid size field")
            }
            start += TarHeader.blockSize
            switch typeFlag {
            case UInt8(ascii: "x"), UInt8(ascii: "X"):
                try PAXRecords.parse(try readRecord(rawSize, kind: "PAX header"), into: &pax)
                continue
            case UInt8(ascii: "g"):
                try PAXRecords.parse(try readRecord(rawSize, kind: "PAX global header"), into: &globalPAX)
                continue
            case UInt8(ascii: "L"):
                let bytes = try readRecord(rawSize, kind: "GNU long name")
                let decoded = bytes.withUnsafeBytes { TarHeader.decodeName(TarHeader.fieldBytes($0, 0, $0.count)) }
                longName = decoded.0
                longNameInvalid = decoded.invalid
                continue
            case UInt8(ascii: "K"):
                let bytes = try readRecord(rawSize, kind: "GNU long link")
                longLink = bytes.withUnsafeBytes { TarHeader.decodeName(TarHeader.fieldBytes($0, 0, $0.count)).0 }
                continue
            default:
                break
            }
            var member = parseMember(block, typeFlag: typeFlag, size: rawSize, headerOffset: firstHeaderOffset!)
            if let longName {
                member.name = longName
                member.nameWasInvalidUTF8 = longNameInvalid
            }
            if let longLink { member.linkName = longLink }
            try apply(globalPAX, to: &member)
            try apply(pax, to: &member)
            switch member.kind {
            case .hardlink, .symlink, .characterDevice, .blockDevice, .directory, .fifo:
                // Header-only types: any size field is ignored, as GNU tar and Go's archive/tar do.
                member.size = 0
            case .regular, .other:
                break
            }
            member.contentOffset = position
            remainingContent = member.size
            remainingPadding = Self.padding(member.size)
            currentName = member.name
            return member
        }
    }

    private func parseMember(_ block: UnsafeRawBufferPointer, typeFlag: UInt8, size: Int64, headerOffset: Int64) -> TarMember {
        var nameBytes = Array(TarHeader.fieldBytes(block, 0, 100))
        if TarHeader.isPOSIXUstar(block) {
            let prefix = TarHeader.fieldBytes(block, 345, 155)
            if prefix.count > 0 { nameBytes = Array(prefix) + [UInt8(ascii: "/")] + nameBytes }
        }
        let (name, invalid) = nameBytes.withUnsafeBytes { TarHeader.decodeName($0) }
        let link = TarHeader.decodeName(TarHeader.fieldBytes(block, 157, 100)).0
        return TarMember(
            name: name, linkName: link, typeFlag: typeFlag,
            mode: UInt32(truncatingIfNeeded: TarHeader.number(block, 100, 8) ?? 0) & 0o7777,
            uid: Int(TarHeader.number(block, 108, 8) ?? 0), gid: Int(TarHeader.number(block, 116, 8) ?? 0),
            size: size, mtime: TarHeader.number(block, 136, 12) ?? 0,
            devMajor: Int(TarHeader.number(block, 329, 8) ?? 0), devMinor: Int(TarHeader.number(block, 337, 8) ?? 0),
            userName: TarHeader.decodeName(TarHeader.fieldBytes(block, 265, 32)).0,
            groupName: TarHeader.decodeName(TarHeader.fieldBytes(block, 297, 32)).0,
            headerOffset: headerOffset, contentOffset: 0, nameWasInvalidUTF8: invalid)
    }

    private func apply(_ pax: [String: String], to member: inout TarMember) throws {
        if pax.isEmpty { return }
        if let path = pax["path"] { member.name = path; member.nameWasInvalidUTF8 = false }
        if let link = pax["linkpath"] { member.linkName = link }
        if let size = pax["size"] {
            guard let value = Int64(size), value >= 0 else {
                throw StrataError("corrupt PAX header: invalid size \(size.prefix(40))", path: member.name)
            }
            member.size = value
        }
        if let uid = pax["uid"], let value = Int(uid) { member.uid = value }
        if let gid = pax["gid"], let value = Int(gid) { member.gid = value }
        if let mtime = pax["mtime"], let value = Int64(mtime.split(separator: ".").first ?? "") { member.mtime = value }
        if let uname = pax["uname"] { member.userName = uname }
        if let gname = pax["gname"] { member.groupName = gname }
    }

    /// Streams the current member's content in chunks that point into the reader's buffer
    /// (valid only during the call). Throws when the stream ends early.
    public func readContent(_ body: (UnsafeRawBufferPointer) throws -> Void) throws {
        let total = remainingContent
        while remainingContent > 0 {
            if start == end, try refillEmpty() == 0 {
                throw StrataError("tar stream is truncated: member content ends after \(total - remainingContent) of \(total) bytes",
                                  path: currentName)
            }
            let take = Int(min(Int64(end - start), remainingContent))
            try body(UnsafeRawBufferPointer(rebasing: buffer[start..<start + take]))
            start += take
            remainingContent -= Int64(take)
        }
    }

    /// Skips the current member's content.
    public func skipContent() throws {
        try discard(remainingContent, what: "the content of this member")
        remainingContent = 0
    }
}
