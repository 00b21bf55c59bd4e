/// Go's `path/filepath.Clean` for slash-separated paths, as BuildKit applies it to
/// `.dockerignore` patterns and to the paths it matches.
enum GoPath {
    static func clean(_ path: String) -> String {
        if path.isEmpty { return "." }
        let rooted = path.hasPrefix("/")
        var parts: [Substring] = []
        for component in path.split(separator: "/", omittingEmptySubsequences: true) {
            if component == "." { continue }
            if component == ".." {
                if let last = parts.last, last != ".." {
                    parts.removeLast()
                } else if !rooted {
                    parts.append(component)
                }
                continue
            }
            parts.append(component)
        }
        let joined = parts.joined(separator: "/")
        if rooted { return "/" + joined }
        return joined.isEmpty ? "." : joined
    }

    /// `filepath.Dir`: everything before the last slash, cleaned ("." when there is none).
    static func dir(_ path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        return clean(String(path[...slash]))
    }
}
