import Foundation

/// A match before line numbers are known and overlaps are resolved.
struct Candidate {
    var ruleID: String
    var title: String
    var kind: String
    var severity: Severity
    var confidence: Confidence
    var priority: Int
    var secretRange: Range<Int>
    var secret: String
    var checksumValid: Bool?
    var notes: [String: String]
    /// A definite non-secret (a token whose checksum fails): blocks lower-priority matches on
    /// the same bytes and is never reported.
    var veto = false
}

extension Detector {
    /// Scans UTF-8 text (a config value, an ENV line); positions are UTF-8 byte offsets.
    public func scan(text: String, path: String) -> [Match] {
        var copy = text
        return copy.withUTF8 { scan(UnsafeRawBufferPointer($0), path: path) }
    }

    /// Scans raw bytes that came from `path` (used for path-scoped rules and to recognise
    /// credential files, which are parsed rather than grepped). Binary content is the caller's
    /// call: use ``ContentSniffer`` first to skip it.
    public func scan(_ bytes: UnsafeRawBufferPointer, path: String) -> [Match] {
        guard bytes.count > 0, bytes.baseAddress != nil else { return [] }
        let allowPaths = engine.globalAllowPaths
        if !allowPaths.isEmpty && allowPaths.contains(where: { $0.matches(path) }) { return [] }
        let buffer = borrowBuffer()
        defer { recycle(buffer) }
        if SQLiteRecords.isSQLite(bytes) {
            return finish(sqliteCandidates(bytes, path: path, buffer: buffer), bytes: bytes)
        }
        var candidates = StructuredParsers.scan(bytes, path: path)
        candidates += patternCandidates(bytes, path: path, buffer: buffer)
        var matches = finish(candidates, bytes: bytes)
        if !matches.isEmpty && PathContext.isDocumentationOrTest(path) {
            for i in matches.indices {
                matches[i].notes["context"] = "documentation-or-test"
                matches[i].severity = min(matches[i].severity, .low)
            }
        } else if !matches.isEmpty && PathContext.isInstalledLibrary(path) {
            // Context-only matches inside installed packages are mostly docstrings and examples.
            for i in matches.indices where matches[i].rule.hasPrefix("generic-") || matches[i].rule.hasPrefix("http-") {
                matches[i].notes["context"] = "installed-library"
                matches[i].severity = min(matches[i].severity, .low)
            }
        }
        return matches
    }

    /// Each text cell scanned on its own; a secret-looking name followed by a credential in the
    /// same row is reported as an assignment.
    func sqliteCandidates(_ bytes: UnsafeRawBufferPointer, path: String, buffer: MatchBuffer) -> [Candidate] {
        var out: [Candidate] = []
        for row in SQLiteRecords.rows(bytes) {
            for (n, cell) in row.enumerated() {
                let sub = UnsafeRawBufferPointer(rebasing: bytes[cell])
                for var c in patternCandidates(sub, path: path, buffer: buffer) {
                    c.secretRange = (c.secretRange.lowerBound + cell.lowerBound)..<(c.secretRange.upperBound + cell.lowerBound)
                    out.append(c)
                }
                guard n + 1 < row.count, cell.count <= 80 else { continue }
                let name = Detector.string(bytes, cell)
                guard name.allSatisfy({ $0.isLetter || $0.isNumber || "_.-".contains($0) }),
                      let category = SecretNames.category(of: name) else { continue }
                let valueRange = row[n + 1]
                let value = Detector.string(bytes, valueRange)
                guard value.count <= 400, ValueFilters.looksLikeCredential(value, category: category) else { continue }
                out.append(Candidate(ruleID: category == .password ? "generic-password-record" : "generic-secret-record",
                                     title: "Secret stored under \(name)", kind: category == .password ? "generic_password" : "generic_secret",
                                     severity: .high, confidence: .medium, priority: 29, secretRange: valueRange,
                                     secret: value, checksumValid: nil, notes: ["name": name, "container": "sqlite"]))
            }
        }
        return out
    }

