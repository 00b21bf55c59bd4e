/// The built-in rule set: provider tables plus generic assignment rules.
public enum BuiltinRules {
    /// Every built-in rule, in priority-independent order.
    public static let all: [Rule] = CloudRules.all + SourceControlRules.all + MessagingRules.all + PaymentRules.all
        + AIRules.all + PackageRules.all + SaaSRules.all + PrivateKeyRules.all + URIRules.all + GenericRules.all

    /// Shorthand for the common provider rule: a token with a fixed prefix, bounded on both sides.
    static func token(_ id: String, _ title: String, kind: String, _ body: String, keywords: [String],
                      severity: Severity = .high, entropy: Double? = 3.0, validator: Validator = .none,
                      confidence: Confidence = .high, priority: Int = 70) -> Rule {
        Rule(id: id, title: title, kind: kind, severity: severity, confidence: confidence,
             regex: #"(?<![A-Za-z0-9_\-])("# + body + #")(?![A-Za-z0-9_\-])"#, keywords: keywords, secretGroup: 1,
             entropy: entropy, validator: validator, window: 300, keywordsCaseSensitive: true, priority: priority)
    }

    /// Keywords for `name` followed by an assignment: an optional closing quote, up to two
    /// blanks, then one of `operators` (`token:`, `"token" :`, `value = "`). Guarding a rule with
    /// these instead of the bare word keeps a common word (`token_len(`, `"value"`) from waking
    /// the rule; odd spacing (three blanks or more) is left to the generic assignment rule.
    static func assignments(of name: String, operators: [String]) -> [String] {
        var out: [String] = []
        for quote in ["", "\"", "'"] {
            for blank in ["", " ", "  ", "\t"] {
                for op in operators {
                    out.append(name + quote + blank + op)
                    if op.count > 1 { out.append(name + quote + blank + op.prefix(1) + " " + op.dropFirst()) }
                }
            }
        }
        return out
    }

    /// A value assigned to one of a provider's documented variable names (`DD_API_KEY=…`).
    static func named(_ id: String, _ title: String, kind: String, names: [String], value: String,
                      severity: Severity = .high, entropy: Double? = 3.0, priority: Int = 45) -> Rule {
        Rule(id: id, title: title, kind: kind, severity: severity, confidence: .medium,
             regex: "(?i)(?<![A-Za-z0-9])(?:" + names.joined(separator: "|") + #")["']?\s*(?:=>|:=|=|:)\s*["']?("# + value
                + #")(?![A-Za-z0-9_\-+/=])"#,
             keywords: names, secretGroup: 1, entropy: entropy, window: 200, priority: priority)
    }

    /// A secret that only means something next to a provider word: `word … = value`.
    static func contextual(_ id: String, _ title: String, kind: String, context: String, value: String,
                           keywords: [String], severity: Severity = .high, entropy: Double? = 3.0,
                           priority: Int = 65) -> Rule {
        Rule(id: id, title: title, kind: kind, severity: severity, confidence: .medium,
             regex: "(?i)" + context + #"[\w.\-]{0,30}["']?\s*(?:=>|:=|=|:|,)\s*["']?("# + value + #")(?![A-Za-z0-9_\-+/=])"#,
             keywords: keywords, secretGroup: 1, entropy: entropy, window: 300, priority: priority)
    }
}
