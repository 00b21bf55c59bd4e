/// A gitleaks / betterleaks rules file: `[[rules]]` (id, description, regex, keywords, entropy,
/// secretGroup, path, allowlist/allowlists), `[extend] useDefault`, top-level `[allowlist]` or
/// `[[allowlists]]`. Allow-lists apply to the secret; `regexTarget = "match"|"line"` is treated
/// as the secret too (the secret is part of both, so this only ever allows less).
public struct CustomRuleConfig: Sendable {
    public var rules: [Rule]
    public var allowlist: Allowlist
    public var useDefault: Bool

    public static func parse(_ text: String, source: String) throws -> CustomRuleConfig {
        var parser = TOMLParser(text, source: source)
        let root = try parser.parse()
        let useDefault = root["extend"]?.table?["useDefault"]?.bool ?? false
        var allow = Allowlist()
        for table in (root["allowlist"]?.tables ?? []) + (root["allowlists"]?.tables ?? []) {
            allow.regexes += table["regexes"]?.stringArray ?? []
            allow.paths += table["paths"]?.stringArray ?? []
            allow.stopwords += table["stopwords"]?.stringArray ?? []
        }
        var rules: [Rule] = []
        for (n, table) in (root["rules"]?.tables ?? []).enumerated() {
            guard let id = table["id"]?.string, !id.isEmpty else {
                throw DetectionError.config("\(source): rule #\(n + 1) has no id")
            }
            guard let regex = table["regex"]?.string, !regex.isEmpty else {
                throw DetectionError.config("\(source): rule \(id) has no regex (path-only rules are not supported)")
            }
            var ruleAllow: [String] = []
            var stopwords: [String] = []
            var allowPaths: [String] = []
            for a in (table["allowlist"]?.tables ?? []) + (table["allowlists"]?.tables ?? []) {
                ruleAllow += a["regexes"]?.stringArray ?? []
                stopwords += a["stopwords"]?.stringArray ?? []
                allowPaths += a["paths"]?.stringArray ?? []
            }
            var path = table["path"]?.string
            if !allowPaths.isEmpty {
                // Fold path allow-lists into the rule's path pattern as a negative lookahead.
                let excluded = allowPaths.map { "(?:\($0))" }.joined(separator: "|")
                path = "^(?!.*(?:\(excluded)))" + (path.map { "(?=.*(?:\($0)))" } ?? "")
            }
            let severity = table["severity"]?.string.flatMap { Severity(rawValue: $0.lowercased()) } ?? .high
            rules.append(Rule(id: id, title: table["description"]?.string ?? id, kind: id, severity: severity,
                              confidence: .medium, regex: translate(regex), keywords: table["keywords"]?.stringArray ?? [],
                              secretGroup: table["secretGroup"]?.number.map { Int($0) }, entropy: table["entropy"]?.number,
                              window: 1024, path: path, allowRegexes: ruleAllow.map(translate), stopwords: stopwords,
                              filterPlaceholders: false, priority: 55))
        }
        return CustomRuleConfig(rules: rules, allowlist: allow, useDefault: useDefault)
    }

    /// Go RE2 → PCRE2: the syntaxes agree except for `\z` (same), `(?P<n>` (PCRE2 accepts it)
    /// and RE2's `\C`; the one common difference is a literal `{` PCRE2 may read as a quantifier
    /// — PCRE2 treats non-quantifier braces as literals too, so nothing needs escaping.
    static func translate(_ goRegex: String) -> String {
        goRegex
    }
}