    /// Keyword prefilter, then each hit rule's pattern over the merged windows.
    func patternCandidates(_ bytes: UnsafeRawBufferPointer, path: String, buffer: MatchBuffer) -> [Candidate] {
        let e = engine
        var candidates: [Candidate] = []
        var pathAllowed: [Int: Bool] = [:]
        func ruleApplies(_ index: Int) -> Bool {
            if let known = pathAllowed[index] { return known }
            var ok = true
            if let p = e.compiled[index].path, !p.matches(path) { ok = false }
            pathAllowed[index] = ok
            return ok
        }
        if let prefilter = e.prefilter {
            var windows = [[Range<Int>]](repeating: [], count: e.compiled.count)
            var lastName = [Int](repeating: -1, count: e.compiled.count)
            let memo = ScanMemo()
            for hit in prefilter.hits(in: bytes) {
                let keywordLength = prefilter.lengths[hit.id]
                for r in e.keywordRules[hit.id] {
                    if e.compiled[r].rule.anchorAtName {
                        guard ruleApplies(r) else { continue }
                        let name = Detector.nameAround(hit.end - keywordLength..<hit.end, in: bytes)
                        // Hits arrive in order: several keywords inside one name are judged once.
                        guard lastName[r] != name.lowerBound else { continue }
                        lastName[r] = name.lowerBound
                        runAnchored(rule: e.compiled[r], name: name, bytes: bytes, path: path, buffer: buffer, memo: memo, into: &candidates)
                        continue
                    }
                    let w = e.compiled[r].rule.window
                    let lo = max(0, hit.end - keywordLength - w)
                    let hi = min(bytes.count, hit.end + w)
                    windows[r].append(lo..<hi)
                }
            }
            for (r, list) in windows.enumerated() where !list.isEmpty && ruleApplies(r) {
                for window in Detector.merge(list) {
                    let expanded = Detector.expandToLines(window, in: bytes)
                    run(rule: e.compiled[r], range: expanded, bytes: bytes, path: path, buffer: buffer, into: &candidates)
                }
            }
        }
        for r in e.unguardedRules where ruleApplies(r) {
            run(rule: e.compiled[r], range: 0..<bytes.count, bytes: bytes, path: path, buffer: buffer, into: &candidates)
        }
        return candidates
    }

    /// Bytes that may form a variable or key name.
    @inline(__always) static func isNameByte(_ b: UInt8) -> Bool {
        (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A) || b == 0x5F || b == 0x2E || b == 0x2D
    }

    /// The whole name (bounded) around a keyword found inside it.
    static func nameAround(_ keyword: Range<Int>, in bytes: UnsafeRawBufferPointer) -> Range<Int> {
        var lo = keyword.lowerBound
        let loLimit = max(0, lo - 80)
        while lo > loLimit, isNameByte(bytes[lo - 1]) { lo -= 1 }
        var hi = keyword.upperBound
        let hiLimit = min(bytes.count, hi + 40)
        while hi < hiLimit, isNameByte(bytes[hi]) { hi += 1 }
        // Names end at a letter or digit, not at punctuation such as a trailing `.` or `-`.
        while hi > keyword.upperBound, bytes[hi - 1] == 0x2E || bytes[hi - 1] == 0x2D { hi -= 1 }
        return lo..<hi
    }

    /// A name-anchored rule: the name must look secret, then the pattern must match right after it.
    private func runAnchored(rule c: CompiledRule, name: Range<Int>, bytes: UnsafeRawBufferPointer, path: String,
                             buffer: MatchBuffer, memo: ScanMemo, into candidates: inout [Candidate]) {
        if name.lowerBound > 0 {
            let before = bytes[name.lowerBound - 1]
            // `$NAME` and `${NAME}` are references, not assignments; so is `obj->name`. After `:`,
            // `/`, `@`, `%` or `+` the "name" is part of a value (`arn:…:secret:prod/db`, a URL path).
            if before == 0x24 || before == 0x3E || before == 0x3A || before == 0x2F || before == 0x40 || before == 0x25
                || before == 0x2B { return }
            if before == 0x7B, name.lowerBound >= 2, bytes[name.lowerBound - 2] == 0x24 { return }
        }
        // The pattern first: most names are not followed by an assignment (`token_len(`), and
        // that fails in a few bytes, before any string is made.
        let end = min(bytes.count, name.upperBound + 600)
        guard var groups = c.pattern.matchAnchored(in: bytes, range: name.upperBound..<end, at: name.upperBound, buffer: buffer)
        else { return }
        let nameText = Detector.string(bytes, name)
        guard buffer.isSecretName(nameText) else { return }
        groups.append(name)
        // The same name = value pair repeated (logs, generated files) is judged once.
        guard let valueRange = groups[c.secretGroup] else { return }
        let key = nameText + "\u{0}" + Detector.string(bytes, valueRange)
        if memo.rejected.contains(key) { return }
        if let candidate = evaluate(c, groups: groups, bytes: bytes, path: path, nameGroup: groups.count - 1) {
            candidates.append(candidate)
        } else {
            memo.rejected.insert(key)
        }
    }

