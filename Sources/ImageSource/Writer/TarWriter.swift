import LayerIndex

/// One member to write into a tar: a file with content, a directory, a link, a device, or a
/// whiteout marker. Names are written exactly as given (tests use hostile ones on purpose).
public struct TarWriterEntry: Sendable, Hashable {
    public enum Kind: Sendable, Hashable {
        case file([UInt8])
        case directory
        case symlink(String)
        case hardlink(String)
        case characterDevice(major: Int, minor: Int)
        case blockDevice(major: Int, minor: Int)
        case fifo
    }

    public var name: String
    public var kind: Kind
    public var mode: UInt32
    public var uid: Int
    public var gid: Int
    public var mtime: Int64

    public init(name: String, kind: Kind, mode: UInt32, uid: Int = 0, gid: Int = 0, mtime: Int64 = 0) {
        self.name = name
        self.kind = kind
        self.mode = mode
        self.uid = uid
        self.gid = gid
        self.mtime = mtime
    }

    /// A regular file with text content.
    public static func file(_ name: String, _ text: String, mode: UInt32 = 0o644, uid: Int = 0, gid: Int = 0) -> Self {
        Self(name: name, kind: .file(Array(text.utf8)), mode: mode, uid: uid, gid: gid)
    }

    /// A regular file with binary content.
    public static func file(_ name: String, bytes: [UInt8], mode: UInt32 = 0o644) -> Self {
        Self(name: name, kind: .file(bytes), mode: mode)
    }

    public static func dir(_ name: String, mode: UInt32 = 0o755, uid: Int = 0, gid: Int = 0) -> Self {
        Self(name: name, kind: .directory, mode: mode, uid: uid, gid: gid)
    }

    public static func symlink(_ name: String, to target: String) -> Self {
        Self(name: name, kind: .symlink(target), mode: 0o777)
    }

    public static func hardlink(_ name: String, to target: String) -> Self {
        Self(name: name, kind: .hardlink(target), mode: 0o644)
    }

    /// `.wh.NAME` next to the removed path: deletes `path` (and everything below it).
    public static func whiteout(_ path: String) -> Self {
        let dir = PathNormalizer.dirname(path)
        let name = PathNormalizer.basename(path)
        return .file((dir.isEmpty ? "" : dir + "/") + PathNormalizer.whiteoutPrefix + name, "", mode: 0o600)
    }

    /// `DIR/.wh..wh..opq`: hides everything lower layers had in `dir`.
    public static func opaque(_ dir: String) -> Self {
        .file((dir.isEmpty ? "" : dir + "/") + PathNormalizer.opaqueMarker, "", mode: 0o600)
    }
}

/// Writes tar archives in memory: ustar headers, with PAX extended headers (or GNU `L`/`K`
/// records) for names and link targets that do not fit.
public struct TarWriter {
    /// How names longer than ustar allows are written.
    public enum LongNames: Sendable { case pax, gnu }

    public var longNames: LongNames
    public private(set) var bytes: [UInt8] = []

    public init(longNames: LongNames = .pax) { self.longNames = longNames }

    /// Writes `entries` and the end-of-archive marker.
    public static func archive(_ entries: [TarWriterEntry], longNames: LongNames = .pax) -> [UInt8] {
        var writer = TarWriter(longNames: longNames)
        for entry in entries { writer.append(entry) }
        return writer.finish()
    }

    public mutating func append(_ entry: TarWriterEntry) {
        var typeFlag = UInt8(ascii: "0")
        var link = ""
        var content: [UInt8] = []
        var devMajor = 0, devMinor = 0
        switch entry.kind {
        case .file(let data): content = data
        case .directory: typeFlag = UInt8(ascii: "5")
        case .symlink(let target): typeFlag = UInt8(ascii: "2"); link = target
        case .hardlink(let target): typeFlag = UInt8(ascii: "1"); link = target
        case .characterDevice(let major, let minor): typeFlag = UInt8(ascii: "3"); devMajor = major; devMinor = minor
        case .blockDevice(let major, let minor): typeFlag = UInt8(ascii: "4"); devMajor = major; devMinor = minor
        case .fifo: typeFlag = UInt8(ascii: "6")
        }
        var name = Array(entry.name.utf8)
        if entry.kind == .directory && name.last != UInt8(ascii: "/") { name.append(UInt8(ascii: "/")) }
        let linkBytes = Array(link.utf8)
        var prefix: [UInt8] = []
        var headerName = name
        var pax: [(String, [UInt8])] = []
        if name.count > 100 {
            if let split = Self.ustarSplit(name) {
                prefix = Array(name[..<split])
                headerName = Array(name[(split + 1)...])
            } else {
                switch longNames {
                case .pax: pax.append(("path", name))
                case .gnu: writeSpecial(flag: UInt8(ascii: "L"), data: name + [0])
                }
                headerName = Array(name.prefix(100))
            }
        }
        var headerLink = linkBytes
        if linkBytes.count > 100 {
            switch longNames {
            case .pax: pax.append(("linkpath", linkBytes))
            case .gnu: writeSpecial(flag: UInt8(ascii: "K"), data: linkBytes + [0])
            }
            headerLink = Array(linkBytes.prefix(100))
        }
        if !pax.isEmpty {
            writeSpecial(flag: UInt8(ascii: "x"), data: Self.paxRecords(pax), name: Array("PaxHeaders/".utf8) + Array(headerName.suffix(80)))
        }
        writeHeader(name: headerName, prefix: prefix, mode: entry.mode, uid: entry.uid, gid: entry.gid,
                    size: Int64(content.count), mtime: entry.mtime, typeFlag: typeFlag, link: headerLink,
                    devMajor: devMajor, devMinor: devMinor)
        bytes.append(contentsOf: content)
        pad()
    }

