import Foundation

/// The Dockerfile change that removes a leak, shared by `strata lint` and `strata scan`: given
/// what kind of secret it is and which step put it in the image, the fix text to show.
public enum DockerfileRemediation {
    /// Where a secret came from.
    public enum Origin: Sendable, Hashable {
        /// A RUN step: its arguments as written (or the history `created_by` text).
        case run(String)
        /// A COPY/ADD step: sources and destination.
        case copy(sources: [String], destination: String)
        /// `ENV NAME=…` (the value lands in the image config).
        case env(name: String)
        /// `ARG NAME` (the value lands in the history of later RUN steps).
        case arg(name: String)
        case label(name: String)
        /// An ADD URL with credentials.
        case addURL(String)
        /// A file of the build context that COPY/ADD sent into the image (context-relative path).
        case contextFile(String)
    }

    /// How a secret reaches a build step without touching a layer.
    public struct SecretMount: Sendable, Hashable {
        /// The `--mount=…` flag text.
        public var flag: String
        /// The matching `docker build` / `buildah` option.
        public var buildOption: String
    }

    /// The mount for a secret kind (detection kinds like `npm-token`, or credential-file kinds
    /// like `npmrc`), using `variable` as env mount name when the step reads an environment variable.
    public static func mount(kind: String, variable: String? = nil) -> SecretMount {
        func file(_ id: String, _ target: String, _ src: String) -> SecretMount {
            SecretMount(flag: "--mount=type=secret,id=\(id),target=\(target)", buildOption: "--secret id=\(id),src=\(src)")
        }
        switch kind {
        case "npmrc", "npm-token":
            return file("npmrc", "/root/.npmrc", "$HOME/.npmrc")
        case "pip-conf":
            return file("pipconf", "/root/.config/pip/pip.conf", "$HOME/.config/pip/pip.conf")
        case "pypirc":
            return file("pypirc", "/root/.pypirc", "$HOME/.pypirc")
        case "aws-credentials", "aws-access-key", "aws-secret-key", "aws-session-token":
            return file("aws", "/root/.aws/credentials", "$HOME/.aws/credentials")
        case "git-credentials":
            return file("gitcreds", "/root/.git-credentials", "$HOME/.git-credentials")
        case "docker-config", "docker-auth":
            return file("dockerconfig", "/root/.docker/config.json", "$HOME/.docker/config.json")
        case "netrc":
            return file("netrc", "/root/.netrc", "$HOME/.netrc")
        case "kubeconfig":
            return file("kubeconfig", "/root/.kube/config", "$HOME/.kube/config")
        case "ssh", "private-key":
            return SecretMount(flag: "--mount=type=ssh", buildOption: "--ssh default")
        default:
            let name = variable ?? envName(for: kind)
            let id = name.lowercased()
            return SecretMount(flag: "--mount=type=secret,id=\(id),env=\(name)", buildOption: "--secret id=\(id),env=\(name)")
        }
    }

    static func envName(for kind: String) -> String {
        switch kind {
        case "github-pat", "github-oauth": return "GITHUB_TOKEN"
        case "gitlab-pat": return "GITLAB_TOKEN"
        case "slack-bot-token", "slack-token": return "SLACK_TOKEN"
        case "stripe-secret-key": return "STRIPE_SECRET_KEY"
        case "url-credentials": return "DOWNLOAD_TOKEN"
        default: return "SECRET"
        }
    }

    /// The fix text for a secret of `kind` that came in through `origin`.
    /// `secret`: the raw value when known, replaced by the mounted variable in a rewrite so a
    /// suggestion never repeats it.
    public static func fix(kind: String, origin: Origin, secret: String? = nil) -> String {
        switch origin {
        case .run(let text):
            return secretMountRewrite(runArguments: text, kind: kind, secret: secret)
        case .copy(let sources, let destination):
            let m = mount(kind: CredentialFiles.classify(destination)?.kind ?? sources.compactMap { CredentialFiles.classify($0)?.kind }.first ?? kind)
            let ignore = sources.filter { $0 != "." && $0 != "./" }.map { ignoreLine(forContextPath: $0) }
            var lines = ["Do not COPY the credential into a layer; mount it only for the step that needs it:",
                         "RUN \(m.flag) <command that needs it>   # build with \(m.buildOption)"]
            if !ignore.isEmpty { lines.append("and keep it out of the context (.dockerignore): " + ignore.joined(separator: " ")) }
            _ = destination
            return lines.joined(separator: "\n")
        case .env(let name):
            return "Remove `ENV \(name)`; give the value to the container at run time (`docker run -e \(name)` / an orchestrator secret), "
                + "or for a build step only: RUN --mount=type=secret,id=\(name.lowercased()),env=\(name) <command>   # build with --secret id=\(name.lowercased()),env=\(name)"
        case .arg(let name):
            return "Replace `ARG \(name)` with a secret mount on the step that needs it: "
                + "RUN --mount=type=secret,id=\(name.lowercased()),env=\(name) <command>   # build with --secret id=\(name.lowercased()),env=\(name)"
        case .label(let name):
            return "Remove the secret from `LABEL \(name)`: labels are public image metadata."
        case .addURL(let url):
            return "Fetch with a secret mount instead of credentials in the URL: "
                + "RUN --mount=type=secret,id=\(envName(for: kind).lowercased()),env=\(envName(for: kind)) curl -fsSL -H \"Authorization: Bearer $\(envName(for: kind))\" \(strippedURL(url)) -o <dest>"
        case .contextFile(let path):
            return ignoreLine(forContextPath: path)
        }
    }