    private func run(rule c: CompiledRule, range: Range<Int>, bytes: UnsafeRawBufferPointer, path: String,
                     buffer: MatchBuffer, into candidates: inout [Candidate]) {
        c.pattern.forEachMatch(in: bytes, range: range, buffer: buffer) { groups in
            if let candidate = evaluate(c, groups: groups, bytes: bytes, path: path) {
                candidates.append(candidate)
            }
            return candidates.count < 100_000
        }
    }

    /// Applies allow-lists, placeholder filters, entropy and the validator to one regex match.
    func evaluate(_ c: CompiledRule, groups: [Range<Int>?], bytes: UnsafeRawBufferPointer, path: String,
                  nameGroup: Int? = nil) -> Candidate? {
        guard c.secretGroup < groups.count, let secretRange = groups[c.secretGroup], !secretRange.isEmpty else { return nil }
        let secret = Detector.string(bytes, secretRange)
        if (c.rule.validator == .secretAssignment || c.rule.validator == .passwordValue) && ValueFilters.quickReject(secret) {
            return nil
        }
        if c.allow.contains(where: { $0.matches(secret) }) { return nil }
        if engine.globalAllowPatterns.contains(where: { $0.matches(secret) }) { return nil }
        let lower = secret.lowercased()
        if c.stopwords.contains(where: { lower.contains($0) }) { return nil }
        if globalAllow.stopwords.contains(where: { lower.contains($0.lowercased()) }) { return nil }
        if c.rule.filterPlaceholders, ValueFilters.isPlaceholder(secret) { return nil }
        if let minimum = c.rule.entropy, Entropy.shannon(secret) < minimum { return nil }
        var candidate = Candidate(ruleID: c.rule.id, title: c.rule.title, kind: c.rule.kind, severity: c.rule.severity,
                                  confidence: c.rule.confidence, priority: c.rule.priority, secretRange: secretRange,
                                  secret: secret, checksumValid: nil, notes: c.rule.notes)
        let name = (nameGroup ?? c.nameGroup).flatMap { $0 < groups.count ? groups[$0] : nil }.map { Detector.string(bytes, $0) }
        if let name { candidate.notes["name"] = name }
        let user = c.userGroup.flatMap { $0 < groups.count ? groups[$0] : nil }.map { Detector.string(bytes, $0) }
        let before = secretRange.lowerBound > 0 ? bytes[secretRange.lowerBound - 1] : 0
        let quoted = before == 0x22 || before == 0x27 || before == 0x60
        let context = ValidationContext(name: name, user: user, quoted: quoted, path: path)
        guard Validators.apply(c.rule.validator, to: &candidate, context: context) else {
            if candidate.checksumValid == false {
                candidate.veto = true
                return candidate
            }
            return nil
        }
        return candidate
    }

    /// Resolves overlaps (higher priority wins), computes line and column, builds matches.
    func finish(_ candidates: [Candidate], bytes: UnsafeRawBufferPointer) -> [Match] {
        guard !candidates.isEmpty else { return [] }
        let ordered = candidates.sorted {
            if $0.priority != $1.priority { return $0.priority > $1.priority }
            if $0.secretRange.count != $1.secretRange.count { return $0.secretRange.count > $1.secretRange.count }
            return $0.secretRange.lowerBound < $1.secretRange.lowerBound
        }
        var kept: [Candidate] = []
        for candidate in ordered {
            if kept.contains(where: { $0.secretRange.overlaps(candidate.secretRange) }) { continue }
            kept.append(candidate)
        }
        kept.removeAll { $0.veto }
        kept.sort { $0.secretRange.lowerBound < $1.secretRange.lowerBound }
        Detector.pairAWSKeys(&kept)
        var matches: [Match] = []
        matches.reserveCapacity(kept.count)
        var lines = LineCounter(bytes)
        for k in kept {
            let (line, column) = lines.position(of: k.secretRange.lowerBound)
            matches.append(Match(rule: k.ruleID, title: k.title, kind: k.kind, severity: k.severity,
                                 confidence: k.confidence, line: line, column: column,
                                 start: k.secretRange.lowerBound, end: k.secretRange.upperBound,
                                 secret: k.secret, fingerprint: Redaction.fingerprint(k.secret),
                                 preview: Redaction.preview(k.secret), checksumValid: k.checksumValid,
                                 notes: k.notes))
        }
        return matches
    }

