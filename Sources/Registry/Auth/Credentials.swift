import Foundation
import LayerIndex

/// What strata presents to a registry.
public enum RegistryCredential: Sendable, Hashable {
    /// HTTP Basic, and the same pair sent to a Bearer token endpoint.
    case basic(username: String, password: String)
    /// An OAuth2 refresh token (`identitytoken` in docker's config, `<token>` from a helper).
    case identityToken(String)
}

/// Finds the credential for a registry host (as in the reference: `docker.io`, `host:5000`).
public protocol CredentialProvider: Sendable {
    func credential(for registry: String) throws -> RegistryCredential?
}

/// One credential for every registry (`--username` with `--password-stdin`).
public struct StaticCredentials: CredentialProvider {
    public let value: RegistryCredential
    public init(_ value: RegistryCredential) { self.value = value }
    public func credential(for registry: String) throws -> RegistryCredential? { value }
}

/// Tries providers in order; the first that knows the registry wins.
public struct ChainedCredentials: CredentialProvider {
    public let providers: [any CredentialProvider]
    public init(_ providers: [any CredentialProvider]) { self.providers = providers }
    public func credential(for registry: String) throws -> RegistryCredential? {
        for provider in providers {
            if let found = try provider.credential(for: registry) { return found }
        }
        return nil
    }
}

/// Credentials from docker's `config.json` (`$DOCKER_CONFIG/config.json`, else
/// `~/.docker/config.json`): `auths` entries (base64 `auth`, `username`/`password`,
/// `identitytoken`), and `credHelpers` / `credsStore` through `docker-credential-NAME get`.
public struct DockerConfigCredentials: CredentialProvider {
    public let configURL: URL
    /// Seconds a credential helper may take.
    public var helperTimeout: Double = 30
    /// Where `docker-credential-*` programs are looked for; nil means `$PATH`.
    public var searchPath: String?

    public init(configURL: URL) { self.configURL = configURL }

    /// The config file docker itself would read.
    public static func defaultLocation(environment: [String: String] = ProcessInfo.processInfo.environment) -> URL {
        if let dir = environment["DOCKER_CONFIG"], !dir.isEmpty {
            return URL(fileURLWithPath: dir).appendingPathComponent("config.json")
        }
        let home = environment["HOME"].map { URL(fileURLWithPath: $0) }
            ?? FileManager.default.homeDirectoryForCurrentUser
        return home.appendingPathComponent(".docker/config.json")
    }

    struct ConfigFile: Decodable {
        struct Auth: Decodable {
            var auth: String?
            var username: String?
            var password: String?
            var identitytoken: String?
        }
        var auths: [String: Auth]?
        var credHelpers: [String: String]?
        var credsStore: String?
    }

    public func credential(for registry: String) throws -> RegistryCredential? {
        guard let data = try? Data(contentsOf: configURL) else { return nil }
        let config: ConfigFile
        do {
            config = try JSONDecoder().decode(ConfigFile.self, from: data)
        } catch {
            throw StrataError("cannot read docker config: not valid JSON", path: configURL.path)
        }
        let names = Self.keyNames(for: registry)
        if let helpers = config.credHelpers {
            for (key, helper) in helpers where names.contains(Self.normalizeKey(key)) {
                return try runHelper(helper, serverURL: Self.serverURL(for: registry, key: key))
            }
        }
        if let auths = config.auths {
            for (key, entry) in auths where names.contains(Self.normalizeKey(key)) {
                if let found = try Self.decode(entry, key: key, path: configURL.path) { return found }
            }
        }
        if let store = config.credsStore, !store.isEmpty {
            return try runHelper(store, serverURL: Self.serverURL(for: registry, key: nil))
        }
        return nil
    }

    /// Host names a config key may use for this registry.
    static func keyNames(for registry: String) -> Set<String> {
        let host = registry.lowercased()
        if host == ImageReference.dockerHub || host == "index.docker.io" || host == ImageReference.dockerHubEndpoint {
            return ["docker.io", "index.docker.io", "registry-1.docker.io"]
        }
        return [host]
    }

    /// `https://index.docker.io/v1/` → `index.docker.io`; `http://host:5000/v2` → `host:5000`.
    static func normalizeKey(_ key: String) -> String {
        var text = Substring(key.lowercased())
        if let range = text.range(of: "://") { text = text[range.upperBound...] }
        if let slash = text.firstIndex(of: "/") { text = text[..<slash] }
        return String(text)
    }

    static func serverURL(for registry: String, key: String?) -> String {
        if let key { return key }
        if keyNames(for: registry).contains("index.docker.io") { return "https://index.docker.io/v1/" }
        return registry
    }

    static func decode(_ entry: ConfigFile.Auth, key: String, path: String) throws -> RegistryCredential? {
        if let token = entry.identitytoken, !token.isEmpty { return .identityToken(token) }
        if let auth = entry.auth, !auth.isEmpty {
            guard let raw = Data(base64Encoded: auth.trimmingCharacters(in: .whitespaces)),
                  let text = String(data: raw, encoding: .utf8), let colon = text.firstIndex(of: ":") else {
                throw StrataError("docker config: `auth` for \(key) is not base64 of user:password", path: path)
            }
            return .basic(username: String(text[..<colon]), password: String(text[text.index(after: colon)...]))
        }
        if let user = entry.username, let password = entry.password {
            return .basic(username: user, password: password)
        }
        return nil
    }

    /// `docker-credential-NAME get` with the server URL on stdin; prints
    /// `{"ServerURL":…,"Username":…,"Secret":…}`; `Username` `<token>` marks an identity token.
    func runHelper(_ name: String, serverURL: String) throws -> RegistryCredential? {
        let program = "docker-credential-" + name
        guard name.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" || $0 == "." }),
              let executable = Self.findInPath(program, searchPath: searchPath) else {
            throw StrataError("credential helper \(program) not found in PATH", path: configURL.path)
        }
        let output = try ProcessRunner.run(executable, arguments: ["get"], stdin: Data(serverURL.utf8),
                                           timeout: helperTimeout)
        if output.status != 0 {
            let message = String(decoding: output.stdout + output.stderr, as: UTF8.self)
            if message.lowercased().contains("credentials not found") { return nil }
            throw StrataError("credential helper \(program) failed: \(message.trimmingCharacters(in: .whitespacesAndNewlines))")
        }
        struct Reply: Decodable {
            var Username: String?
            var Secret: String?
        }
        guard let reply = try? JSONDecoder().decode(Reply.self, from: output.stdout), let secret = reply.Secret else {
            throw StrataError("credential helper \(program) printed something that is not its JSON reply")
        }
        if reply.Username == "<token>" { return .identityToken(secret) }
        return .basic(username: reply.Username ?? "", password: secret)
    }

    static func findInPath(_ program: String, searchPath: String?) -> URL? {
        let path = searchPath ?? ProcessInfo.processInfo.environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin"
        for dir in path.split(separator: ":") where !dir.isEmpty {
            let candidate = URL(fileURLWithPath: String(dir)).appendingPathComponent(program)
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
        }
        return nil
    }
}