    /// The origin of an image finding, from the history step that produced it: the
    /// `created_by` text (buildah/docker/BuildKit forms), the file path in the layer, the
    /// config field (`config:Env` entry name), and the secret value when known (to tell a
    /// `|N NAME=value` build argument from a value inlined in the command).
    public static func origin(createdBy: String?, path: String? = nil, envName: String? = nil, secret: String? = nil) -> Origin? {
        if let envName { return .env(name: envName) }
        guard let createdBy else { return path.map { .contextFile($0) } }
        let step = HistoryMatcher.normalize(createdBy)
        if createdBy.hasPrefix("|"), let secret, let sh = createdBy.range(of: " /bin/sh -c") {
            for word in createdBy[createdBy.index(after: createdBy.startIndex)..<sh.lowerBound].split(separator: " ").dropFirst() {
                if let eq = word.firstIndex(of: "="), word[word.index(after: eq)...].contains(secret) {
                    return .arg(name: String(word[..<eq]))
                }
            }
        }
        switch step.keyword {
        case "RUN": return .run(createdBy)
        case "COPY", "ADD":
            let name = path.map { ($0 as NSString).lastPathComponent } ?? "<source>"
            return .copy(sources: [name], destination: path ?? step.text)
        case "ENV": return .env(name: String(step.text.prefix { $0 != "=" && $0 != " " }))
        case "ARG": return .arg(name: String(step.text.prefix { $0 != "=" && $0 != " " }))
        case "LABEL": return .label(name: String(step.text.prefix { $0 != "=" && $0 != " " }))
        default: return nil
        }
    }

    /// `fix(kind:origin:)` for an image finding (what `strata scan` calls); nil when the step
    /// is unknown (a squashed or hand-made image).
    public static func fix(kind: String, createdBy: String?, path: String? = nil, envName: String? = nil, secret: String? = nil) -> String? {
        origin(createdBy: createdBy, path: path, envName: envName, secret: secret).map { fix(kind: kind, origin: $0) }
    }

    /// The `.dockerignore` line that excludes a context file wherever it is: `**/NAME` for a
    /// credential name, `DIR/` for a credential directory, the exact path otherwise.
    public static func ignoreLine(forContextPath path: String) -> String {
        let clean = GoPath.clean(path.hasPrefix("/") ? String(path.dropFirst()) : path)
        let components = clean.split(separator: "/").map(String.init)
        for (i, component) in components.enumerated() where CredentialFiles.directories[component.lowercased()] != nil {
            return i == 0 ? component + "/" : "**/" + component + "/"
        }
        guard let base = components.last else { return clean }
        let lower = base.lowercased()
        if CredentialFiles.names[lower] != nil || lower.hasPrefix(".env") {
            return components.count == 1 ? base : "**/" + base
        }
        let ext = (lower as NSString).pathExtension
        if CredentialFiles.keyExtensions.contains(ext) { return components.count == 1 ? "*." + ext : "**/*." + ext }
        for suffix in ["_rsa", "_dsa", "_ecdsa", "_ed25519"] where lower.hasSuffix(suffix) {
            return components.count == 1 ? "*" + suffix : "**/*" + suffix
        }
        return clean
    }

    static func strippedURL(_ url: String) -> String {
        var u = url
        if let scheme = u.range(of: "://"), let at = u[scheme.upperBound...].firstIndex(of: "@"),
           !u[scheme.upperBound..<at].contains("/") {
            u.removeSubrange(scheme.upperBound...at)
        }
        if let q = u.firstIndex(of: "?") { u = String(u[..<q]) }
        return u
    }

