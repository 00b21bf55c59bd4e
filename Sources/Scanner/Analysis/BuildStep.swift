import Foundation

/// A history `created_by` taken apart: the build arguments a builder recorded in front of a
/// `RUN` step (`|2 A=x B=y /bin/sh -c …`), the Dockerfile instruction, and its text.
///
/// Docker and buildah write `|N` followed by N `NAME=value` pairs separated by single spaces,
/// values unquoted. A value may itself hold spaces, so a pair ends where the next `NAME=`
/// begins and the last one ends where the command begins (`/bin/sh -c`, an exec-form `[`,
/// or, for a value without spaces, the next space).
public struct BuildStep: Sendable, Hashable {
    /// One recorded build argument, with the offset of its value in `created_by`.
    public struct Argument: Sendable, Hashable {
        public var name: String
        public var value: String
        /// UTF-8 offset of the value's first byte in the full `created_by` text.
        public var valueOffset: Int
    }

    /// What kind of instruction made the step.
    public enum Instruction: String, Sendable, Hashable {
        case run = "RUN", copy = "COPY", add = "ADD", env = "ENV", arg = "ARG", label = "LABEL"
        case cmd = "CMD", entrypoint = "ENTRYPOINT", other = "OTHER"
    }

    public var text: String
    public var arguments: [Argument]
    public var instruction: Instruction
    /// The instruction's operand text (for `ENV A=b`: `A=b`), or the shell command for `RUN`.
    public var body: String
    /// UTF-8 offset of `body` in `text`.
    public var bodyOffset: Int

    public init(_ createdBy: String) {
        text = createdBy
        let bytes = Array(createdBy.utf8)
        // BuildKit writes `RUN |1 A=b /bin/sh -c …`; the classic builder and buildah `|1 A=b …`.
        var position = createdBy.hasPrefix("RUN |") ? 4 : 0
        var arguments: [Argument] = []
        if let (count, afterCount) = BuildStep.argumentCount(Array(bytes[position...])) {
            position += afterCount
            arguments = BuildStep.parseArguments(bytes, from: &position, count: count)
        }
        self.arguments = arguments
        if arguments.isEmpty { position = 0 }
        let rest = String(decoding: bytes[position...], as: UTF8.self)
        let (instruction, bodyStart) = BuildStep.classify(rest)
        self.instruction = instruction
        let restBytes = Array(rest.utf8)
        body = String(decoding: restBytes[min(bodyStart, restBytes.count)...], as: UTF8.self)
        bodyOffset = position + bodyStart
    }

    /// `|N ` at the start: N and the offset after the space.
    static func argumentCount(_ b: [UInt8]) -> (Int, Int)? {
        guard b.first == UInt8(ascii: "|") else { return nil }
        var i = 1
        var n = 0
        while i < b.count, b[i] >= 0x30, b[i] <= 0x39, i < 8 {
            n = n * 10 + Int(b[i] - 0x30)
            i += 1
        }
        guard i > 1, i < b.count, b[i] == UInt8(ascii: " ") else { return nil }
        return (n, i + 1)
    }

    static func isNameStart(_ c: UInt8) -> Bool {
        (c >= 0x41 && c <= 0x5A) || (c >= 0x61 && c <= 0x7A) || c == 0x5F
    }

    static func isNameChar(_ c: UInt8) -> Bool {
        isNameStart(c) || (c >= 0x30 && c <= 0x39) || c == 0x2E || c == 0x2D
    }

    /// Length of `NAME=` at `i` (0 when there is none).
    static func nameAssignment(_ b: [UInt8], at i: Int) -> Int {
        guard i < b.count, isNameStart(b[i]) else { return 0 }
        var j = i + 1
        while j < b.count, isNameChar(b[j]) { j += 1 }
        return j < b.count && b[j] == UInt8(ascii: "=") ? j + 1 - i : 0
    }

    /// Where the command after the last argument starts, searching from `from`.
    static func commandStart(_ b: [UInt8], from: Int) -> Int? {
        let markers = [" /bin/sh -c ", " /bin/bash -c ", " /bin/sh ", " [\"", " cmd /S /C ", " /busybox/sh -c "]
        var best: Int?
        for marker in markers {
            let m = Array(marker.utf8)
            guard m.count <= b.count - from else { continue }
            var i = from
            while i + m.count <= b.count {
                if b[i] == m[0], Array(b[i..<i + m.count]) == m {
                    if best == nil || i < best! { best = i }
                    break
                }
                i += 1
            }
        }
        return best
    }

    static func parseArguments(_ b: [UInt8], from position: inout Int, count: Int) -> [Argument] {
        var out: [Argument] = []
        var i = position
        for k in 0..<count {
            let nameLength = nameAssignment(b, at: i)
            guard nameLength > 0 else { break }
            let name = String(decoding: b[i..<i + nameLength - 1], as: UTF8.self)
            let valueStart = i + nameLength
            var valueEnd = b.count
            if k < count - 1 {
                // Ends before the next ` NAME=`.
                var j = valueStart
                while j < b.count {
                    if b[j] == UInt8(ascii: " "), nameAssignment(b, at: j + 1) > 0 { break }
                    j += 1
                }
                valueEnd = j
            } else {
                let firstSpace = b[valueStart...].firstIndex(of: UInt8(ascii: " ")) ?? b.count
                if let command = commandStart(b, from: valueStart - 1), command >= valueStart {
                    valueEnd = command
                } else {
                    valueEnd = firstSpace
                }
            }
            out.append(Argument(name: name, value: String(decoding: b[valueStart..<valueEnd], as: UTF8.self), valueOffset: valueStart))
            i = valueEnd < b.count ? valueEnd + 1 : b.count
        }
        position = i
        return out
    }

