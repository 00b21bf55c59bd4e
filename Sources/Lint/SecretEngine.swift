import Detection
import Foundation

/// What lint needs from secret detection: matches in a text, whether a variable name looks
/// secret, and a redacted preview. `DetectionSecretEngine` adapts the shared Detection engine;
/// tests may inject their own.
public protocol LintSecretEngine: Sendable {
    /// Secrets found in `text` (lines and columns 1-based within `text`).
    func scan(text: String, path: String) -> [Match]
    /// True when a variable or key name suggests it carries a credential (`NPM_TOKEN`, `DB_PASSWORD`).
    func looksSecret(name: String) -> Bool
    /// A redacted form of a secret for display.
    func preview(_ secret: String) -> String
}

extension LintSecretEngine {
    /// The `preview` or the raw value, depending on `--show-secrets`.
    func display(_ secret: String, showSecrets: Bool) -> String {
        showSecrets ? secret : preview(secret)
    }
}

/// Name heuristics shared by every engine: the words of a name (split on `_`, `-`, `.` and
/// camel case) include a credential word, and none that marks it as a non-secret companion.
enum SecretNameHeuristic {
    static let secretWords: Set<String> = [
        "token", "secret", "secrets", "password", "passwd", "pass", "pwd", "apikey", "credential",
        "credentials", "creds", "auth", "authtoken", "pat", "privatekey", "accesskey", "secretkey",
        "clientsecret", "passphrase", "sessiontoken", "key",
    ]
    /// A name ending in one of these holds where a secret is, not the secret itself.
    static let companionWords: Set<String> = [
        "file", "path", "dir", "directory", "name", "user", "username", "id", "length", "len", "type",
        "url", "host", "endpoint", "header", "env", "ttl", "version", "enabled", "algorithm", "mode", "size",
        "location", "src", "target", "method",
    ]
    static let publicWords: Set<String> = ["public", "pub", "gpg", "fingerprint"]

    static func words(_ name: String) -> [String] {
        var words: [String] = []
        var current = ""
        var previousLower = false
        for c in name {
            if c == "_" || c == "-" || c == "." {
                if !current.isEmpty { words.append(current.lowercased()); current = "" }
                previousLower = false
                continue
            }
            if c.isUppercase, previousLower, !current.isEmpty { words.append(current.lowercased()); current = "" }
            current.append(c)
            previousLower = c.isLowercase
        }
        if !current.isEmpty { words.append(current.lowercased()) }
        return words
    }

    static func looksSecret(_ name: String) -> Bool {
        let parts = words(name)
        guard let last = parts.last else { return false }
        if parts.contains(where: publicWords.contains) { return false }
        if companionWords.contains(last) { return false }
        // `key` alone is too broad (`KEY=value`, `CACHE_KEY`): only with a qualifier.
        let joined = parts.joined()
        if ["apikey", "accesskey", "secretkey", "privatekey", "signingkey", "masterkey", "encryptionkey",
            "licensekey", "deploykey"].contains(where: { joined.contains($0) }) { return true }
        return parts.contains { $0 != "key" && secretWords.contains($0) }
    }
}

/// The engine lint uses unless told otherwise: the shared Detection engine, or lint's built-in
/// rules if that engine cannot be compiled on this system (never silently nothing).
public func defaultSecretEngine() -> any LintSecretEngine {
    (try? DetectionSecretEngine.standard()) ?? BuiltinSecretEngine()
}