    /// Rewrites a RUN step: commands that write or configure the credential and commands that
    /// remove it are dropped, the rest runs with the secret mounted. A step that reads the
    /// secret from a build argument keeps reading it, now from an env secret mount.
    public static func secretMountRewrite(runArguments: String, kind: String, secret: String? = nil) -> String {
        var text = runArguments
        // History form: `|1 NAME=value /bin/sh -c cmd` or `/bin/sh -c cmd`.
        if text.hasPrefix("|"), let sh = text.range(of: "/bin/sh -c ") { text = String(text[sh.upperBound...]) }
        if text.hasPrefix("/bin/sh -c ") { text = String(text.dropFirst("/bin/sh -c ".count)) }
        let (flags, command) = DockerfileParser.splitFlags(text, keyword: "RUN")
        let segments = ShellAnalysis.segments(command)
        var kept: [ShellAnalysis.Segment] = []
        var credentialKind = kind
        var variable: String? = nil
        var droppedTargets: [String] = []
        var gitClone: String? = nil
        for segment in segments {
            let targets = ShellAnalysis.writeTargets(segment.text)
            let writesCredential = targets.contains { CredentialFiles.classify($0) != nil }
                || (!targets.isEmpty && ShellAnalysis.hasCredentialMarker(segment.text))
                || (secret.map { !targets.isEmpty && segment.text.contains($0) } ?? false)
            var drop = false
            if let clone = ShellAnalysis.credentialedClone(segment.text) {
                credentialKind = "git-clone"
                if variable == nil {
                    variable = ShellWords.variables(in: segment.text).first { SecretNameHeuristic.looksSecret($0) }
                }
                gitClone = clone
                kept.append(ShellAnalysis.Segment(text: clone, separator: segment.separator))
                continue
            } else if let config = ShellAnalysis.toolConfiguration(segment.text) {
                credentialKind = config.kind
                drop = true
            } else if writesCredential {
                if let kindFromPath = targets.compactMap({ CredentialFiles.classify($0)?.kind }).first,
                   ["npmrc", "pip-conf", "pypirc", "aws-credentials", "git-credentials", "docker-config", "netrc", "kubeconfig", "ssh", "private-key"].contains(kindFromPath) {
                    credentialKind = kindFromPath
                }
                droppedTargets += targets
                drop = true
            } else {
                let removal = ShellAnalysis.removals(segment.text, workdir: "/")
                if !removal.kinds.isEmpty || removal.paths.contains(where: { CredentialFiles.classify($0) != nil }) { drop = true }
                // chmod/chown of a credential file that is no longer written.
                let words = ShellAnalysis.words(segment.text)
                if ["chmod", "chown"].contains(words.first ?? ""), words.dropFirst().contains(where: { droppedTargets.contains($0) }) { drop = true }
            }
            if drop {
                // The command piping into a dropped one (`echo "$PASS" | docker login …`) goes too.
                if kept.last?.separator == "|" { kept.removeLast() }
                continue
            }
            if variable == nil {
                variable = ShellWords.variables(in: segment.text).first { SecretNameHeuristic.looksSecret($0) }
            }
            kept.append(segment)
        }
        let envName = variable ?? envName(for: kind)
        let m = mount(kind: credentialKind == "git-clone" ? "env" : credentialKind,
                      variable: credentialKind == kind || credentialKind == "git-clone" ? envName : nil)
        var body = ""
        for (i, segment) in kept.enumerated() {
            body += segment.text
            if i < kept.count - 1 { body += " " + (segment.separator.isEmpty || segment.separator == ";" ? "&&" : segment.separator) + " " }
        }
        if body.isEmpty { body = "<command that needs the credential>" }
        // An inline secret becomes the mounted variable; never echo the value in a suggestion.
        if let secret, !secret.isEmpty { body = body.replacingOccurrences(of: secret, with: "$" + envName) }
        if let clone = gitClone, clone.contains("$CLONE_TOKEN") { body = body.replacingOccurrences(of: "$CLONE_TOKEN", with: "$" + envName) }
        let otherFlags = flags.filter { $0.name != "mount" || !($0.value ?? "").contains("type=secret") }
            .map { "--\($0.name)" + ($0.value.map { "=\($0)" } ?? "") }
        return (["RUN"] + otherFlags + [m.flag, body]).joined(separator: " ") + "\n# build with: \(m.buildOption)"
    }
}