    /// Recognises `/bin/sh -c #(nop) ENV …` (classic builder), `ENV …` (BuildKit), and plain
    /// `/bin/sh -c …` shell commands (RUN).
    static func classify(_ rest: String) -> (Instruction, Int) {
        var s = Substring(rest)
        var offset = 0
        func drop(_ prefix: String) -> Bool {
            if s.hasPrefix(prefix) {
                s = s.dropFirst(prefix.count)
                offset += prefix.utf8.count
                return true
            }
            return false
        }
        var shell = false
        for p in ["/bin/sh -c ", "/bin/bash -c ", "/busybox/sh -c "] where drop(p) { shell = true; break }
        let nop = drop("#(nop) ")
        if !nop {
            while drop(" ") {}
        }
        for instruction in [Instruction.env, .arg, .label, .copy, .add, .cmd, .entrypoint, .run] {
            let keyword = instruction.rawValue
            if s.hasPrefix(keyword + " ") {
                if shell && !nop && instruction != .run { break } // a shell command that happens to start with a word
                s = s.dropFirst(keyword.count + 1)
                offset += keyword.utf8.count + 1
                while drop(" ") {}
                if instruction == .run { _ = drop("/bin/sh -c ") }
                return (instruction, offset)
            }
        }
        if shell { return (.run, offset) }
        return (.other, offset)
    }

    /// For `COPY`/`ADD`: the destination, and whether a whole directory (or the context) was
    /// copied, so that a `.dockerignore` line can keep a file out. Classic builders write
    /// `COPY dir:<hash> in /app/`; BuildKit `COPY . /app # buildkit`.
    public var copy: (destination: String, fromDirectory: Bool)? {
        guard instruction == .copy || instruction == .add else { return nil }
        var text = body
        if let r = text.range(of: " # buildkit") { text = String(text[..<r.lowerBound]) }
        text = text.trimmingCharacters(in: .whitespaces)
        if let r = text.range(of: " in ") {
            let source = text[..<r.lowerBound]
            let dest = text[r.upperBound...].trimmingCharacters(in: .whitespaces)
            return (dest, source.hasPrefix("dir:") || source.hasPrefix("multi:"))
        }
        let words = text.split(separator: " ").filter { !$0.hasPrefix("--") }
        guard words.count >= 2, let dest = words.last else { return nil }
        let sources = words.dropLast()
        let fromDirectory = sources.contains { $0 == "." || $0.hasSuffix("/") || $0 == "./" || !$0.contains(".") }
        return (String(dest), fromDirectory)
    }

    /// For `ENV`/`ARG` steps: the `NAME=value` (or bare `NAME`) assignments in the body.
    /// Classic builders write `ENV A=b C=d` (or legacy `ENV A b`); `ARG A B=c`.
    public var assignments: [(name: String, value: String?, valueOffset: Int)] {
        guard instruction == .env || instruction == .arg else { return [] }
        let b = Array(body.utf8)
        var out: [(String, String?, Int)] = []
        var i = 0
        while i < b.count {
            while i < b.count, b[i] == UInt8(ascii: " ") { i += 1 }
            guard i < b.count else { break }
            let nameLength = BuildStep.nameAssignment(b, at: i)
            if nameLength == 0 {
                // A bare name (ARG X) or the legacy `ENV NAME value` form.
                var j = i
                while j < b.count, b[j] != UInt8(ascii: " ") { j += 1 }
                let name = String(decoding: b[i..<j], as: UTF8.self)
                if instruction == .env, out.isEmpty, j < b.count {
                    let valueStart = j + 1
                    out.append((name, BuildStep.unquote(String(decoding: b[valueStart...], as: UTF8.self)), bodyOffset + valueStart))
                    return out
                }
                out.append((name, nil, bodyOffset + i))
                i = j
                continue
            }
            let name = String(decoding: b[i..<i + nameLength - 1], as: UTF8.self)
            let valueStart = i + nameLength
            var j = valueStart
            var quote: UInt8?
            while j < b.count {
                let c = b[j]
                if let q = quote {
                    if c == q { quote = nil }
                } else if c == UInt8(ascii: "\"") || c == UInt8(ascii: "'") {
                    quote = c
                } else if c == UInt8(ascii: " ") {
                    break
                }
                j += 1
            }
            out.append((name, BuildStep.unquote(String(decoding: b[valueStart..<j], as: UTF8.self)), bodyOffset + valueStart))
            i = j
        }
        return out
    }

    static func unquote(_ value: String) -> String {
        if value.count >= 2, let f = value.first, f == value.last, f == "\"" || f == "'" {
            return String(value.dropFirst().dropLast())
        }
        return value
    }
}
