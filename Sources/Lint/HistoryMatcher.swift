import Foundation
import LayerIndex

/// A Dockerfile instruction linked to the image history step (and layer) it produced.
public struct HistoryLink: Sendable, Hashable, Codable {
    /// Index into `Dockerfile.instructions`.
    public var instructionIndex: Int
    public var line: Int
    /// Index into `config.history` (empty-layer steps counted).
    public var historyIndex: Int
    /// The layer the step made, nil for steps that make none (ENV, ARG, WORKDIR, CMD…).
    public var layerIndex: Int?
    public var createdBy: String
}

/// Aligns Dockerfile instructions with an image's history `created_by` strings, in the
/// forms builders record: docker/buildah `/bin/sh -c cmd`, `|N K=V … /bin/sh -c cmd` (build
/// args in effect), `/bin/sh -c #(nop) COPY file:… in /dst`, `#(nop) ENV K=V`; BuildKit
/// `RUN /bin/sh -c cmd # buildkit`, `COPY src /dst # buildkit`. The base image's own steps
/// come first and stay unmatched; the instructions of the shipped stages are aligned in
/// order (a monotone best-score alignment, so a missing or extra step does not shift the rest).
public enum HistoryMatcher {
    /// One history step reduced to a keyword and comparable text.
    struct Step: Equatable {
        var keyword: String
        var text: String
    }

    static func normalize(_ createdBy: String) -> Step {
        var text = createdBy.trimmingCharacters(in: .whitespaces)
        if text.hasSuffix("# buildkit") { text = String(text.dropLast("# buildkit".count)).trimmingCharacters(in: .whitespaces) }
        if text.hasPrefix("|"), let sh = text.range(of: "/bin/sh -c ") ?? text.range(of: "/bin/sh -c") {
            text = String(text[sh.lowerBound...])
        }
        if text.hasPrefix("/bin/sh -c ") {
            text = String(text.dropFirst("/bin/sh -c ".count)).trimmingCharacters(in: .whitespaces)
            if text.hasPrefix("#(nop)") {
                text = String(text.dropFirst("#(nop)".count)).trimmingCharacters(in: .whitespaces)
            } else {
                return Step(keyword: "RUN", text: squash(stripFlags(text)))
            }
        }
        let keywordEnd = text.firstIndex(where: { $0 == " " }) ?? text.endIndex
        let keyword = text[..<keywordEnd].uppercased()
        var rest = String(text[keywordEnd...]).trimmingCharacters(in: .whitespaces)
        if keyword == "RUN" {
            // BuildKit: `RUN [|N K=V …] [--mount=… ] /bin/sh -c cmd # buildkit`.
            if rest.hasPrefix("|"), let sh = rest.range(of: "/bin/sh -c ") { rest = String(rest[sh.lowerBound...]) }
            rest = stripFlags(rest)
            if rest.hasPrefix("/bin/sh -c ") { rest = String(rest.dropFirst("/bin/sh -c ".count)) }
            return Step(keyword: "RUN", text: squash(rest))
        }
        if keyword == "COPY" || keyword == "ADD" {
            // `COPY file:<sha> in /dst` (docker/buildah) or `COPY src /dst` (BuildKit): the destination.
            if let inRange = rest.range(of: " in ", options: .backwards), rest.hasPrefix("file:") || rest.hasPrefix("dir:") || rest.hasPrefix("multi:") {
                return Step(keyword: keyword, text: GoPath.clean(String(rest[inRange.upperBound...]).trimmingCharacters(in: .whitespaces)))
            }
            let words = ShellWords.split(rest).filter { !$0.hasPrefix("--") }
            return Step(keyword: keyword, text: GoPath.clean(words.last ?? ""))
        }
        return Step(keyword: keyword, text: squash(rest))
    }

    static func stripFlags(_ text: String) -> String {
        DockerfileParser.splitFlags(text, keyword: "RUN").1
    }

    static func squash(_ text: String) -> String {
        text.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\n" }).joined(separator: " ")
    }

    /// The comparable form of an instruction (same shape as `normalize`).
    static func expected(_ instruction: Instruction, workdir: String, escape: Character) -> Step {
        switch instruction.keyword {
        case "RUN":
            var text = instruction.execForm?.joined(separator: " ") ?? instruction.arguments
            for heredoc in instruction.heredocs { text += "\n" + heredoc.content }
            return Step(keyword: "RUN", text: squash(text))
        case "COPY", "ADD":
            let destination = instruction.copyPaths(escape: escape)?.destination ?? ""
            return Step(keyword: instruction.keyword, text: ShellAnalysis.absolute(destination, workdir: workdir))
        default:
            return Step(keyword: instruction.keyword, text: squash(instruction.arguments))
        }
    }

