import Detection

/// Manual pages, info pages and package documentation are full of example credentials
/// (`password string` in `apt_auth.conf(5)`, `https://user:debian@…`): matches of context-based
/// rules there (assignments to sensitive names, passwords in URLs and directives) are kept but
/// lowered to `low`, below the default `--fail-on`. A match of a provider format (a GitHub,
/// AWS or Slack token, a private key) keeps its severity wherever it is.
public enum DocumentationPaths {
    static let prefixes = ["usr/share/man/", "usr/share/doc/", "usr/share/info/", "usr/share/help/", "usr/local/share/man/",
                           "usr/share/gtk-doc/", "usr/share/doc-base/", "usr/local/man/"]

    /// True for a path (in an image or a root filesystem) under a documentation directory.
    public static func isDocumentation(_ path: String) -> Bool {
        prefixes.contains { path.hasPrefix($0) }
    }

    /// True for rules that judge by context rather than by a token format.
    static func isContextual(_ match: Match) -> Bool {
        match.kind.hasPrefix("generic") || match.kind.contains("basic_auth") || match.rule.hasPrefix("generic")
            || match.rule.contains("basic-auth") || match.rule.hasPrefix("netrc") || match.rule.hasPrefix("cli-")
    }

    /// The match as reported from `path`: contextual matches in documentation lowered to `low`.
    public static func adjust(_ match: Match, path: String) -> Match {
        guard match.severity > .low, isDocumentation(path), isContextual(match) else { return match }
        var m = match
        m.severity = .low
        m.notes["lowered"] = "documentation path"
        return m
    }
}
