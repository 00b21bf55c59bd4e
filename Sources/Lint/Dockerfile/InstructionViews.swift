/// One `KEY=value` of an ENV, ARG or LABEL instruction.
public struct KeyValue: Sendable, Hashable, Codable {
    public var key: String
    /// The value after quote removal and variable expansion (nil for `ARG NAME` without default).
    public var value: String?
    /// The value exactly as written (quotes, `$VAR` references kept).
    public var raw: String?

    public init(key: String, value: String?, raw: String?) {
        self.key = key
        self.value = value
        self.raw = raw
    }
}

/// A `--mount=…` of a RUN step, parsed (`type=secret,id=npm,target=/root/.npmrc`).
public struct RunMount: Sendable, Hashable, Codable {
    public var type: String
    public var options: [String: String]

    public var target: String? { options["target"] ?? options["dst"] ?? options["destination"] }
    public var id: String? { options["id"] }

    public init(_ spec: String) {
        var options: [String: String] = [:]
        for part in spec.split(separator: ",") {
            if let eq = part.firstIndex(of: "=") {
                options[part[..<eq].lowercased()] = String(part[part.index(after: eq)...])
            } else {
                options[part.lowercased()] = "true"
            }
        }
        self.type = options["type"] ?? "bind"
        self.options = options
    }
}

extension Instruction {
    /// ENV / LABEL / ARG pairs in BuildKit's rules: when the first word has no `=`, the legacy
    /// `ENV KEY value with spaces` form (ARG: `ARG NAME`); otherwise every word is `KEY=value`
    /// with quotes and escapes removed and variables expanded through `lookup`.
    public func keyValues(escape: Character = "\\", lookup: (String) -> String? = { _ in nil }) -> [KeyValue] {
        let words = ShellWords.split(arguments, escape: escape)
        guard let first = words.first else { return [] }
        if keyword == "ARG" {
            return words.map { word in
                guard let eq = word.firstIndex(of: "=") else { return KeyValue(key: word, value: nil, raw: nil) }
                let raw = String(word[word.index(after: eq)...])
                return KeyValue(key: String(word[..<eq]),
                                value: ShellWords.process(raw, escape: escape, lookup: lookup), raw: raw)
            }
        }
        if !first.contains("=") {
            let key = ShellWords.process(first, escape: escape, lookup: { _ in nil })
            var rest = Substring(arguments)
            rest = rest.drop(while: { $0 == " " || $0 == "\t" })
            rest = rest.dropFirst(first.count).drop(while: { $0 == " " || $0 == "\t" })
            let raw = String(rest)
            return [KeyValue(key: key, value: ShellWords.process(raw, escape: escape, lookup: lookup), raw: raw)]
        }
        return words.map { word in
            guard let eq = word.firstIndex(of: "=") else { return KeyValue(key: word, value: nil, raw: nil) }
            let raw = String(word[word.index(after: eq)...])
            let key = ShellWords.process(String(word[..<eq]), escape: escape, lookup: { _ in nil })
            return KeyValue(key: key, value: ShellWords.process(raw, escape: escape, lookup: lookup), raw: raw)
        }
    }

    /// COPY / ADD: sources and destination (exec form or words), heredoc sources named `<<EOF`.
    public func copyPaths(escape: Character = "\\", lookup: (String) -> String? = { _ in nil }) -> (sources: [String], destination: String)? {
        let words = execForm ?? ShellWords.words(arguments, escape: escape, lookup: lookup)
        guard words.count >= 2 else { return nil }
        return (Array(words.dropLast()), words.last!)
    }

    /// RUN mounts (`--mount=type=secret,id=…`).
    public var mounts: [RunMount] { flags(named: "mount").map(RunMount.init) }

    /// True for RUN steps that get a secret through a mount rather than a layer or ARG.
    public var usesSecretMount: Bool { mounts.contains { $0.type == "secret" || $0.type == "ssh" } }
}
