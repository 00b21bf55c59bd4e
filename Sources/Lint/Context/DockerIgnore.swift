import Foundation
import LayerIndex

/// A `.dockerignore` with BuildKit's exact semantics (moby/patternmatcher and its ignorefile
/// reader): a line starting with `#` is a comment; blanks are trimmed; `!` marks an exception;
/// patterns are `filepath.Clean`ed and a leading `/` dropped, so every pattern is relative to
/// the context root and a trailing `/` means nothing special; `*` and `?` never cross `/`;
/// `**` crosses any number of directories; patterns are evaluated in order and the last one
/// that matches a path or one of its parent directories decides.
public struct DockerIgnore: Sendable, Hashable {
    /// One compiled pattern.
    public struct Pattern: Sendable, Hashable {
        /// The pattern as BuildKit keeps it (cleaned, leading `/` removed, `!` stripped).
        public var text: String
        public var exclusion: Bool
        /// 1-based line in the .dockerignore file (0 for patterns added in code).
        public var line: Int
        enum Kind: Sendable, Hashable { case exact, prefix, suffix, regex }
        var kind: Kind
        var regex: String?

        /// The line as it would be written back (`!` restored).
        public var written: String { exclusion ? "!" + text : text }
    }

    public private(set) var patterns: [Pattern]

    /// Parses `.dockerignore` text. Throws on an illegal pattern (a lone `!`, an unclosed `[`).
    public init(_ text: String) throws {
        patterns = []
        var lineNumber = 0
        let split = text.unicodeScalars.split(separator: "\n", omittingEmptySubsequences: false)
        for var line in split.map({ String(String.UnicodeScalarView($0)) }) {
            lineNumber += 1
            if lineNumber == 1, line.hasPrefix("\u{FEFF}") { line.removeFirst() }
            if line.unicodeScalars.last == "\r" { line.unicodeScalars.removeLast() }
            if line.hasPrefix("#") { continue }
            try append(line, line: lineNumber)
        }
    }

    /// Patterns given in code (one per element, same rules as file lines).
    public init(patterns lines: [String]) throws {
        patterns = []
        for line in lines where !line.hasPrefix("#") { try append(line, line: 0) }
    }

    /// Reads `DIR/.dockerignore` (or `Dockerfile.dockerignore` next to the Dockerfile when it
    /// exists, as BuildKit prefers); no file means nothing is excluded.
    public static func load(contextDirectory: URL, dockerfile: URL? = nil) throws -> (DockerIgnore, URL?) {
        var candidates: [URL] = []
        if let dockerfile {
            candidates.append(dockerfile.deletingLastPathComponent().appendingPathComponent(dockerfile.lastPathComponent + ".dockerignore"))
        }
        candidates.append(contextDirectory.appendingPathComponent(".dockerignore"))
        for candidate in candidates where FileManager.default.fileExists(atPath: candidate.path) {
            guard let data = FileManager.default.contents(atPath: candidate.path) else {
                throw StrataError("cannot read .dockerignore", path: candidate.path)
            }
            do {
                return (try DockerIgnore(String(decoding: data, as: UTF8.self)), candidate)
            } catch let error as StrataError {
                throw error.with(path: candidate.path)
            }
        }
        return (try DockerIgnore(patterns: []), nil)
    }

    mutating func append(_ raw: String, line: Int) throws {
        var pattern = raw.trimmingCharacters(in: .whitespaces)
        guard !pattern.isEmpty else { return }
        let exclusion = pattern.hasPrefix("!")
        if exclusion { pattern = String(pattern.dropFirst()).trimmingCharacters(in: .whitespaces) }
        if !pattern.isEmpty {
            pattern = GoPath.clean(pattern)
            if pattern.count > 1, pattern.hasPrefix("/") { pattern.removeFirst() }
        }
        // patternmatcher cleans again (a no-op now) and rejects an empty exception.
        if exclusion, pattern.isEmpty {
            throw StrataError(".dockerignore line \(line): illegal exclusion pattern: \"!\"")
        }
        if !pattern.isEmpty { pattern = GoPath.clean(pattern) }
        let (kind, regex) = try Self.compile(pattern, line: line)
        patterns.append(Pattern(text: pattern, exclusion: exclusion, line: line, kind: kind, regex: regex))
    }

