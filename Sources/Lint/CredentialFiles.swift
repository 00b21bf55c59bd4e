/// What a credential-looking path is, and how to keep it out of an image.
public struct CredentialFile: Sendable, Hashable, Codable {
    /// Short kind: `npmrc`, `aws-credentials`, `ssh`, `private-key`, `dotenv`, `netrc`, …
    public var kind: String
    /// Human description ("npm credentials file").
    public var title: String
    /// The secret id and mount target for `RUN --mount=type=secret` when the file is needed at build time.
    public var mountID: String
    public var mountTarget: String?
}

/// Name rules for credential files and directories, shared by `lint` and `context check`.
public enum CredentialFiles {
    /// The patterns `context check --fix` always proposes (root-relative, BuildKit semantics).
    public static let defaultIgnorePatterns = [
        ".env", ".env.*", ".aws/", ".ssh/", "*.pem", "*.key", "*_rsa", "*_dsa", "credentials", "secrets/",
        ".npmrc", ".pypirc", ".netrc", ".git-credentials", ".docker/config.json", "kubeconfig", ".kube/",
    ]

    /// Directory names whose contents are credentials.
    static let directories: [String: CredentialFile] = [
        ".ssh": CredentialFile(kind: "ssh", title: "SSH key directory", mountID: "ssh", mountTarget: nil),
        ".aws": CredentialFile(kind: "aws-credentials", title: "AWS credentials directory", mountID: "aws", mountTarget: "/root/.aws/credentials"),
        ".gnupg": CredentialFile(kind: "gnupg", title: "GnuPG keyring", mountID: "gnupg", mountTarget: "/root/.gnupg"),
        ".kube": CredentialFile(kind: "kubeconfig", title: "Kubernetes config directory", mountID: "kubeconfig", mountTarget: "/root/.kube/config"),
        "secrets": CredentialFile(kind: "secrets-dir", title: "secrets directory", mountID: "secrets", mountTarget: nil),
        "creds": CredentialFile(kind: "secrets-dir", title: "credentials directory", mountID: "creds", mountTarget: nil),
        "credentials": CredentialFile(kind: "secrets-dir", title: "credentials directory", mountID: "credentials", mountTarget: nil),
    ]

    /// Exact file names.
    static let names: [String: CredentialFile] = [
        ".npmrc": CredentialFile(kind: "npmrc", title: "npm credentials file", mountID: "npmrc", mountTarget: "/root/.npmrc"),
        ".yarnrc.yml": CredentialFile(kind: "npmrc", title: "Yarn credentials file", mountID: "yarnrc", mountTarget: "/root/.yarnrc.yml"),
        ".pypirc": CredentialFile(kind: "pypirc", title: "PyPI credentials file", mountID: "pypirc", mountTarget: "/root/.pypirc"),
        "pip.conf": CredentialFile(kind: "pip-conf", title: "pip config (index credentials)", mountID: "pipconf", mountTarget: "/root/.config/pip/pip.conf"),
        ".netrc": CredentialFile(kind: "netrc", title: ".netrc credentials", mountID: "netrc", mountTarget: "/root/.netrc"),
        "_netrc": CredentialFile(kind: "netrc", title: ".netrc credentials", mountID: "netrc", mountTarget: "/root/.netrc"),
        "netrc": CredentialFile(kind: "netrc", title: ".netrc credentials", mountID: "netrc", mountTarget: "/root/.netrc"),
        ".git-credentials": CredentialFile(kind: "git-credentials", title: "git credential store", mountID: "gitcreds", mountTarget: "/root/.git-credentials"),
        "git-credentials": CredentialFile(kind: "git-credentials", title: "git credential store", mountID: "gitcreds", mountTarget: "/root/.git-credentials"),
        "gitcreds": CredentialFile(kind: "git-credentials", title: "git credential store", mountID: "gitcreds", mountTarget: "/root/.git-credentials"),
        ".dockercfg": CredentialFile(kind: "docker-config", title: "Docker registry credentials", mountID: "dockerconfig", mountTarget: "/root/.docker/config.json"),
        "docker-config.json": CredentialFile(kind: "docker-config", title: "Docker registry credentials", mountID: "dockerconfig", mountTarget: "/root/.docker/config.json"),
        "kubeconfig": CredentialFile(kind: "kubeconfig", title: "Kubernetes config", mountID: "kubeconfig", mountTarget: "/root/.kube/config"),
        ".vault-token": CredentialFile(kind: "vault-token", title: "Vault token", mountID: "vault", mountTarget: "/root/.vault-token"),
        "credentials": CredentialFile(kind: "credentials", title: "credentials file", mountID: "credentials", mountTarget: nil),
        "credentials.json": CredentialFile(kind: "credentials", title: "credentials file", mountID: "credentials", mountTarget: nil),
        ".env": CredentialFile(kind: "dotenv", title: "environment file", mountID: "dotenv", mountTarget: nil),
        ".htpasswd": CredentialFile(kind: "htpasswd", title: "password file", mountID: "htpasswd", mountTarget: nil),
        "deploy_key": CredentialFile(kind: "private-key", title: "deploy key", mountID: "deploykey", mountTarget: nil),
    ]

