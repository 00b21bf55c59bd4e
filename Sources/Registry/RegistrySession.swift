import Foundation
import LayerIndex

/// Everything a command needs to talk to registries: one client per registry (so tokens and
/// connections are shared by every image and layer of the run) and the credentials to use.
public final class RegistrySession: @unchecked Sendable {
    /// Settings from the command line.
    public struct Settings: Sendable {
        /// `--insecure`: plain HTTP allowed to any host, TLS not verified.
        public var insecure: Bool
        /// `--username` (with `--password-stdin`): used for every registry of the run, ahead of
        /// docker's config.
        public var username: String?
        public var password: String?
        /// docker's `config.json`; nil reads `$DOCKER_CONFIG` / `~/.docker`.
        public var dockerConfig: URL?
        public var clientOptions: RegistryClientOptions

        public init(insecure: Bool = false, username: String? = nil, password: String? = nil,
                    dockerConfig: URL? = nil, clientOptions: RegistryClientOptions = RegistryClientOptions()) {
            self.insecure = insecure
            self.username = username
            self.password = password
            self.dockerConfig = dockerConfig
            self.clientOptions = clientOptions
        }
    }

    public let settings: Settings
    private let credentials: any CredentialProvider
    private let lock = NSLock()
    private var clients: [String: RegistryClient] = [:]

    public init(settings: Settings = Settings()) {
        self.settings = settings
        var providers: [any CredentialProvider] = []
        if let username = settings.username {
            providers.append(StaticCredentials(.basic(username: username, password: settings.password ?? "")))
        }
        providers.append(DockerConfigCredentials(configURL: settings.dockerConfig ?? DockerConfigCredentials.defaultLocation()))
        credentials = ChainedCredentials(providers)
    }

    /// The client for a registry (as references name it), made once per session.
    public func client(for registry: String) -> RegistryClient {
        lock.lock()
        defer { lock.unlock() }
        if let existing = clients[registry] { return existing }
        var options = settings.clientOptions
        options.insecure = options.insecure || settings.insecure
        let client = RegistryClient(registry: registry, credentials: credentials, options: options)
        clients[registry] = client
        return client
    }
}
