/// Private keys in every common container: PEM (PKCS#1, SEC1, PKCS#8, DSA, encrypted), OpenSSH,
/// PuTTY, PGP, JWK, and base64-wrapped PEM (kubeconfig `client-key-data`).
enum PrivateKeyRules {
    static let all: [Rule] = [
        Rule(id: "private-key", title: "Private key", kind: "private_key", severity: .critical, confidence: .high,
             regex: #"(-----BEGIN[ A-Z0-9]{0,40} PRIVATE KEY(?: BLOCK)?-----(?>[A-Za-z0-9+/=:,\\ \t\r\n]++|-(?!----))*+-----END[ A-Z0-9]{0,40} PRIVATE KEY(?: BLOCK)?-----)"#,
             keywords: ["PRIVATE KEY"], secretGroup: 1, validator: .privateKey, window: 16384,
             allowRegexes: [#"-----BEGIN[ A-Z0-9]{0,40} PRIVATE KEY-----(?:\\n|\s)*-----END"#], filterPlaceholders: false,
             priority: 80),
        Rule(id: "putty-private-key", title: "PuTTY private key", kind: "private_key", severity: .critical,
             confidence: .high,
             regex: #"(PuTTY-User-Key-File-[23]: [^\r\n]+\r?\n(?:[^\r\n]*\r?\n){2,40}?Private-MAC: [0-9a-f]+)"#,
             keywords: ["PuTTY-User-Key-File-"], secretGroup: 1, window: 8192, filterPlaceholders: false, priority: 80),
        Rule(id: "jwk-private-key", title: "JSON Web Key with private part", kind: "private_key", severity: .critical,
             confidence: .high,
             regex: #"("d"\s*:\s*"[A-Za-z0-9_\-]{40,}")"#,
             keywords: ["\"d\""], secretGroup: 1, window: 2048, filterPlaceholders: false, priority: 60),
        Rule(id: "private-key-base64", title: "Base64-encoded private key", kind: "private_key", severity: .critical,
             confidence: .high,
             regex: #"(?<![A-Za-z0-9+/])(LS0tLS1CRUdJTi[A-Za-z0-9+/]{60,}={0,2})"#,
             keywords: ["LS0tLS1CRUdJTi"], secretGroup: 1, validator: .base64PrivateKey, window: 16384,
             filterPlaceholders: false, priority: 80),
    ]
}
