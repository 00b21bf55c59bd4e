import Detection
import Foundation

/// DF004 secrets inline in RUN text (and in COPY/ADD heredocs); DF007 credentials in ADD URLs.
struct RunAndAddChecks {
    let run: LintRun

    func check() -> [LintFinding] {
        var findings: [LintFinding] = []
        for instruction in run.dockerfile.instructions {
            switch instruction.keyword {
            case "RUN", "CMD", "ENTRYPOINT", "HEALTHCHECK", "SHELL", "ONBUILD":
                findings += inlineSecrets(instruction)
            case "ADD":
                findings += addURLs(instruction)
                if !instruction.heredocs.isEmpty { findings += inlineSecrets(instruction) }
            case "COPY" where !instruction.heredocs.isEmpty:
                findings += inlineSecrets(instruction)
            default:
                break
            }
        }
        return findings
    }

    func inlineSecrets(_ instruction: Instruction) -> [LintFinding] {
        var findings: [LintFinding] = []
        var seen: Set<String> = []
        for match in run.engine.scan(text: instruction.source, path: run.dockerfile.path) {
            guard seen.insert(match.fingerprint).inserted else { continue }
            let line = instruction.startLine + match.line - 1
            let where_ = instruction.keyword == "RUN" ? "the RUN text is kept in the image history" : "the \(instruction.keyword) text is kept in the image"
            let suggestion = instruction.keyword == "RUN"
                ? DockerfileRemediation.fix(kind: match.kind, origin: .run(instruction.arguments), secret: match.secret)
                : "Remove the value from the Dockerfile and provide it at run time or through RUN --mount=type=secret."
            findings.append(LintFinding(
                rule: LintRules.inlineRunSecret, severity: match.confidence == .low ? .medium : nil, file: run.dockerfile.path,
                line: line, endLine: line,
                message: "\(match.title) written inline in \(instruction.keyword): \(where_) even if a later step deletes the file",
                suggestion: suggestion, secret: run.display(match.secret ?? match.preview), kind: match.kind))
        }
        return findings
    }

    func addURLs(_ instruction: Instruction) -> [LintFinding] {
        // Raw words: `https://${USER}:${PASS}@host` is a leak too (the expanded URL is recorded).
        let raw = instruction.execForm ?? ShellWords.split(instruction.arguments, escape: run.dockerfile.escape).map {
            $0.trimmingCharacters(in: CharacterSet(charactersIn: "\"'"))
        }
        guard raw.count >= 2 else { return [] }
        let sources = Array(raw.dropLast())
        var findings: [LintFinding] = []
        for source in sources {
            let lower = source.lowercased()
            guard lower.hasPrefix("http://") || lower.hasPrefix("https://") || lower.hasPrefix("git@") || lower.hasPrefix("ftp://") else { continue }
            var reason: String? = nil
            var secret: String? = nil
            if let scheme = source.range(of: "://") {
                let authority = source[scheme.upperBound...].prefix { $0 != "/" && $0 != "?" && $0 != "#" }
                if let at = authority.lastIndex(of: "@") {
                    let userinfo = authority[..<at]
                    if let colon = userinfo.firstIndex(of: ":") {
                        reason = "user:password in the URL"
                        secret = String(userinfo[userinfo.index(after: colon)...])
                    } else if userinfo.count >= 16 {
                        reason = "a token as the URL user"
                        secret = String(userinfo)
                    }
                }
            }
            if reason == nil, let q = source.firstIndex(of: "?") {
                let query = source[source.index(after: q)...]
                for item in query.split(separator: "&") {
                    let parts = item.split(separator: "=", maxSplits: 1).map(String.init)
                    guard parts.count == 2, !parts[1].isEmpty else { continue }
                    let key = parts[0].lowercased()
                    if run.engine.looksSecret(name: parts[0]) || ["sig", "signature", "x-amz-signature", "x-goog-signature", "access_token", "auth", "key"].contains(key) {
                        reason = "a credential in the query (\(parts[0])=)"
                        secret = parts[1]
                        break
                    }
                }
            }
            guard let reason, let secret else { continue }
            findings.append(LintFinding(
                rule: LintRules.addURLCredentials, file: run.dockerfile.path, line: instruction.startLine, endLine: instruction.endLine,
                message: "ADD downloads from a URL with \(reason): the URL is recorded in the image history",
                suggestion: DockerfileRemediation.fix(kind: "url-credentials", origin: .addURL(source)),
                secret: secret.hasPrefix("$") ? secret : run.display(secret), kind: "url-credentials"))
        }
        return findings
    }
}
