/// Normalises tar member names into image paths and recognises whiteouts.
public enum PathNormalizer {
    public static let whiteoutPrefix = ".wh."
    public static let opaqueMarker = ".wh..wh..opq"

    /// `./a//b/../c/` → `a/c`. Returns nil when the path escapes the root (`../x`) or is empty
    /// (the root itself). A path that climbs above the root is hostile: callers report it.
    public static func normalize(_ raw: String) -> String? {
        if let clean = alreadyNormal(raw) { return clean }
        var parts: [Substring] = []
        for component in raw.split(separator: "/", omittingEmptySubsequences: true) {
            switch component {
            case ".": continue
            case "..":
                if parts.isEmpty { return nil }
                parts.removeLast()
            default: parts.append(component)
            }
        }
        if parts.isEmpty { return nil }
        return parts.joined(separator: "/")
    }

    /// True when the raw name is `.`/`./` or `/`: the root directory entry that some tars carry.
    public static func isRoot(_ raw: String) -> Bool {
        // Fast answer for the usual name: anything holding a byte other than `.` and `/` is not root.
        if raw.utf8.contains(where: { $0 != UInt8(ascii: ".") && $0 != UInt8(ascii: "/") }) { return false }
        return raw.split(separator: "/").allSatisfy { $0 == "." }
    }

    /// The normal form of a name that needs at most a leading `./` or `/` removed and a trailing
    /// `/` dropped (what tar writers produce), without splitting it; nil when it needs the full
    /// treatment (`.`/`..` components, doubled slashes, or nothing left).
    static func alreadyNormal(_ raw: String) -> String? {
        var utf8 = Substring(raw).utf8
        if utf8.starts(with: "./".utf8) { utf8 = utf8.dropFirst(2) } else if utf8.first == UInt8(ascii: "/") { utf8 = utf8.dropFirst() }
        if utf8.last == UInt8(ascii: "/") { utf8 = utf8.dropLast() }
        guard !utf8.isEmpty else { return nil }
        // Each component must be non-empty and neither `.` nor `..`.
        var componentLength = 0
        var dots = 0
        for byte in utf8 {
            if byte == UInt8(ascii: "/") {
                if componentLength == 0 || componentLength == dots && dots <= 2 { return nil }
                componentLength = 0
                dots = 0
            } else {
                componentLength += 1
                if byte == UInt8(ascii: ".") { dots += 1 }
            }
        }
        if componentLength == dots && dots <= 2 { return nil }
        return String(Substring(utf8))
    }

    /// Classifies a normalised path: a plain path, a removal whiteout (with the removed path),
    /// or an opaque marker (with its directory, "" for the root).
    public static func classify(_ path: String) -> (path: String, whiteout: Whiteout?) {
        let name = basename(path)
        let parent = dirname(path)
        if name == opaqueMarker { return (parent, .opaque) }
        if name.hasPrefix(whiteoutPrefix) {
            let removed = String(name.dropFirst(whiteoutPrefix.count))
            return (parent.isEmpty ? removed : parent + "/" + removed, .removal)
        }
        return (path, nil)
    }

    public static func basename(_ path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return path }
        return String(path[path.index(after: slash)...])
    }

    public static func dirname(_ path: String) -> String {
        // Byte search: `/` is ASCII, so its UTF-8 index is a valid String index, and no grapheme
        // breaking is needed (this runs for every ancestor of every file when stacking layers).
        guard let slash = path.utf8.lastIndex(of: UInt8(ascii: "/")) else { return "" }
        return String(path[..<slash])
    }

    /// True when `path` is `ancestor` or lies below it. The empty ancestor is the root.
    public static func isWithin(_ path: String, _ ancestor: String) -> Bool {
        if ancestor.isEmpty { return true }
        return path == ancestor || (path.hasPrefix(ancestor) && path.utf8.count > ancestor.utf8.count
            && path.utf8[path.utf8.index(path.utf8.startIndex, offsetBy: ancestor.utf8.count)] == UInt8(ascii: "/"))
    }
}
