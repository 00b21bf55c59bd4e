import LayerIndex

/// An image in a registry, as users write it: `docker://HOST[:PORT]/REPO[:TAG|@DIGEST]`,
/// `HOST/REPO:TAG`, `HOST/REPO@sha256:…`, or a Docker Hub short name (`alpine`, `user/app:1`).
///
/// The first path component is a registry host when it contains `.` or `:` or is `localhost`
/// (the rule the docker CLI uses); otherwise the image is on Docker Hub and one-component names
/// live under `library/`.
public struct ImageReference: Hashable, Sendable, CustomStringConvertible {
    /// The registry as named: `docker.io`, `localhost:5000`, `127.0.0.1:5000`, `ghcr.io`.
    public var registry: String
    /// The repository path: `library/alpine`, `team/app`.
    public var repository: String
    /// The tag; `latest` when neither tag nor digest was given.
    public var tag: String?
    /// The manifest digest, when pinned; it wins over the tag.
    public var digest: Digest?

    public static let dockerHub = "docker.io"
    /// Where Docker Hub's v2 API actually answers.
    public static let dockerHubEndpoint = "registry-1.docker.io"

    public init(registry: String, repository: String, tag: String? = nil, digest: Digest? = nil) {
        self.registry = registry
        self.repository = repository
        self.tag = tag ?? (digest == nil ? "latest" : nil)
        self.digest = digest
    }

    /// The host (with port) the v2 API is reached at.
    public var endpoint: String { registry == Self.dockerHub ? Self.dockerHubEndpoint : registry }

    /// What the manifest is fetched by: the digest when pinned, else the tag.
    public var manifestReference: String { digest?.description ?? tag ?? "latest" }

    /// `registry/repository[:tag][@digest]`, fully qualified.
    public var description: String {
        var text = "\(registry)/\(repository)"
        if let tag { text += ":\(tag)" }
        if let digest { text += "@\(digest)" }
        return text
    }

    /// The same image pinned to another manifest (an index's child).
    public func pinned(to digest: Digest) -> ImageReference {
        var copy = self
        copy.digest = digest
        return copy
    }

    /// Parses a reference. `docker://` is optional; without it, text that names a local file
    /// (`./x`, `/abs`, `~/x`, `x.tar`) or carries another transport (`oci:`, `docker-archive:`)
    /// is refused, so local sources are never mistaken for images in a registry.
    public static func parse(_ text: String) throws -> ImageReference {
        var rest = Substring(text)
        let explicit = rest.hasPrefix("docker://")
        if explicit { rest = rest.dropFirst("docker://".count) }
        func fail(_ why: String) -> StrataError {
            StrataError("not an image reference: \(why)", image: text)
        }
        guard !rest.isEmpty else { throw fail("empty") }
        if !explicit, let why = localLookingReason(String(rest)) { throw fail(why) }

        // Digest first: `@` cannot appear anywhere else.
        var digest: Digest?
        if let at = rest.firstIndex(of: "@") {
            let digestText = String(rest[rest.index(after: at)...])
            guard let parsed = Digest(parsing: digestText), parsed.algorithm == "sha256" else {
                throw fail("bad digest \(digestText)")
            }
            digest = parsed
            rest = rest[..<at]
        }
        // Split off the registry host.
        var registry = dockerHub
        if let slash = rest.firstIndex(of: "/") {
            let first = rest[..<slash]
            if first.contains(".") || first.contains(":") || first == "localhost" {
                guard isValidHost(first) else { throw fail("bad registry host \(first)") }
                registry = String(first)
                rest = rest[rest.index(after: slash)...]
            }
        }
        if registry == "index.docker.io" || registry == "registry-1.docker.io" { registry = dockerHub }
        // Tag: after the last `:` of the last path component.
        var tag: String?
        let lastSlash = rest.lastIndex(of: "/")
        let lastComponentStart = lastSlash.map { rest.index(after: $0) } ?? rest.startIndex
        if let colon = rest[lastComponentStart...].lastIndex(of: ":") {
            let tagText = String(rest[rest.index(after: colon)...])
            guard isValidTag(tagText) else { throw fail("bad tag \(tagText)") }
            tag = tagText
            rest = rest[..<colon]
        }
        var repository = String(rest)
        guard isValidRepository(repository) else { throw fail("bad repository name \(repository)") }
        if registry == dockerHub && !repository.contains("/") { repository = "library/" + repository }
        return ImageReference(registry: registry, repository: repository, tag: tag, digest: digest)
    }