    /// Appends the end-of-archive marker (two zero blocks) and returns the archive.
    public mutating func finish() -> [UInt8] {
        bytes.append(contentsOf: [UInt8](repeating: 0, count: 1024))
        return bytes
    }

    /// Where to split a long name into ustar prefix (≤155) and name (≤100), at a slash.
    static func ustarSplit(_ name: [UInt8]) -> Int? {
        guard name.count <= 256 else { return nil }
        var i = min(name.count - 1, 155)
        while i > 0 {
            if name[i] == UInt8(ascii: "/") && name.count - i - 1 <= 100 && name.count - i - 1 > 0 { return i }
            i -= 1
        }
        return nil
    }

    static func paxRecords(_ records: [(String, [UInt8])]) -> [UInt8] {
        var out: [UInt8] = []
        for (key, value) in records {
            let body = Array(" \(key)=".utf8) + value + [0x0A]
            var length = body.count + 1
            while String(length).count + body.count != length { length = String(length).count + body.count }
            out += Array(String(length).utf8) + body
        }
        return out
    }

    private mutating func writeSpecial(flag: UInt8, data: [UInt8], name: [UInt8] = Array("././@LongLink".utf8)) {
        writeHeader(name: Array(name.prefix(100)), prefix: [], mode: 0o644, uid: 0, gid: 0, size: Int64(data.count),
                    mtime: 0, typeFlag: flag, link: [], devMajor: 0, devMinor: 0)
        bytes.append(contentsOf: data)
        pad()
    }

    private mutating func pad() {
        let r = bytes.count % 512
        if r != 0 { bytes.append(contentsOf: [UInt8](repeating: 0, count: 512 - r)) }
    }

    private mutating func writeHeader(name: [UInt8], prefix: [UInt8], mode: UInt32, uid: Int, gid: Int, size: Int64,
                                      mtime: Int64, typeFlag: UInt8, link: [UInt8], devMajor: Int, devMinor: Int) {
        var h = [UInt8](repeating: 0, count: 512)
        func put(_ field: [UInt8], _ offset: Int, _ length: Int) {
            for (i, b) in field.prefix(length).enumerated() { h[offset + i] = b }
        }
        func octal(_ value: Int64, _ offset: Int, _ length: Int) {
            let text = String(value, radix: 8)
            let padded = String(repeating: "0", count: max(0, length - 1 - text.count)) + text
            put(Array(padded.utf8), offset, length - 1)
        }
        put(name, 0, 100)
        octal(Int64(mode), 100, 8)
        octal(Int64(uid), 108, 8)
        octal(Int64(gid), 116, 8)
        octal(size, 124, 12)
        octal(mtime, 136, 12)
        h[156] = typeFlag
        put(link, 157, 100)
        put(Array("ustar".utf8) + [0], 257, 6)
        put(Array("00".utf8), 263, 2)
        put(Array("root".utf8), 265, 32)
        put(Array("root".utf8), 297, 32)
        octal(Int64(devMajor), 329, 8)
        octal(Int64(devMinor), 337, 8)
        put(prefix, 345, 155)
        for i in 148..<156 { h[i] = 0x20 }
        let sum = h.reduce(0) { $0 + Int($1) }
        let text = String(sum, radix: 8)
        put(Array((String(repeating: "0", count: max(0, 6 - text.count)) + text).utf8) + [0, 0x20], 148, 8)
        bytes.append(contentsOf: h)
    }
}