    /// Similarity in 0…1 (0 = cannot be this step).
    static func score(_ a: Step, _ b: Step) -> Double {
        guard a.keyword == b.keyword else { return 0 }
        if a.text == b.text { return 1 }
        if a.keyword == "COPY" || a.keyword == "ADD" {
            // Destination `/app/` vs `/app`, or a file inside the destination directory.
            if a.text.hasPrefix(b.text + "/") || b.text.hasPrefix(a.text + "/") { return 0.8 }
            return 0.3
        }
        // Build args expanded or quoting changed: token overlap.
        let ta = Set(a.text.split(separator: " ")), tb = Set(b.text.split(separator: " "))
        let overlap = Double(ta.intersection(tb).count) / Double(max(1, ta.union(tb).count))
        return overlap >= 0.5 ? 0.3 + overlap / 2 : 0.1
    }

    /// Links the instructions of the shipped stages to history steps.
    public static func align(_ dockerfile: Dockerfile, history: [HistoryStep]) -> [HistoryLink] {
        var candidates: [(index: Int, step: Step)] = []
        let run = LintRun(dockerfile: dockerfile, engine: BuiltinSecretEngine(), showSecrets: false, context: nil)
        for stageIndex in run.shippedStages.sorted() {
            var workdir = "/"
            for index in dockerfile.stages[stageIndex].instructionIndices {
                let instruction = dockerfile.instructions[index]
                if instruction.keyword == "WORKDIR" { workdir = ShellAnalysis.absolute(instruction.arguments, workdir: workdir) }
                if instruction.keyword == "FROM" { continue }
                candidates.append((index, expected(instruction, workdir: workdir, escape: dockerfile.escape)))
            }
        }
        let steps = history.map { normalize($0.createdBy) }
        let n = candidates.count, m = steps.count
        // best[i][j]: best total score aligning candidates[i...] with steps[j...].
        var best = [[Double]](repeating: [Double](repeating: 0, count: m + 1), count: n + 1)
        if n > 0 && m > 0 {
            for i in stride(from: n - 1, through: 0, by: -1) {
                for j in stride(from: m - 1, through: 0, by: -1) {
                    let s = score(candidates[i].step, steps[j])
                    let take = s >= 0.3 ? s + best[i + 1][j + 1] : 0
                    best[i][j] = max(take, best[i + 1][j], best[i][j + 1])
                }
            }
        }
        var layerOf: [Int?] = []
        var nextLayer = 0
        for step in history {
            if step.emptyLayer { layerOf.append(nil) } else { layerOf.append(nextLayer); nextLayer += 1 }
        }
        var links: [HistoryLink] = []
        var i = 0, j = 0
        while i < n && j < m {
            let s = score(candidates[i].step, steps[j])
            // Ties go to the later history step: the Dockerfile's own steps come after the base
            // image's, which may repeat one (`WORKDIR /app`).
            if abs(best[i][j] - best[i][j + 1]) < 1e-9 {
                j += 1
            } else if s >= 0.3, abs(best[i][j] - (s + best[i + 1][j + 1])) < 1e-9 {
                let instruction = dockerfile.instructions[candidates[i].index]
                links.append(HistoryLink(instructionIndex: candidates[i].index, line: instruction.startLine, historyIndex: j,
                                         layerIndex: history[j].layerIndex ?? layerOf[j], createdBy: history[j].createdBy))
                i += 1
                j += 1
            } else if abs(best[i][j] - best[i + 1][j]) < 1e-9 {
                i += 1
            } else {
                j += 1
            }
        }
        return links
    }

    /// Convenience for bare `created_by` strings (every step assumed to make a layer unless it is a `#(nop)` step).
    public static func align(_ dockerfile: Dockerfile, createdBy: [String]) -> [HistoryLink] {
        let history = createdBy.enumerated().map { i, text in
            HistoryStep(index: i, createdBy: text, emptyLayer: text.contains("#(nop)") && !text.contains("#(nop) COPY") && !text.contains("#(nop) ADD"))
        }
        return align(dockerfile, history: history)
    }