    /// Why bare text looks like a local path rather than a reference, or nil.
    public static func localLookingReason(_ text: String) -> String? {
        if text.hasPrefix("/") || text.hasPrefix("./") || text.hasPrefix("../") || text.hasPrefix("~")
            || text == "." || text == ".." {
            return "a local path"
        }
        for transport in ["docker-archive:", "oci:", "oci-archive:", "dir:", "containers-storage:", "docker-daemon:"]
            where text.hasPrefix(transport) {
            return "a \(transport.dropLast()) source"
        }
        let lower = text.lowercased()
        for suffix in [".tar", ".tar.gz", ".tgz", ".tar.zst", ".gz", ".zst", ".json"] where lower.hasSuffix(suffix) {
            return "a local file name (\(suffix))"
        }
        return nil
    }

    /// Repository grammar: components `[a-z0-9]+` joined by `.`, `_`, `__` or a run of `-`.
    static func isValidRepository(_ name: String) -> Bool {
        guard !name.isEmpty, name.utf8.count <= 255 else { return false }
        for component in name.split(separator: "/", omittingEmptySubsequences: false) {
            guard let first = component.first, let last = component.last,
                  isAlnumLower(first), isAlnumLower(last) else { return false }
            var separator = ""
            for c in component {
                if isAlnumLower(c) {
                    if !separator.isEmpty {
                        let ok = separator == "." || separator == "_" || separator == "__"
                            || separator.allSatisfy { $0 == "-" }
                        guard ok else { return false }
                        separator = ""
                    }
                } else if c == "." || c == "_" || c == "-" {
                    separator.append(c)
                } else {
                    return false
                }
            }
        }
        return true
    }

    static func isAlnumLower(_ c: Character) -> Bool {
        c.isASCII && (c.isNumber || (c.isLetter && c.isLowercase))
    }

    static func isValidTag(_ tag: String) -> Bool {
        guard let first = tag.first, tag.count <= 128 else { return false }
        guard first.isASCII && (first.isLetter || first.isNumber || first == "_") else { return false }
        return tag.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_" || $0 == "." || $0 == "-") }
    }

    /// `name[.name…][:port]` or `[v6addr][:port]`.
    public static func isValidHost<S: StringProtocol>(_ host: S) -> Bool {
        var name = Substring(host)
        if name.hasPrefix("[") {
            guard let close = name.firstIndex(of: "]") else { return false }
            let inside = name[name.index(after: name.startIndex)..<close]
            guard !inside.isEmpty, inside.allSatisfy({ $0.isHexDigit || $0 == ":" || $0 == "." }) else { return false }
            name = name[name.index(after: close)...]
            if name.isEmpty { return true }
            guard name.hasPrefix(":") else { return false }
            return isValidPort(name.dropFirst())
        }
        if let colon = name.firstIndex(of: ":") {
            guard isValidPort(name[name.index(after: colon)...]) else { return false }
            name = name[..<colon]
        }
        guard !name.isEmpty, !name.hasPrefix("."), !name.hasSuffix("."), !name.hasPrefix("-"), !name.contains("..") else { return false }
        return name.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "." || $0 == "-") }
    }

    static func isValidPort(_ text: Substring) -> Bool {
        guard !text.isEmpty, text.count <= 5, text.allSatisfy({ $0.isASCII && $0.isNumber }),
              let port = Int(text), port > 0, port < 65536 else { return false }
        return true
    }
}