    static let keyExtensions: Set<String> = ["pem", "key", "p12", "pfx", "jks", "keystore", "ppk", "asc", "gpg"]
    static let exampleSuffixes = ["example", "sample", "template", "dist", "defaults"]

    /// Classifies one path (absolute or relative; `~` allowed), or nil when it does not look
    /// like a credential. A path inside a credential directory takes the directory's kind.
    public static func classify(_ path: String) -> CredentialFile? {
        let components = path.split(separator: "/").map(String.init).filter { $0 != "." && !$0.isEmpty }
        guard let base = components.last else { return nil }
        let lower = base.lowercased()
        if lower.hasSuffix(".pub") { return nil }
        if components.count >= 2, components[components.count - 2] == ".docker", lower == "config.json" {
            return CredentialFile(kind: "docker-config", title: "Docker registry credentials", mountID: "dockerconfig", mountTarget: "/root/.docker/config.json")
        }
        if components.count >= 2, components[components.count - 2] == ".kube", lower == "config" {
            return directories[".kube"]
        }
        for component in components.dropLast() {
            if let dir = directories[component.lowercased()], component.hasPrefix(".") { return dir }
        }
        if let exact = names[lower] { return exact }
        if lower.hasPrefix(".env.") {
            let suffix = lower.dropFirst(5)
            if exampleSuffixes.contains(where: { suffix.hasSuffix($0) }) { return nil }
            return names[".env"]
        }
        if lower.hasSuffix(".env"), lower != ".env", !exampleSuffixes.contains(where: { lower.contains($0) }) {
            return names[".env"]
        }
        if ["id_rsa", "id_dsa", "id_ecdsa", "id_ed25519"].contains(lower) || lower.hasSuffix("_rsa") || lower.hasSuffix("_dsa")
            || lower.hasSuffix("_ecdsa") || lower.hasSuffix("_ed25519") {
            return CredentialFile(kind: "private-key", title: "SSH private key", mountID: "ssh", mountTarget: nil)
        }
        if let dot = lower.lastIndex(of: "."), keyExtensions.contains(String(lower[lower.index(after: dot)...])) {
            return CredentialFile(kind: "private-key", title: "key or certificate file", mountID: "key", mountTarget: nil)
        }
        for component in components.dropLast() {
            if let dir = directories[component.lowercased()] { return dir }
        }
        if let dir = directories[lower] { return dir }
        let words = SecretNameHeuristic.words(base)
        let secretWords: Set<String> = ["token", "tokens", "secret", "secrets", "password", "passwords", "credentials", "creds", "apikey"]
        if words.contains(where: secretWords.contains), !exampleSuffixes.contains(where: { lower.contains($0) }) {
            return CredentialFile(kind: "secret-file", title: "file named like a secret", mountID: "secret", mountTarget: nil)
        }
        return nil
    }

    /// True when a path is (or lies inside) a credential directory or file.
    public static func isCredentialPath(_ path: String) -> Bool { classify(path) != nil }
}
