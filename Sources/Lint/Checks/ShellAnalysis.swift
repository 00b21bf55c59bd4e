import Foundation

/// Reads shell command text (RUN steps) the way a reviewer would: which commands write a
/// credential where, and which remove one. Not a shell: it splits on top-level `&&`, `||`,
/// `;`, `|` and newlines, honouring quotes, and reads redirections and a few known commands.
enum ShellAnalysis {
    /// A command within a RUN step, with the operator that follows it (for rewrites).
    struct Segment: Equatable {
        var text: String
        var separator: String
    }

    static func segments(_ text: String) -> [Segment] {
        var result: [Segment] = []
        var current = ""
        var quote: Character? = nil
        let chars = Array(text)
        var i = 0
        func flush(_ separator: String) {
            let trimmed = current.trimmingCharacters(in: .whitespacesAndNewlines)
            if !trimmed.isEmpty { result.append(Segment(text: trimmed, separator: separator)) }
            current = ""
        }
        while i < chars.count {
            let c = chars[i]
            if let q = quote {
                current.append(c)
                if c == "\\", q == "\"", i + 1 < chars.count { current.append(chars[i + 1]); i += 2; continue }
                if c == q { quote = nil }
                i += 1
                continue
            }
            if c == "\\", i + 1 < chars.count { current.append(c); current.append(chars[i + 1]); i += 2; continue }
            if c == "\"" || c == "'" { quote = c; current.append(c); i += 1; continue }
            if c == "&", i + 1 < chars.count, chars[i + 1] == "&" { flush("&&"); i += 2; continue }
            if c == "|", i + 1 < chars.count, chars[i + 1] == "|" { flush("||"); i += 2; continue }
            if c == ";" || c == "\n" { flush(";"); i += 1; continue }
            if c == "|" { flush("|"); i += 1; continue }
            current.append(c)
            i += 1
        }
        flush("")
        return result
    }

    /// Words of a command with quotes removed (no expansion: `$HOME` stays `$HOME`).
    static func words(_ segment: String) -> [String] {
        ShellWords.split(segment).map { word in
            var out = ""
            var quote: Character? = nil
            var iterator = word.makeIterator()
            while let c = iterator.next() {
                if let q = quote { if c == q { quote = nil } else { out.append(c) }; continue }
                if c == "\"" || c == "'" { quote = c; continue }
                if c == "\\", let next = iterator.next() { out.append(next); continue }
                out.append(c)
            }
            return out
        }
    }

    /// `~/x`, `$HOME/x`, `${HOME}/x` become `/root/x`; relative paths join the WORKDIR.
    static func absolute(_ path: String, workdir: String, home: String = "/root") -> String {
        var p = path
        for prefix in ["~/", "$HOME/", "${HOME}/"] where p.hasPrefix(prefix) {
            p = home + "/" + p.dropFirst(prefix.count)
        }
        if p == "~" || p == "$HOME" || p == "${HOME}" { p = home }
        if !p.hasPrefix("/") { p = (workdir.hasSuffix("/") ? workdir : workdir + "/") + p }
        return GoPath.clean(p)
    }

    /// Targets of `>`, `>>`, `tee [-a]` in one command.
    static func writeTargets(_ segment: String) -> [String] {
        let parts = words(segment)
        var targets: [String] = []
        var i = 0
        while i < parts.count {
            let w = parts[i]
            if w == ">" || w == ">>" || w == "1>" || w == "2>" || w == "&>" {
                if i + 1 < parts.count { targets.append(parts[i + 1]) }
                i += 2
                continue
            }
            if w.hasPrefix(">>") && w.count > 2 { targets.append(String(w.dropFirst(2))) } else if w.hasPrefix(">") && w.count > 1 && !w.hasPrefix(">&") {
                targets.append(String(w.dropFirst()))
            }
            i += 1
        }
        if let teeIndex = parts.firstIndex(of: "tee") {
            targets += parts[(teeIndex + 1)...].filter { !$0.hasPrefix("-") && $0 != ">" && $0 != ">>" }
        }
        return targets.filter { $0 != "/dev/null" && !$0.hasPrefix("&") && !$0.hasPrefix("/dev/std") && !$0.hasPrefix("/proc/") }
    }

