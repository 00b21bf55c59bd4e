import Foundation

/// TLS material for one registry where Docker and Podman keep it: a directory named after the
/// registry as references spell it (`HOST`, or `HOST:PORT`) under a `certs.d`, holding `*.crt`
/// CA certificates (trusted besides the system's) and `NAME.cert` + `NAME.key` client
/// certificate pairs (sent to that registry only). The first root that has the registry's
/// directory is used, as containers/image does.
public struct RegistryCertificates: Sendable, Hashable {
    public var directory: String
    /// CA certificates (PEM), sorted by name.
    public var authorities: [String]
    /// The first `NAME.cert` that has a `NAME.key` beside it.
    public var clientCertificate: ClientCertificate?

    /// Where to look, most specific first: the user's Podman config, then the system's Podman and
    /// Docker directories.
    public static func defaultRoots(environment: [String: String] = ProcessInfo.processInfo.environment) -> [String] {
        var roots: [String] = []
        if let home = environment["HOME"], !home.isEmpty { roots.append(home + "/.config/containers/certs.d") }
        return roots + ["/etc/containers/certs.d", "/etc/docker/certs.d"]
    }

    /// The material for `registry` (`registry.example.com`, `127.0.0.1:5000`), or nil when no
    /// root has a directory for it. A name that could leave the root (`..`, `/`) finds nothing.
    public static func find(registry: String, roots: [String]) -> RegistryCertificates? {
        guard !registry.isEmpty, !registry.contains("/"), registry != ".", registry != ".." else { return nil }
        let files = FileManager.default
        for root in roots {
            let directory = root + "/" + registry
            var isDirectory: ObjCBool = false
            guard files.fileExists(atPath: directory, isDirectory: &isDirectory), isDirectory.boolValue,
                  let names = try? files.contentsOfDirectory(atPath: directory) else { continue }
            let sorted = names.sorted()
            let authorities = sorted.filter { $0.hasSuffix(".crt") }.map { directory + "/" + $0 }
            let client = sorted.filter { $0.hasSuffix(".cert") }.lazy.compactMap { name -> ClientCertificate? in
                let key = String(name.dropLast(".cert".count)) + ".key"
                guard names.contains(key) else { return nil }
                return ClientCertificate(certificate: directory + "/" + name, key: directory + "/" + key)
            }.first
            return RegistryCertificates(directory: directory, authorities: authorities, clientCertificate: client)
        }
        return nil
    }
}

/// A client certificate and its private key (PEM files), for registries that require one.
public struct ClientCertificate: Sendable, Hashable {
    public var certificate: String
    public var key: String

    public init(certificate: String, key: String) {
        self.certificate = certificate
        self.key = key
    }
}