    /// Links each AWS secret key to the nearest access key id in the same input (within 4 KB).
    static func pairAWSKeys(_ kept: inout [Candidate]) {
        let ids = kept.indices.filter { kept[$0].kind == "aws_access_key_id" }
        guard !ids.isEmpty else { return }
        for s in kept.indices where kept[s].kind == "aws_secret_access_key" && kept[s].notes["pairedWith"] == nil {
            let here = kept[s].secretRange.lowerBound
            guard let nearest = ids.min(by: { abs(kept[$0].secretRange.lowerBound - here) < abs(kept[$1].secretRange.lowerBound - here) }),
                  abs(kept[nearest].secretRange.lowerBound - here) <= 4096 else { continue }
            kept[s].notes["pairedWith"] = Redaction.preview(kept[nearest].secret)
            if kept[nearest].notes["pairedWith"] == nil { kept[nearest].notes["pairedWith"] = Redaction.preview(kept[s].secret) }
        }
    }

    static func string(_ bytes: UnsafeRawBufferPointer, _ range: Range<Int>) -> String {
        String(decoding: UnsafeRawBufferPointer(rebasing: bytes[range]), as: UTF8.self)
    }

    /// Sorts and merges overlapping or touching ranges.
    static func merge(_ ranges: [Range<Int>]) -> [Range<Int>] {
        let sorted = ranges.count > 1 ? ranges.sorted { $0.lowerBound < $1.lowerBound } : ranges
        var out: [Range<Int>] = []
        for r in sorted {
            if let last = out.last, r.lowerBound <= last.upperBound {
                out[out.count - 1] = last.lowerBound..<max(last.upperBound, r.upperBound)
            } else {
                out.append(r)
            }
        }
        return out
    }

    /// Widens a window to whole lines (bounded), so anchors and names see their line.
    static func expandToLines(_ range: Range<Int>, in bytes: UnsafeRawBufferPointer) -> Range<Int> {
        var lo = range.lowerBound
        let loLimit = max(0, lo - 1024)
        while lo > loLimit, bytes[lo - 1] != 0x0A { lo -= 1 }
        var hi = range.upperBound
        let hiLimit = min(bytes.count, hi + 4096)
        while hi < hiLimit, bytes[hi - 1] != 0x0A { hi += 1 }
        return lo..<hi
    }
}

extension PCRE2Pattern {
    /// True when the pattern matches somewhere in `text`.
    func matches(_ text: String) -> Bool {
        var copy = text
        return copy.withUTF8 { utf8 in
            let raw = UnsafeRawBufferPointer(utf8)
            var found = false
            forEachMatch(in: raw, range: 0..<raw.count, buffer: MatchBuffer(pairs: captureCount + 1, ownStack: false)) { _ in
                found = true
                return false
            }
            return found
        }
    }
}

/// Per-scan memory of decisions that repeat: name/value pairs rejected.
final class ScanMemo {
    var rejected: Set<String> = []
}

/// Turns byte offsets into 1-based line and column, counting newlines once, forward only.
struct LineCounter {
    let bytes: UnsafeRawBufferPointer
    var offset = 0
    var line = 1
    var lineStart = 0

    init(_ bytes: UnsafeRawBufferPointer) { self.bytes = bytes }

    mutating func position(of target: Int) -> (line: Int, column: Int) {
        if target < offset { offset = 0; line = 1; lineStart = 0 }
        while offset < target {
            if bytes[offset] == 0x0A { line += 1; lineStart = offset + 1 }
            offset += 1
        }
        return (line, target - lineStart + 1)
    }
}