    /// patternmatcher's `compile`: exact / prefix (`dir/**`) / suffix (`**/name`) / regexp.
    static func compile(_ pattern: String, line: Int) throws -> (Pattern.Kind, String?) {
        let chars = Array(pattern)
        var regex = "^"
        var kind = Pattern.Kind.exact
        var i = 0
        var index = 0
        var classDepth = 0
        while i < chars.count {
            defer { index += 1 }
            let ch = chars[i]
            i += 1
            if ch == "*" {
                if i < chars.count, chars[i] == "*" {
                    i += 1
                    if i < chars.count, chars[i] == "/" { i += 1 }
                    if i >= chars.count {
                        if kind == .exact { kind = .prefix } else { regex += ".*"; kind = .regex }
                    } else {
                        regex += "(.*/)?"
                        kind = .regex
                    }
                    if index == 0 { kind = .suffix }
                } else {
                    regex += "[^/]*"
                    kind = .regex
                }
            } else if ch == "?" {
                regex += "[^/]"
                kind = .regex
            } else if ".+()|{}$".contains(ch) {
                regex += "\\" + String(ch)
            } else if ch == "\\" {
                // An escaped character makes the pattern a regexp (so `\*` matches a literal `*`);
                // a trailing backslash is a syntax error for filepath.Match, which BuildKit checks first.
                guard i < chars.count else {
                    throw StrataError(".dockerignore line \(line): syntax error in pattern \(pattern)")
                }
                regex += "\\" + String(chars[i])
                i += 1
                kind = .regex
            } else if ch == "[" || ch == "]" {
                if ch == "[" { classDepth += 1 } else if classDepth > 0 { classDepth -= 1 }
                regex += String(ch)
                kind = .regex
            } else {
                regex += String(ch)
            }
        }
        if classDepth != 0 {
            throw StrataError(".dockerignore line \(line): syntax error in pattern \(pattern)")
        }
        guard kind == .regex else { return (kind, nil) }
        // Go's regexp is linear-time; ICU backtracks. Runs of `(.*/)?` or `[^/]*` match the
        // same as one, so collapse them: a hostile `**/**/**/…` cannot blow up matching.
        for group in ["(.*/)?", "[^/]*"] {
            while regex.contains(group + group) { regex = regex.replacingOccurrences(of: group + group, with: group) }
        }
        regex += "$"
        guard (try? NSRegularExpression(pattern: regex)) != nil else {
            throw StrataError(".dockerignore line \(line): syntax error in pattern \(pattern)")
        }
        return (kind, regex)
    }

    static func matches(_ pattern: Pattern, _ path: String) -> Bool {
        switch pattern.kind {
        case .exact:
            return path == pattern.text
        case .prefix:
            return path.hasPrefix(String(pattern.text.dropLast(2)))
        case .suffix:
            let suffix = String(pattern.text.dropFirst(2))
            if path.hasSuffix(suffix) { return true }
            return suffix.hasPrefix("/") && path == String(suffix.dropFirst())
        case .regex:
            guard let source = pattern.regex, let regex = RegexCache.shared.regex(source) else { return false }
            return regex.firstMatch(in: path, range: NSRange(path.startIndex..., in: path)) != nil
        }
    }

    /// The decision for one context-relative path (`a/b/.env`): excluded or not, and the
    /// pattern that decided it (nil when no pattern matched).
    public func evaluate(_ path: String) -> (excluded: Bool, decidedBy: Pattern?) {
        let file = GoPath.clean(path.hasPrefix("/") ? String(path.dropFirst()) : path)
        let parent = GoPath.dir(file)
        let parentDirs = parent.split(separator: "/").map(String.init)
        var matched = false
        var decider: Pattern? = nil
        for pattern in patterns {
            if pattern.exclusion != matched { continue }
            var match = Self.matches(pattern, file)
            if !match, parent != "." {
                for i in parentDirs.indices {
                    if Self.matches(pattern, parentDirs[...i].joined(separator: "/")) { match = true; break }
                }
            }
            if match {
                matched = !pattern.exclusion
                decider = pattern
            }
        }
        return (matched, decider)
    }

    /// True when BuildKit leaves this context-relative path out of the build context.
    public func excludes(_ path: String) -> Bool { evaluate(path).excluded }
}

/// Compiled regexes by source: patterns are re-evaluated for every file of a context.
final class RegexCache: @unchecked Sendable {
    static let shared = RegexCache()
    private var cache: [String: NSRegularExpression] = [:]
    private let lock = NSLock()

    func regex(_ source: String) -> NSRegularExpression? {
        lock.lock()
        defer { lock.unlock() }
        if let cached = cache[source] { return cached }
        guard let compiled = try? NSRegularExpression(pattern: source) else { return nil }
        cache[source] = compiled
        return compiled
    }
}
