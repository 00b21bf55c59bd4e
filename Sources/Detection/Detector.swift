import Foundation

/// The detection engine: a compiled rule set that turns bytes and a path into `Match` values.
///
/// Built once (``standard()`` is cached per process) and shared: `scan` may be called from
/// several threads at once. Keywords of every rule go into one Vectorscan database; only a
/// window around each keyword hit is matched with the rule's PCRE2 pattern. The built-in
/// rules compile on a thread of their own while the caller opens the image and consults the
/// cache; the first scan waits for them.
public final class Detector: @unchecked Sendable {
    /// The rules, in the order given.
    public let rules: [Rule]
    /// Global allow-list (a custom config's top-level `[allowlist]`): secrets matching these are dropped.
    public let globalAllow: Allowlist
    /// Stable hash of the rule set and engine version: the cache key for stored results.
    public let rulesetVersion: String

    private let readiness = NSCondition()
    private var built: CompiledRuleSet?

    /// The compiled rules (waits while they are still being compiled).
    var engine: CompiledRuleSet {
        readiness.lock()
        defer { readiness.unlock() }
        while built == nil { readiness.wait() }
        return built!
    }

    /// Bumped whenever matching logic changes in a way that changes results for the same rules.
    static let engineVersion = "strata-detect-1"

    /// A detector over `rules` (plus an optional global allow-list), compiled now: a bad
    /// pattern throws here.
    /// A `store` keeps the compiled keyword database between runs.
    public init(rules: [Rule], allowlist: Allowlist = Allowlist(), store: CompiledDatabaseStore? = nil) throws {
        self.rules = rules
        self.globalAllow = allowlist
        self.rulesetVersion = Detector.hash(rules: rules, allowlist: allowlist)
        self.built = try CompiledRuleSet(rules: rules, allowlist: allowlist, store: store)
    }

    /// A detector over rules known to compile (the built-in set, checked by the tests),
    /// compiled on a background thread.
    init(compilingInBackground rules: [Rule], store: CompiledDatabaseStore? = nil) {
        self.rules = rules
        self.globalAllow = Allowlist()
        self.rulesetVersion = Detector.hash(rules: rules, allowlist: Allowlist())
        let thread = Thread { [self] in
            let compiled: CompiledRuleSet
            do {
                compiled = try CompiledRuleSet(rules: rules, allowlist: Allowlist(), store: store)
            } catch {
                preconditionFailure("built-in rules do not compile: \(error)")
            }
            readiness.lock()
            built = compiled
            readiness.broadcast()
            readiness.unlock()
        }
        thread.name = "strata-rules"
        thread.start()
    }

    private var bufferPool: [MatchBuffer] = []
    private let bufferLock = NSLock()

    /// A match buffer (match data, JIT stack) for one scan; returned with `recycle`.
    func borrowBuffer() -> MatchBuffer {
        bufferLock.lock()
        if let b = bufferPool.popLast() { bufferLock.unlock(); return b }
        bufferLock.unlock()
        return MatchBuffer(pairs: engine.maxCaptures + 2)
    }

    func recycle(_ buffer: MatchBuffer) {
        bufferLock.lock()
        if bufferPool.count < 64 { bufferPool.append(buffer) }
        bufferLock.unlock()
    }

    nonisolated(unsafe) private static var cached: Detector?
    private static let cacheLock = NSLock()

    /// The built-in rules, compiled once per process. The first call's `store` (if any) keeps
    /// their keyword database between runs; later calls return the same detector.
    public static func standard(store: CompiledDatabaseStore? = nil) throws -> Detector {
        cacheLock.lock()
        defer { cacheLock.unlock() }
        if let cached { return cached }
        let detector = Detector(compilingInBackground: BuiltinRules.all, store: store)
        cached = detector
        return detector
    }

    /// Rules from a gitleaks/betterleaks TOML file; with `extendDefault` (or `[extend] useDefault
    /// = true` in the file) the built-in rules are kept and the file's rules added.
    public static func withCustomConfig(_ tomlURL: URL, extendDefault: Bool, store: CompiledDatabaseStore? = nil) throws -> Detector {
        let text: String
        do {
            text = try String(contentsOf: tomlURL, encoding: .utf8)
        } catch {
            throw DetectionError.config("\(tomlURL.path): cannot read: \(error.localizedDescription)")
        }
        let config = try CustomRuleConfig.parse(text, source: tomlURL.lastPathComponent)
        var rules = config.rules
        if extendDefault || config.useDefault {
            let replaced = Set(rules.map(\.id))
            rules = BuiltinRules.all.filter { !replaced.contains($0.id) } + rules
        }
        return try Detector(rules: rules, allowlist: config.allowlist, store: store)
    }

    private static func hash(rules: [Rule], allowlist: Allowlist) -> String {
        // Plain text rather than JSONEncoder: this runs at every start, before the cache can be
        // asked anything, and encoding 238 rules as JSON costs several milliseconds.
        var text = engineVersion
        for rule in rules { text += "\u{1E}" + rule.canonicalText }
        text += "\u{1E}" + [allowlist.regexes, allowlist.paths, allowlist.stopwords].map { $0.joined(separator: "\u{1D}") }
            .joined(separator: "\u{1F}")
        return "rules:" + Redaction.sha256Hex(Data(text.utf8)).prefix(16)
    }
}

