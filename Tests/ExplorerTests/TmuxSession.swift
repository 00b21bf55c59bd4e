import Foundation
#if canImport(Glibc)
import Glibc
#endif
import TestSupport

/// Runs a command in a detached tmux session of a given size, types keys, reads the screen.
/// For end-to-end tests of the real binary in a real terminal.
final class TmuxSession {
    let name: String
    static var available: Bool {
        FileManager.default.isExecutableFile(atPath: "/usr/bin/tmux") || FileManager.default.isExecutableFile(atPath: "/usr/local/bin/tmux")
    }

    init(_ arguments: [String], width: Int = 100, height: Int = 30, environment: [String: String] = [:]) throws {
        name = "strata-e2e-\(ProcessInfo.processInfo.processIdentifier)-\(UUID().uuidString.prefix(6))"
        let env = environment.map { "\($0.key)=\(Self.quote($0.value))" }.joined(separator: " ")
        let command = "\(env) \(([StrataBinary.url.path] + arguments).map(Self.quote).joined(separator: " ")); echo STRATA_EXIT=$?; sleep 600"
        try tmux(["new-session", "-d", "-s", name, "-x", String(width), "-y", String(height), command])
    }

    /// Each session runs on its own tmux server (socket), so tests never touch anyone else's tmux.
    deinit {
        let socket = (try? display("#{socket_path}")) ?? ""
        try? tmux(["kill-server"])
        if !socket.isEmpty { try? FileManager.default.removeItem(atPath: socket) }
    }

    /// Sends tmux key names (`Tab`, `Enter`, `j`, `C-c`, …).
    func send(_ keys: String...) throws { try tmux(["send-keys", "-t", name] + keys) }

    /// Types literal text.
    func type(_ text: String) throws { try tmux(["send-keys", "-t", name, "-l", text]) }

    func screen() throws -> String { try tmux(["capture-pane", "-p", "-t", name]) }

    /// A tmux format value for the pane, e.g. `#{alternate_on}`.
    func display(_ format: String) throws -> String {
        try tmux(["display-message", "-p", "-t", name, format]).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    func resize(width: Int, height: Int) throws {
        try tmux(["resize-window", "-t", name, "-x", String(width), "-y", String(height)])
    }

    /// Waits until the screen satisfies `predicate` (the program runs in another process, so
    /// the test polls its screen); returns the last screen either way.
    @discardableResult
    func waitFor(timeout: TimeInterval = 10, _ predicate: (String) -> Bool) throws -> String {
        let deadline = Date().addingTimeInterval(timeout)
        var last = ""
        repeat {
            last = try screen()
            if predicate(last) { return last }
            usleep(50_000)
        } while Date() < deadline
        return last
    }

    @discardableResult
    func waitFor(_ text: String, timeout: TimeInterval = 10) throws -> String {
        try waitFor(timeout: timeout) { $0.contains(text) }
    }

    /// Runs tmux with posix_spawn and waitpid. Foundation's `Process` watches a socket the child
    /// inherits; the tmux server forked by `new-session` would keep it open, and the wait would
    /// never end. Output goes through a file for the same reason.
    @discardableResult
    private func tmux(_ args: [String]) throws -> String {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("tmux-\(UUID().uuidString).out")
        defer { try? FileManager.default.removeItem(at: file) }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, file.path, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
        let argv = ["tmux", "-L", name, "-f", "/dev/null"] + args
        var cargs: [UnsafeMutablePointer<CChar>?] = argv.map { strdup($0) } + [nil]
        defer { for p in cargs { free(p) } }
        var pid: pid_t = 0
        // The test runner blocks some signals and masks are inherited: give tmux (and the
        // explorer under it) a clean mask and default handlers, as a login shell would.
        var attr = posix_spawnattr_t()
        posix_spawnattr_init(&attr)
        defer { posix_spawnattr_destroy(&attr) }
        var empty = sigset_t()
        sigemptyset(&empty)
        posix_spawnattr_setsigmask(&attr, &empty)
        var defaults = sigset_t()
        sigemptyset(&defaults)
        for sig in [SIGTERM, SIGHUP, SIGINT, SIGWINCH, SIGPIPE, SIGCHLD] { sigaddset(&defaults, sig) }
        posix_spawnattr_setsigdefault(&attr, &defaults)
        posix_spawnattr_setflags(&attr, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
        let rc = posix_spawnp(&pid, "tmux", &actions, &attr, &cargs, environ)
        guard rc == 0 else { throw POSIXError(POSIXErrorCode(rawValue: rc) ?? .EIO) }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        return (try? String(contentsOf: file, encoding: .utf8)) ?? ""
    }

    static func quote(_ s: String) -> String { "'" + s.replacingOccurrences(of: "'", with: "'\\''") + "'" }
}
