import Foundation
import TestSupport
#if canImport(Glibc)
import Glibc
#endif

/// Debian's `docker-registry` on 127.0.0.1, on a free port, storage in a temp dir; stopped
/// when released. Images are pushed with `skopeo copy` from the docker-archive fixtures.
final class LocalRegistry: @unchecked Sendable {
    enum Auth {
        case none
        case htpasswd(user: String, password: String)
        case token(realm: String, service: String, issuer: String, rootCert: String)
    }

    let port: UInt16
    let directory = TemporaryDirectory("strata-registry")
    private let process = Process()
    let auth: Auth

    var host: String { "127.0.0.1:\(port)" }
    var storageRoot: URL { directory.url.appendingPathComponent("storage") }

    static var available: Bool {
        FileManager.default.isExecutableFile(atPath: "/usr/bin/docker-registry")
            && FileManager.default.isExecutableFile(atPath: "/usr/bin/skopeo")
    }

    /// Serve HTTPS with a self-signed certificate for 127.0.0.1 (`certificatePath`).
    let tls: Bool
    var certificatePath: String { directory.file("tls-cert.pem").path }

    /// With `requireClientCertificate`: a client CA (`clientCertificatePath`, `clientKeyPath` hold a
    /// certificate it signed) that the registry demands every client certificate come from.
    var clientCertificatePath: String { directory.file("client-cert.pem").path }
    var clientKeyPath: String { directory.file("client-key.pem").path }

