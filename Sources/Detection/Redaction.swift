import Foundation
import LayerIndex

/// Redacted previews and stable fingerprints of secrets: what every output shows unless the
/// user asks to see secrets.
public enum Redaction {
    /// Well-known prefixes that identify a token's kind without revealing it.
    static let knownPrefixes = [
        "github_pat_", "ghp_", "gho_", "ghu_", "ghs_", "ghr_", "glpat-", "gldt-", "glrt-", "glptt-", "glsoat-",
        "xoxb-", "xoxp-", "xoxa-", "xoxr-", "xoxs-", "xapp-", "sk_live_", "sk_test_", "rk_live_", "rk_test_",
        "sk-ant-api03-", "sk-ant-admin01-", "sk-ant-", "sk-proj-", "sk-svcacct-", "sk-", "npm_", "pypi-",
        "dckr_pat_", "AKIA", "ASIA", "AIza", "SG.", "SK", "eyJ", "hf_", "shpat_", "shpss_", "pscale_", "doo_v1_",
        "dop_v1_", "-----BEGIN",
    ]

    /// A display form that never reveals the secret: a recognisable prefix (or the first 4
    /// characters of long values), the rest masked, and the length, e.g. `ghp_****…(40 chars)`.
    public static func preview(_ secret: String) -> String {
        let count = secret.count
        var shown = ""
        if let prefix = knownPrefixes.first(where: { secret.hasPrefix($0) }), prefix.count < count {
            shown = prefix
        } else if count >= 16 {
            shown = String(secret.prefix(4))
        } else if count >= 10 {
            shown = String(secret.prefix(2))
        }
        shown = shown.map { $0.isASCII && !$0.isWhitespace && $0.asciiValue! >= 0x20 ? String($0) : "?" }.joined()
        return "\(shown)****…(\(count) chars)"
    }

    /// `sha256:` of the secret's UTF-8 bytes: the same secret gives the same fingerprint everywhere.
    public static func fingerprint(_ secret: String) -> String {
        "sha256:" + sha256Hex(Data(secret.utf8))
    }

    static func sha256Hex(_ data: Data) -> String {
        SHA256Hasher.hex(of: data)
    }
}