extension Rule {
    /// How many stored properties `canonicalText` covers (a test holds it to the real count, so
    /// a new field cannot be left out of the cache key).
    static let canonicalFieldCount = 19

    /// Every field, in a fixed order: what the ruleset hash is made of.
    var canonicalText: String {
        func list(_ items: [String]) -> String { items.joined(separator: "\u{1D}") }
        func opt<T>(_ value: T?) -> String { value.map { "\($0)" } ?? "\u{18}" }
        let fields: [String] = [
            id, title, kind, severity.rawValue, confidence.rawValue, regex, list(keywords), opt(secretGroup),
            opt(entropy), validator.rawValue, String(window), String(keywordsCaseSensitive), String(anchorAtName),
            opt(path), list(allowRegexes), list(stopwords), String(filterPlaceholders), String(priority),
            list(notes.keys.sorted().map { $0 + "=" + notes[$0]! }),
        ]
        return fields.joined(separator: "\u{1F}")
    }
}

/// Secrets or paths that are never reported (a config's top-level `[allowlist]`).
public struct Allowlist: Sendable, Hashable, Codable {
    /// Patterns tested against each secret.
    public var regexes: [String]
    /// Patterns tested against the input path.
    public var paths: [String]
    /// Case-insensitive words: a secret containing one is dropped.
    public var stopwords: [String]

    public init(regexes: [String] = [], paths: [String] = [], stopwords: [String] = []) {
        self.regexes = regexes
        self.paths = paths
        self.stopwords = stopwords
    }
}

/// A rule set compiled: each rule's PCRE2 pattern and one Vectorscan database of every keyword.
final class CompiledRuleSet: @unchecked Sendable {
    let compiled: [CompiledRule]
    let prefilter: KeywordPrefilter?
    /// Keyword id → indices of rules that use it.
    let keywordRules: [[Int]]
    /// Rules without keywords: run over the whole input.
    let unguardedRules: [Int]
    let globalAllowPatterns: [PCRE2Pattern]
    let globalAllowPaths: [PCRE2Pattern]
    let maxCaptures: Int

    init(rules: [Rule], allowlist: Allowlist, store: CompiledDatabaseStore? = nil) throws {
        var compiled: [CompiledRule] = []
        var keywordIDs: [String: Int] = [:]
        var keywordList: [(String, Bool)] = []
        var keywordRules: [[Int]] = []
        var unguarded: [Int] = []
        for (index, rule) in rules.enumerated() {
            compiled.append(try CompiledRule(rule))
            let exact = rule.keywordsCaseSensitive
            let keywords = Set(rule.keywords.map { exact ? $0 : $0.lowercased() }.filter { !$0.isEmpty })
            if keywords.isEmpty { unguarded.append(index); continue }
            for k in keywords.sorted() {
                let key = (exact ? "=" : "~") + k
                if let id = keywordIDs[key] {
                    keywordRules[id].append(index)
                } else {
                    keywordIDs[key] = keywordList.count
                    keywordList.append((k, exact))
                    keywordRules.append([index])
                }
            }
        }
        self.compiled = compiled
        self.keywordRules = keywordRules
        self.unguardedRules = unguarded
        self.prefilter = keywordList.isEmpty ? nil : try KeywordPrefilter(keywords: keywordList, store: store)
        self.globalAllowPatterns = try allowlist.regexes.map { try PCRE2Pattern($0, ruleID: "allowlist") }
        self.globalAllowPaths = try allowlist.paths.map { try PCRE2Pattern($0, ruleID: "allowlist") }
        self.maxCaptures = (compiled.map(\.pattern.captureCount).max() ?? 0) + 1
    }
}

/// A rule with its patterns compiled.
final class CompiledRule: @unchecked Sendable {
    let rule: Rule
    let pattern: PCRE2Pattern
    let secretGroup: Int
    let nameGroup: Int?
    let userGroup: Int?
    let allow: [PCRE2Pattern]
    let path: PCRE2Pattern?
    let stopwords: [String]

    init(_ rule: Rule) throws {
        self.rule = rule
        pattern = try PCRE2Pattern(rule.regex, ruleID: rule.id)
        if let g = rule.secretGroup {
            guard g <= pattern.captureCount else {
                throw DetectionError.badPattern(rule: rule.id, message: "secretGroup \(g) but only \(pattern.captureCount) groups")
            }
            secretGroup = g
        } else if let named = pattern.groupNumber(named: "secret") {
            secretGroup = named
        } else {
            secretGroup = pattern.captureCount >= 1 ? 1 : 0
        }
        nameGroup = pattern.groupNumber(named: "name")
        userGroup = pattern.groupNumber(named: "user")
        allow = try rule.allowRegexes.map { try PCRE2Pattern($0, ruleID: rule.id) }
        path = try rule.path.map { try PCRE2Pattern($0, ruleID: rule.id) }
        stopwords = rule.stopwords.map { $0.lowercased() }
    }
}
