import CPCRE2

/// A compiled PCRE2 pattern (8-bit, byte semantics, JIT when available). The compiled code is
/// immutable and shared between threads; each match call brings its own `MatchBuffer`.
final class PCRE2Pattern: @unchecked Sendable {
    let code: OpaquePointer
    let captureCount: Int
    let source: String

    /// Compiles `pattern`; throws `DetectionError.badPattern` naming `ruleID` on a syntax error.
    init(_ pattern: String, ruleID: String, caseless: Bool = false) throws {
        var errorCode: Int32 = 0
        var errorOffset: Int = 0
        var options: UInt32 = PCRE2_MULTILINE
        if caseless { options |= PCRE2_CASELESS }
        let compiled = pattern.withCString { ptr in
            ptr.withMemoryRebound(to: UInt8.self, capacity: pattern.utf8.count + 1) { p in
                pcre2_compile_8(p, pattern.utf8.count, options, &errorCode, &errorOffset, nil)
            }
        }
        guard let compiled else {
            var buffer = [UInt8](repeating: 0, count: 256)
            _ = pcre2_get_error_message_8(errorCode, &buffer, buffer.count)
            let message = String(decoding: buffer.prefix { $0 != 0 }, as: UTF8.self)
            throw DetectionError.badPattern(rule: ruleID, message: "\(message) at offset \(errorOffset)")
        }
        _ = pcre2_jit_compile_8(compiled, PCRE2_JIT_COMPLETE)
        var count: UInt32 = 0
        _ = pcre2_pattern_info_8(compiled, UInt32(PCRE2_INFO_CAPTURECOUNT), &count)
        self.code = compiled
        self.captureCount = Int(count)
        self.source = pattern
    }

    deinit { pcre2_code_free_8(code) }

    /// Number of the group named `name`, if the pattern has one.
    func groupNumber(named name: String) -> Int? {
        let n = name.withCString { ptr in
            ptr.withMemoryRebound(to: UInt8.self, capacity: name.utf8.count + 1) {
                pcre2_substring_number_from_name_8(code, $0)
            }
        }
        return n > 0 ? Int(n) : nil
    }

    /// Calls `body` with the group spans (absolute offsets into `base`, nil for unset groups) of
    /// every non-overlapping match in `base[range]`; `body` returns false to stop.
    func forEachMatch(in base: UnsafeRawBufferPointer, range: Range<Int>, buffer: MatchBuffer,
                      _ body: ([Range<Int>?]) -> Bool) {
        guard let start = base.baseAddress, !range.isEmpty else { return }
        let subject = start.advanced(by: range.lowerBound).assumingMemoryBound(to: UInt8.self)
        let length = range.count
        var offset = 0
        let unset = strata_pcre2_unset()
        while offset <= length {
            let rc = pcre2_match_8(code, subject, length, offset, 0, buffer.data, buffer.context)
            if rc < 0 { return }
            let ovector = pcre2_get_ovector_pointer_8(buffer.data)!
            let pairs = min(Int(rc == 0 ? UInt32(captureCount + 1) : UInt32(rc)), captureCount + 1)
            var groups: [Range<Int>?] = []
            groups.reserveCapacity(captureCount + 1)
            for i in 0...captureCount {
                if i < pairs, ovector[2 * i] != unset {
                    groups.append((range.lowerBound + ovector[2 * i])..<(range.lowerBound + ovector[2 * i + 1]))
                } else {
                    groups.append(nil)
                }
            }
            if !body(groups) { return }
            let matchEnd = ovector[1]
            offset = matchEnd > ovector[0] ? matchEnd : ovector[0] + 1
        }
    }
}

extension PCRE2Pattern {
    /// The group spans of a match that starts exactly at `offset` (within `base[range]`), if any.
    func matchAnchored(in base: UnsafeRawBufferPointer, range: Range<Int>, at offset: Int, buffer: MatchBuffer) -> [Range<Int>?]? {
        guard let start = base.baseAddress, range.contains(offset) else { return nil }
        let subject = start.advanced(by: range.lowerBound).assumingMemoryBound(to: UInt8.self)
        let rc = pcre2_match_8(code, subject, range.count, offset - range.lowerBound, PCRE2_ANCHORED, buffer.data, buffer.context)
        guard rc >= 0 else { return nil }
        let ovector = pcre2_get_ovector_pointer_8(buffer.data)!
        let unset = strata_pcre2_unset()
        let pairs = rc == 0 ? captureCount + 1 : min(Int(rc), captureCount + 1)
        return (0...captureCount).map { i in
            guard i < pairs, ovector[2 * i] != unset else { return nil }
            return (range.lowerBound + ovector[2 * i])..<(range.lowerBound + ovector[2 * i + 1])
        }
    }
}

/// Per-call PCRE2 match data, big enough for any pattern of the rule set. A scan borrows one
/// from the detector's pool, so what it remembers (`isSecretName`) needs no lock.
final class MatchBuffer {
    let data: OpaquePointer
    private var secretNames: [String: Bool] = [:]
    /// A match context with its own JIT stack (up to 1 MB) and a backtracking limit, so a
    /// pathological window costs bounded time instead of failing on the default 32 KB stack.
    let context: OpaquePointer?
    let stack: OpaquePointer?

    /// `ownStack: false` gives a light buffer for short subjects (allow-lists, paths).
    init(pairs: Int = 64, ownStack: Bool = true) {
        data = pcre2_match_data_create_8(UInt32(pairs), nil)
        guard ownStack else { context = nil; stack = nil; return }
        context = pcre2_match_context_create_8(nil)
        stack = pcre2_jit_stack_create_8(64 << 10, 1 << 20, nil)
        if let context {
            pcre2_jit_stack_assign_8(context, nil, UnsafeMutableRawPointer(stack))
            pcre2_set_match_limit_8(context, 5_000_000)
        }
    }

    /// `SecretNames.looksSecret`, remembered across scans (names repeat across files and layers).
    func isSecretName(_ name: String) -> Bool {
        if let known = secretNames[name] { return known }
        let result = SecretNames.looksSecret(name)
        if secretNames.count > 50_000 { secretNames.removeAll(keepingCapacity: true) }
        secretNames[name] = result
        return result
    }

    deinit {
        pcre2_match_data_free_8(data)
        if let context { pcre2_match_context_free_8(context) }
        if let stack { pcre2_jit_stack_free_8(stack) }
    }
}

/// Errors from building a detector.
public enum DetectionError: Error, CustomStringConvertible, Sendable {
    case badPattern(rule: String, message: String)
    case vectorscan(String)
    case config(String)

    public var description: String {
        switch self {
        case .badPattern(let rule, let message): return "rule \(rule): bad pattern: \(message)"
        case .vectorscan(let message): return "vectorscan: \(message)"
        case .config(let message): return "rules config: \(message)"
        }
    }
}
