import ArgumentParser
import Foundation
import ImageSource
import LayerIndex
import Registry

/// Registry access flags shared by every command that opens images.
struct RegistryAccessOptions: ParsableArguments {
    @Flag(help: "Allow plain HTTP to any registry and skip TLS verification (loopback registries may use HTTP without it).")
    var insecure = false

    @Option(help: ArgumentHelp("Registry user name (the password comes from --password-stdin).", valueName: "user"))
    var username: String?

    @Flag(name: .customLong("password-stdin"), help: "Read the registry password (or token) from standard input.")
    var passwordStdin = false

    func validate() throws {
        if passwordStdin && username == nil {
            throw ValidationError("--password-stdin needs --username")
        }
        if username != nil && !passwordStdin {
            throw ValidationError("--username needs --password-stdin (passwords are never taken on the command line)")
        }
    }

    /// The credentials, reading the password from stdin once per process.
    var credentials: SourceCredentials? {
        guard let username, passwordStdin else { return nil }
        return SourceCredentials(username: username, password: StandardInputPassword.value)
    }
}

/// The password from standard input: read once, up to the first newline.
enum StandardInputPassword {
    static let value: String = {
        let data = FileHandle.standardInput.readDataToEndOfFile()
        var text = String(decoding: data.prefix(64 * 1024), as: UTF8.self)
        while text.hasSuffix("\n") || text.hasSuffix("\r") { text.removeLast() }
        return text
    }()
}

/// Opens registry references with one shared session per set of access settings, so every
/// image and layer of a run reuses the same tokens and connections.
enum RegistryOpening {
    private static let lock = NSLock()
    nonisolated(unsafe) private static var sessions: [SessionKey: RegistrySession] = [:]

    struct SessionKey: Hashable {
        var insecure: Bool
        var credentials: SourceCredentials?
    }

    /// True for `docker://…` and for text that parses as a registry reference.
    static func isRegistryReference(_ text: String) -> Bool {
        if text.hasPrefix("docker://") { return true }
        return (try? ImageReference.parse(text)) != nil
    }

    static func session(insecure: Bool, credentials: SourceCredentials?) -> RegistrySession {
        let key = SessionKey(insecure: insecure, credentials: credentials)
        lock.lock()
        defer { lock.unlock() }
        if let existing = sessions[key] { return existing }
        let session = RegistrySession(settings: RegistrySession.Settings(
            insecure: insecure, username: credentials?.username, password: credentials?.password))
        sessions[key] = session
        return session
    }

    static func open(_ reference: String, options: SourceOptions) throws -> RegistrySource {
        let session = session(insecure: options.insecure, credentials: options.credentials)
        return try RegistrySource(reference: reference, session: session, options: options)
    }
}