    /// Sets `evidence` on findings: the history step and layer their instruction produced,
    /// and whether that step's `created_by` text holds a secret. A secret-named ARG (DF001)
    /// points at the first later step whose `|N NAME=value` prefix recorded a value.
    public static func attach(_ links: [HistoryLink], to findings: [LintFinding], dockerfile: Dockerfile,
                              history: [HistoryStep], layerDigests: [String] = [], configEnv: [String] = [],
                              engine: any LintSecretEngine, showSecrets: Bool = false) -> [LintFinding] {
        func evidence(historyIndex: Int, layerIndex: Int?, focus: String? = nil, wanted: String? = nil) -> LayerEvidence {
            let createdBy = history[historyIndex].createdBy
            var secret: String? = focus
            if secret == nil {
                let found = engine.scan(text: createdBy, path: "history").compactMap(\.secret)
                // Prefer the secret the finding is about (same display form), else the first.
                secret = found.first { engine.display($0, showSecrets: showSecrets) == wanted } ?? found.first
            }
            return LayerEvidence(historyIndex: historyIndex, layerIndex: layerIndex,
                                 layerDigest: layerIndex.flatMap { layerDigests.indices.contains($0) ? layerDigests[$0] : nil },
                                 createdBy: showSecrets ? createdBy : redact(createdBy, engine: engine),
                                 secretInHistory: secret.map { engine.display($0, showSecrets: showSecrets) })
        }
        return findings.map { finding in
            var copy = finding
            guard let link = links.first(where: { link in
                let instruction = dockerfile.instructions[link.instructionIndex]
                return instruction.startLine <= finding.line && finding.line <= instruction.endLine
            }) else { return copy }
            let instruction = dockerfile.instructions[link.instructionIndex]
            if finding.ruleID == LintRules.secretArg.id, instruction.keyword == "ARG" {
                let names = instruction.keyValues(escape: dockerfile.escape).map(\.key)
                for j in link.historyIndex..<history.count {
                    if let value = buildArgValue(history[j].createdBy, names: names), !value.isEmpty {
                        copy.evidence = evidence(historyIndex: j, layerIndex: history[j].layerIndex, focus: value)
                        return copy
                    }
                }
            }
            copy.evidence = evidence(historyIndex: link.historyIndex, layerIndex: link.layerIndex, wanted: finding.secret)
            if instruction.keyword == "ENV" {
                // The value the image really carries for the ENV names of this step.
                let names = Set(instruction.keyValues(escape: dockerfile.escape).map(\.key))
                for entry in configEnv {
                    guard let eq = entry.firstIndex(of: "="), names.contains(String(entry[..<eq])) else { continue }
                    let value = String(entry[entry.index(after: eq)...])
                    if !value.isEmpty, engine.looksSecret(name: String(entry[..<eq])) || !engine.scan(text: value, path: "config").isEmpty {
                        copy.evidence?.secretInConfig = "\(entry[..<eq])=" + engine.display(value, showSecrets: showSecrets)
                    }
                }
            }
            return copy
        }
    }

    /// The value of one of `names` in a `|N K=V … /bin/sh -c` history prefix.
    static func buildArgValue(_ createdBy: String, names: [String]) -> String? {
        guard createdBy.hasPrefix("|"), let sh = createdBy.range(of: " /bin/sh -c") else { return nil }
        let prefix = createdBy[createdBy.index(after: createdBy.startIndex)..<sh.lowerBound]
        for word in prefix.split(separator: " ").dropFirst() {
            guard let eq = word.firstIndex(of: "=") else { continue }
            if names.contains(String(word[..<eq])) { return String(word[word.index(after: eq)...]) }
        }
        return nil
    }

    /// `created_by` with every detected secret and every `|N K=V` value of a secret-named
    /// build arg replaced by its preview.
    static func redact(_ text: String, engine: any LintSecretEngine) -> String {
        var out = text
        var secrets = engine.scan(text: text, path: "history").compactMap(\.secret)
        if text.hasPrefix("|"), let sh = text.range(of: " /bin/sh -c") {
            for word in text[text.index(after: text.startIndex)..<sh.lowerBound].split(separator: " ").dropFirst() {
                if let eq = word.firstIndex(of: "="), engine.looksSecret(name: String(word[..<eq])) {
                    let value = String(word[word.index(after: eq)...])
                    if !value.isEmpty { secrets.append(value) }
                }
            }
        }
        for secret in Set(secrets) where !secret.isEmpty {
            out = out.replacingOccurrences(of: secret, with: engine.preview(secret))
        }
        return out
    }
}