    /// The command name, skipping `sudo`, `env`, `exec` and leading `VAR=value` assignments.
    static func command(_ parts: [String]) -> (String, ArraySlice<String>)? {
        var i = 0
        while i < parts.count, ["sudo", "exec", "env", "command", "time"].contains(parts[i]) || (parts[i].contains("=") && !parts[i].hasPrefix("-")) {
            i += 1
        }
        guard i < parts.count else { return nil }
        return (parts[i], parts[(i + 1)...])
    }

    /// A credential a command configures without naming a file (`npm config set …_authToken`).
    struct ToolConfig {
        var kind: String
        var path: String
    }

    static func toolConfiguration(_ segment: String) -> ToolConfig? {
        let parts = words(segment)
        guard let (cmd, args) = command(parts) else { return nil }
        let rest = Array(args)
        let lowerArgs = rest.map { $0.lowercased() }
        switch cmd {
        case "npm", "pnpm":
            if rest.count >= 2, rest[0] == "config", rest[1] == "set",
               lowerArgs.contains(where: { $0.contains("_authtoken") || $0.contains(":_auth") || $0.contains("_password") }) {
                return ToolConfig(kind: "npmrc", path: "/root/.npmrc")
            }
            if rest.first == "login" || rest.first == "adduser" { return ToolConfig(kind: "npmrc", path: "/root/.npmrc") }
        case "yarn":
            if rest.count >= 2, rest[0] == "config", rest[1] == "set", lowerArgs.contains(where: { $0.contains("authtoken") || $0.contains("_auth") }) {
                return ToolConfig(kind: "npmrc", path: "/root/.yarnrc.yml")
            }
        case "pip", "pip3":
            if rest.count >= 2, rest[0] == "config", rest[1] == "set", rest.contains(where: { $0.contains("@") }) {
                return ToolConfig(kind: "pip-conf", path: "/root/.config/pip/pip.conf")
            }
        case "poetry":
            if rest.count >= 2, rest[0] == "config", rest[1].hasPrefix("http-basic.") || rest[1].hasPrefix("pypi-token.") {
                return ToolConfig(kind: "pypirc", path: "/root/.config/pypoetry/auth.toml")
            }
        case "aws":
            if rest.count >= 2, rest[0] == "configure", rest[1] == "set",
               lowerArgs.contains(where: { $0.contains("aws_access_key_id") || $0.contains("aws_secret_access_key") || $0.contains("aws_session_token") }) {
                return ToolConfig(kind: "aws-credentials", path: "/root/.aws/credentials")
            }
        case "git":
            let joined = lowerArgs.joined(separator: " ")
            if rest.first == "config", !joined.contains("--unset"),
               joined.contains("credential.helper store")
                || (joined.contains("insteadof") && rest.contains(where: { $0.range(of: #"://[^/\s@]+@"#, options: .regularExpression) != nil })) {
                return ToolConfig(kind: "git-credentials", path: joined.contains("insteadof") ? "/root/.gitconfig" : "/root/.git-credentials")
            }
        case "docker", "podman", "buildah", "skopeo", "helm":
            if rest.first == "login" || (rest.count >= 2 && rest[1] == "login") {
                return ToolConfig(kind: "docker-config", path: "/root/.docker/config.json")
            }
        case "ssh-add":
            return ToolConfig(kind: "ssh", path: "/root/.ssh")
        default:
            break
        }
        return nil
    }

    /// `git clone https://TOKEN@host/repo [dir]`: the clone with the credential moved to a
    /// per-command header (not stored in `.git/config`), or nil when the URL has no userinfo.
    static func credentialedClone(_ segment: String) -> String? {
        let parts = words(segment)
        guard let (cmd, args) = command(parts), cmd == "git", args.first == "clone" || args.contains("clone") else { return nil }
        guard let url = args.first(where: { $0.range(of: #"^[a-z+]+://[^/\s@]+@"#, options: .regularExpression) != nil }),
              let scheme = url.range(of: "://"), let at = url.firstIndex(of: "@") else { return nil }
        let clean = String(url[..<scheme.upperBound]) + String(url[url.index(after: at)...])
        let header = "http.extraHeader=Authorization: Basic $(printf 'x-access-token:%s' \"$CLONE_TOKEN\" | base64 -w0)"
        return (["git", "-c", "\"\(header)\""] + args.map { $0 == url ? clean : $0 }).joined(separator: " ")
    }

    /// The directory a credentialed `git clone` writes its `.git/config` (remote URL) into.
    static func cloneDestination(_ segment: String, workdir: String) -> String? {
        let parts = words(segment)
        guard let (cmd, args) = command(parts), cmd == "git", let cloneAt = args.firstIndex(of: "clone") else { return nil }
        let after = Array(args[(cloneAt + 1)...])
        guard let urlIndex = after.firstIndex(where: { $0.range(of: #"^[a-z+]+://[^/\s@]+@"#, options: .regularExpression) != nil }) else { return nil }
        let url = after[urlIndex]
        // The directory, when given, is the operand right after the URL.
        if urlIndex + 1 < after.count, !after[urlIndex + 1].hasPrefix("-") { return absolute(after[urlIndex + 1], workdir: workdir) }
        var name = String(url.split(separator: "/").last ?? "repo")
        if name.hasSuffix(".git") { name.removeLast(4) }
        return absolute(name, workdir: workdir)
    }

    /// What one command removes: paths (`rm`, `shred -u`, `unlink`) and tool credentials
    /// (`npm config delete`, `git config --unset`, `docker logout`) as credential kinds.
    static func removals(_ segment: String, workdir: String) -> (paths: [String], kinds: [String]) {
        let parts = words(segment)
        guard let (cmd, args) = command(parts) else { return ([], []) }
        let rest = Array(args)
        switch cmd {
        case "rm", "unlink", "shred":
            let paths = rest.filter { !$0.hasPrefix("-") }.map { absolute($0, workdir: workdir) }
            if cmd == "shred", !rest.contains(where: { $0 == "-u" || $0.hasPrefix("--remove") || ($0.hasPrefix("-") && !$0.hasPrefix("--") && $0.contains("u")) }) {
                return ([], [])
            }
            return (paths, [])
        case "npm", "pnpm", "yarn":
            if rest.count >= 2, rest[0] == "config", rest[1] == "delete" || rest[1] == "rm" || rest[1] == "unset" { return ([], ["npmrc"]) }
            if rest.first == "logout" { return ([], ["npmrc"]) }
        case "git":
            if rest.first == "config", rest.contains(where: { $0.hasPrefix("--unset") || $0 == "--remove-section" }) { return ([], ["git-credentials"]) }
        case "docker", "podman", "buildah", "skopeo":
            if rest.first == "logout" { return ([], ["docker-config"]) }
        case "pip", "pip3":
            if rest.count >= 2, rest[0] == "config", rest[1] == "unset" { return ([], ["pip-conf"]) }
        default:
            break
        }
        return ([], [])
    }

    /// `cat MOUNT > dst`, `cp MOUNT dst`, `install MOUNT dst`, `tee dst < MOUNT`: the destination
    /// when a command copies a secret mount's content (or anything under /run/secrets) to a file.
    static func copiesFromMount(_ segment: String, mounts: Set<String>, workdir: String) -> String? {
        let parts = words(segment)
        guard let (cmd, args) = command(parts) else { return nil }
        func isMount(_ path: String) -> Bool {
            let p = absolute(path, workdir: workdir)
            return p.hasPrefix("/run/secrets/") || mounts.contains(p)
        }
        let operands = args.filter { !$0.hasPrefix("-") }
        switch cmd {
        case "cat", "base64", "tee":
            let targets = writeTargets(segment)
            let readsMount = operands.contains(where: isMount) || segment.contains("< /run/secrets/")
                || mounts.contains { segment.contains("< \($0)") }
            guard readsMount, let target = targets.first else { return nil }
            return absolute(target, workdir: workdir)
        case "cp", "install", "mv":
            guard operands.count >= 2, operands.dropLast().contains(where: isMount), let last = operands.last else { return nil }
            return absolute(last, workdir: workdir)
        default:
            return nil
        }
    }

    /// Words in written content that mark it as a credential even without a detected token.
    /// (`NOPASSWD` in a sudoers line or a `password` prompt text is not one: a value must follow.)
    static let credentialMarker = try! NSRegularExpression(pattern:
        #"(?i)(_authtoken|_auth\s*=|(?:_password|\bpassword|\bpasswd)\s*[=:]\s*[^\s"'<>]|aws_secret_access_key|aws_access_key_id|PRIVATE KEY-----|x-access-token|authorization:\s*\S|bearer\s+\S|://[^/\s:@]+:[^/\s@]+@)"#)

    static func hasCredentialMarker(_ text: String) -> Bool {
        credentialMarker.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)) != nil
    }
}
