import Detection
import Foundation
import LayerIndex

/// The detection engine as the image-aware scanner uses it.
extension Detector: ContentMatcher {
    public func scan(bytes: UnsafeRawBufferPointer, path: String) -> [Match] {
        scan(bytes, path: path)
    }

    public func looksSecret(name: String) -> Bool {
        SecretNames.looksSecret(name)
    }

    /// A value given to a secret-looking `ENV`/`ARG`/label name that no rule recognised: reported
    /// as a generic secret with low confidence, unless it is empty, a placeholder or a reference.
    public func genericSecret(name: String, value: String) -> Match? {
        let v = GenericValue.trimmed(value)
        guard !GenericValue.isPlaceholder(v) else { return nil }
        return Match(rule: "generic-secret-build-variable", title: "Value of a secret-named variable", kind: "generic_secret",
                     severity: .medium, confidence: .low, line: 1, column: 1, start: 0, end: v.utf8.count, secret: v,
                     fingerprint: Redaction.fingerprint(v), preview: Redaction.preview(v), notes: ["name": name])
    }
}

/// Judges a bare value assigned to a secret-looking name.
enum GenericValue {
    static func trimmed(_ value: String) -> String {
        var s = Substring(value.trimmingCharacters(in: .whitespaces))
        if s.count >= 2, let f = s.first, f == s.last, f == "\"" || f == "'" { s = s.dropFirst().dropLast() }
        return String(s)
    }

    static let placeholders: Set<String> = [
        "changeme", "change_me", "change-me", "password", "secret", "token", "none", "null", "nil", "true", "false",
        "example", "placeholder", "redacted", "dummy", "test", "default", "todo", "tbd", "undefined", "empty",
        "your_token", "your-token", "yourtoken", "your_password", "your_secret", "your_api_key", "mypassword", "xxx",
    ]

    /// Empty, short, a variable reference (`$X`, `${X}`, `%X%`), a template (`{{x}}`, `<token>`),
    /// a run of one character (`xxxxxxxx`, `********`), or a well-known placeholder word.
    static func isPlaceholder(_ v: String) -> Bool {
        if v.count < 4 { return true }
        let lower = v.lowercased()
        if placeholders.contains(lower) { return true }
        if v.contains("$") || v.contains("{{") || v.contains("%(") { return true }
        if v.hasPrefix("<") && v.hasSuffix(">") { return true }
        if v.hasPrefix("%") && v.hasSuffix("%") { return true }
        if Set(lower.unicodeScalars).count <= 2 { return true }
        if lower.hasPrefix("your") || lower.hasPrefix("replace") || lower.hasPrefix("insert") || lower.hasPrefix("put-") { return true }
        if v.hasPrefix("/") || v.hasPrefix("./") || v.hasPrefix("~/") { return true } // a path to a secret file, not a secret
        return false
    }
}

extension LayerFileScanner {
    /// The scanner for one layer, with the detection engine's rules.
    public convenience init(detector: Detector, layer: Int) {
        self.init(matcher: detector, layer: layer)
    }
}

extension ConfigScanner {
    /// Findings in the config and history, with the detection engine's rules.
    public static func scan(_ image: ImageInfo, detector: Detector) -> [Finding] {
        scan(image, matcher: detector)
    }
}
