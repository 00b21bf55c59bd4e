/// Normalises tar member names into image paths and recognises whiteouts.
public enum PathNormalizer {
    public static let whiteoutPrefix = ".wh."
    public static let opaqueMarker = ".wh..wh..opq"

    /// `./a//b/../c/` → `a/c`. Returns nil when the path escapes the root (`../x`) or is empty
    /// (the root itself). A path that climbs above the root is hostile: callers report it.
    public static func normalize(_ raw: String) -> String? {
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
        raw.split(separator: "/").allSatisfy { $0 == "." }
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