    init(auth: Auth = .none, tls: Bool = false, requireClientCertificate: Bool = false) throws {
        self.auth = auth
        self.tls = tls
        port = try Self.freePort()
        var tlsBlock = ""
        if tls {
            try Shell.run("/usr/bin/openssl", ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", directory.file("tls-key.pem").path,
                                               "-out", directory.file("tls-cert.pem").path, "-days", "2", "-subj", "/CN=127.0.0.1",
                                               "-addext", "subjectAltName=IP:127.0.0.1"])
            tlsBlock = """
              tls:
                certificate: \(directory.file("tls-cert.pem").path)
                key: \(directory.file("tls-key.pem").path)
            """
            if requireClientCertificate {
                let ca = directory.file("client-ca.pem").path, caKey = directory.file("client-ca-key.pem").path
                let request = directory.file("client.csr").path
                try Shell.run("/usr/bin/openssl", ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", caKey, "-out", ca,
                                                   "-days", "2", "-subj", "/CN=strata test client CA"])
                try Shell.run("/usr/bin/openssl", ["req", "-newkey", "rsa:2048", "-nodes", "-keyout", clientKeyPath, "-out", request,
                                                   "-subj", "/CN=strata test client"])
                try Shell.run("/usr/bin/openssl", ["x509", "-req", "-in", request, "-CA", ca, "-CAkey", caKey, "-CAcreateserial",
                                                   "-out", clientCertificatePath, "-days", "2"])
                tlsBlock += """

                    clientcas:
                      - \(ca)
                """
            }
        }
        var authBlock = ""
        switch auth {
        case .none: break
        case .htpasswd(let user, let password):
            let file = directory.file("htpasswd")
            let output = try Shell.run("/usr/bin/htpasswd", ["-Bbn", user, password])
            try output.write(to: file, atomically: true, encoding: .utf8)
            authBlock = """
            auth:
              htpasswd:
                realm: strata-test
                path: \(file.path)
            """
        case .token(let realm, let service, let issuer, let rootCert):
            authBlock = """
            auth:
              token:
                realm: \(realm)
                service: \(service)
                issuer: \(issuer)
                rootcertbundle: \(rootCert)
            """
        }
        let config = """
        version: 0.1
        log:
          level: error
          accesslog:
            disabled: true
        storage:
          filesystem:
            rootdirectory: \(storageRoot.path)
          delete:
            enabled: true
        http:
          addr: 127.0.0.1:\(port)
          secret: strata-test-secret
        \(tlsBlock)
        \(authBlock)
        """
        let configFile = directory.file("config.yml")
        try config.write(to: configFile, atomically: true, encoding: .utf8)
        process.executableURL = URL(fileURLWithPath: "/usr/bin/docker-registry")
        process.arguments = ["serve", configFile.path]
        process.standardOutput = FileHandle(forWritingAtPath: "/dev/null")
        let logFile = directory.file("registry.log")
        _ = FileManager.default.createFile(atPath: logFile.path, contents: nil)
        process.standardError = try FileHandle(forWritingTo: logFile)
        try process.run()
        // Wait (bounded) until it accepts connections.
        let deadline = Date().addingTimeInterval(15)
        while !Self.canConnect(port) {
            guard Date() < deadline, process.isRunning else {
                stop()
                let log = (try? String(contentsOf: logFile, encoding: .utf8)) ?? ""
                throw TestFailure("docker-registry did not start: \(log.suffix(500))")
            }
            usleep(50_000)
        }
    }

    deinit { stop() }

    func stop() {
        guard process.isRunning else { return }
        process.terminate()
        let deadline = Date().addingTimeInterval(5)
        while process.isRunning && Date() < deadline { usleep(20_000) }
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
    }

    /// `skopeo copy docker-archive:FIXTURE docker://HOST/REPO:TAG`.
    func push(fixture: String, to repositoryAndTag: String, credentials: String? = nil) throws {
        try push(source: "docker-archive:" + Fixtures.dockerArchive(fixture), to: repositoryAndTag, credentials: credentials)
    }

    func push(source: String, to repositoryAndTag: String, credentials: String? = nil, all: Bool = false,
              extra: [String] = []) throws {
        var arguments = ["--insecure-policy", "copy", "--quiet", "--src-tls-verify=false", "--dest-tls-verify=false"] + extra
        if let credentials { arguments += ["--dest-creds", credentials] }
        if all { arguments.append("--all") }
        arguments += [source, "docker://\(host)/\(repositoryAndTag)"]
        _ = try Shell.run("/usr/bin/skopeo", arguments, timeout: 120)
    }

    /// The file holding a blob in the registry's storage.
    func blobFile(_ hex: String) -> URL {
        storageRoot.appendingPathComponent("docker/registry/v2/blobs/sha256/\(hex.prefix(2))/\(hex)/data")
    }

    static func freePort() throws -> UInt16 {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0 else { throw TestFailure("no free port") }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { _ = getsockname(fd, $0, &length) }
        }
        return UInt16(bigEndian: address.sin_port)
    }

    static func canConnect(_ port: UInt16) -> Bool {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = port.bigEndian
        return withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        } == 0
    }
}

/// Runs a program with a bounded time; throws with its stderr when it fails.
enum Shell {
    @discardableResult
    static func run(_ program: String, _ arguments: [String], stdin: Data? = nil, timeout: Double = 60) throws -> String {
        let data = try runData(program, arguments, stdin: stdin, timeout: timeout)
        return String(decoding: data, as: UTF8.self)
    }

    static func runData(_ program: String, _ arguments: [String], stdin: Data? = nil, timeout: Double = 60) throws -> Data {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: program)
        process.arguments = arguments
        let out = Pipe(), err = Pipe(), input = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = input
        try process.run()
        if let stdin { input.fileHandleForWriting.write(stdin) }
        try? input.fileHandleForWriting.close()
        nonisolated(unsafe) var outData = Data()
        nonisolated(unsafe) var errData = Data()
        let group = DispatchGroup()
        group.enter()
        DispatchQueue.global().async { outData = out.fileHandleForReading.readDataToEndOfFile(); group.leave() }
        group.enter()
        DispatchQueue.global().async { errData = err.fileHandleForReading.readDataToEndOfFile(); group.leave() }
        if group.wait(timeout: .now() + timeout) == .timedOut {
            process.terminate()
            throw TestFailure("\(program) timed out")
        }
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw TestFailure("\(program) \(arguments.joined(separator: " ")) failed: \(String(decoding: errData, as: UTF8.self))")
        }
        return outData
    }
}
