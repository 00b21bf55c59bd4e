import Foundation
import LayerIndex

/// A parsed Dockerfile: parser directives, instructions with their lines, and build stages.
public struct Dockerfile: Sendable, Hashable {
    /// Path the file was read from (for messages), or a label such as `<stdin>`.
    public var path: String
    /// Parser directives from the top of the file, keys lower-cased (`syntax`, `escape`, `check`).
    public var directives: [String: String]
    /// The escape character in effect (`\` or `` ` ``).
    public var escape: Character
    public var instructions: [Instruction]
    public var stages: [Stage]
    /// The raw source lines (1-based line N is `lines[N-1]`), for suppression comments.
    public var lines: [String]

    /// The stage a `--from` value or `FROM` base refers to: a stage name or a numeric index.
    public func stage(named reference: String) -> Stage? {
        let lowered = resolve(reference).lowercased()
        if let named = stages.first(where: { $0.name == lowered }) { return named }
        if let index = Int(reference), stages.indices.contains(index) { return stages[index] }
        return nil
    }

    /// Default values of the ARGs declared before the first FROM (what `FROM ${BASE}` and
    /// `COPY --from=${STAGE}` may use).
    public var globalArgs: [String: String] {
        var values: [String: String] = [:]
        for instruction in instructions where instruction.stage == -1 && instruction.keyword == "ARG" {
            for pair in instruction.keyValues(escape: escape, lookup: { values[$0] }) { values[pair.key] = pair.value ?? values[pair.key] }
        }
        return values
    }

    /// A `--from` / FROM reference with global ARG defaults substituted.
    public func resolve(_ reference: String) -> String {
        guard reference.contains("$") else { return reference }
        let args = globalArgs
        return ShellWords.process(reference, escape: escape, lookup: { args[$0] })
    }

    /// The last stage: what `docker build` produces without `--target`.
    public var finalStage: Stage? { stages.last }

    /// The instructions of one stage, FROM first.
    public func instructions(of stage: Stage) -> [Instruction] {
        stage.instructionIndices.map { instructions[$0] }
    }
}

/// BuildKit's Dockerfile front end, reimplemented: directives, escape character, line
/// continuations (comments and blank lines inside them are dropped), heredocs, exec form,
/// instruction flags and stages. It keeps the start and end line of every instruction.
public enum DockerfileParser {
    /// Instructions whose arguments may carry heredocs (BuildKit's dockerfile 1.4+ syntax).
    static let heredocKeywords: Set<String> = ["RUN", "COPY", "ADD"]

    public static func parse(_ text: String, path: String = "Dockerfile") throws -> Dockerfile {
        // Split on scalars: "\r\n" is one Character in Swift and would hide the newline.
        var lines = text.unicodeScalars.split(separator: "\n", omittingEmptySubsequences: false).map { scalars in
            var line = String(String.UnicodeScalarView(scalars))
            if line.unicodeScalars.last == "\r" { line.unicodeScalars.removeLast() }
            return line
        }
        if lines.last == "" { lines.removeLast() }
        if let first = lines.first, first.hasPrefix("\u{FEFF}") { lines[0] = String(first.dropFirst()) }

        var i = 0
        var directives: [String: String] = [:]
        while i < lines.count, let (key, value) = directive(lines[i]) {
            if directives[key] != nil, key == "escape" || key == "syntax" {
                throw StrataError("line \(i + 1): only one \(key) parser directive can be used", path: path)
            }
            directives[key] = value
            i += 1
        }
        var escape: Character = "\\"
        if let value = directives["escape"] {
            guard value == "\\" || value == "`" else {
                throw StrataError("line: invalid escape token '\(value)' does not match ` or \\", path: path)
            }
            escape = Character(value)
        }

        var instructions: [Instruction] = []
        var stages: [Stage] = []
        while i < lines.count {
            if isBlankOrComment(lines[i]) { i += 1; continue }
            let start = i
            var logical = ""
            while true {
                let (content, continues) = stripContinuation(lines[i], escape: escape)
                logical += content
                i += 1
                guard continues else { break }
                while i < lines.count, isBlankOrComment(lines[i]) { i += 1 }
                if i >= lines.count { break }
            }
            var end = i - 1
            let trimmed = logical.drop(while: { $0 == " " || $0 == "\t" })
            let keywordEnd = trimmed.firstIndex(where: { $0 == " " || $0 == "\t" }) ?? trimmed.endIndex
            let keyword = trimmed[..<keywordEnd].uppercased()
            var rest = String(trimmed[keywordEnd...].drop(while: { $0 == " " || $0 == "\t" }))
            while rest.hasSuffix(" ") || rest.hasSuffix("\t") { rest.removeLast() }

            let (flags, arguments) = splitFlags(rest, keyword: keyword)
            var execForm: [String]? = nil
            if arguments.hasPrefix("["), let array = parseJSONArray(arguments) { execForm = array }

            var heredocs: [Heredoc] = []
            if execForm == nil, heredocKeywords.contains(keyword) {
                for marker in heredocMarkers(in: arguments) {
                    let bodyStart = i
                    var body: [String] = []
                    var closed = false
                    while i < lines.count {
                        var candidate = lines[i]
                        if marker.stripsTabs { candidate = String(candidate.drop(while: { $0 == "\t" })) }
                        i += 1
                        if candidate == marker.delimiter { closed = true; break }
                        body.append(candidate)
                    }
                    guard closed else {
                        throw StrataError("line \(start + 1): unterminated heredoc <<\(marker.delimiter)", path: path)
                    }
                    heredocs.append(Heredoc(delimiter: marker.delimiter, stripsTabs: marker.stripsTabs,
                                            quoted: marker.quoted,
                                            content: body.isEmpty ? "" : body.joined(separator: "\n") + "\n",
                                            startLine: bodyStart + 1, endLine: i))
                }
                end = i - 1
            }

            let stageIndex = keyword == "FROM" ? stages.count : stages.count - 1
            let instruction = Instruction(keyword: keyword, flags: flags, arguments: arguments, execForm: execForm,
                                          heredocs: heredocs,
                                          source: lines[start...end].joined(separator: "\n"),
                                          startLine: start + 1, endLine: end + 1, stage: stageIndex)
            if keyword == "FROM" {
                let words = ShellWords.split(arguments, escape: escape)
                var name: String? = nil
                if words.count >= 3, words[words.count - 2].lowercased() == "as" {
                    name = words[words.count - 1].lowercased()
                }
                stages.append(Stage(index: stages.count, name: name, base: words.first ?? "",
                                    platform: instruction.flag("platform"), line: start + 1,
                                    instructionIndices: []))
            }
            if stageIndex >= 0 { stages[stageIndex].instructionIndices.append(instructions.count) }
            instructions.append(instruction)
        }
        return Dockerfile(path: path, directives: directives, escape: escape, instructions: instructions,
                          stages: stages, lines: lines)
    }

    /// Reads and parses a file; errors name the path.
    public static func parse(contentsOf url: URL) throws -> Dockerfile {
        let data: Data
        do { data = try Data(contentsOf: url) } catch {
            throw StrataError("cannot read Dockerfile", path: url.path)
        }
        return try parse(String(decoding: data, as: UTF8.self), path: url.path)
    }

    // MARK: - Lines

    /// `# key=value` at the top of the file (BuildKit: `^#\s*([a-zA-Z][a-zA-Z0-9]*)\s*=\s*(.+?)\s*$`).
    static func directive(_ line: String) -> (String, String)? {
        var rest = Substring(line)
        guard rest.first == "#" else { return nil }
        rest = rest.dropFirst().drop(while: { $0 == " " || $0 == "\t" })
        guard let first = rest.first, first.isASCII, first.isLetter else { return nil }
        let keyEnd = rest.firstIndex(where: { !($0.isASCII && ($0.isLetter || $0.isNumber)) }) ?? rest.endIndex
        let key = rest[..<keyEnd].lowercased()
        var after = rest[keyEnd...].drop(while: { $0 == " " || $0 == "\t" })
        guard after.first == "=" else { return nil }
        after = after.dropFirst().drop(while: { $0 == " " || $0 == "\t" })
        var value = String(after)
        while value.last == " " || value.last == "\t" { value.removeLast() }
        guard !value.isEmpty else { return nil }
        return (key, value)
    }

    static func isBlankOrComment(_ line: String) -> Bool {
        let trimmed = line.drop(while: { $0 == " " || $0 == "\t" })
        return trimmed.isEmpty || trimmed.first == "#"
    }

    /// Removes a trailing escape character (optionally followed by blanks): the line continues.
    static func stripContinuation(_ line: String, escape: Character) -> (String, Bool) {
        var content = Substring(line)
        while content.last == " " || content.last == "\t" { content = content.dropLast() }
        if content.last == escape { return (String(content.dropLast()), true) }
        return (line, false)
    }

    // MARK: - Flags and forms

    /// Leading `--name=value` words (quotes removed from values), then the remaining text.
    static func splitFlags(_ text: String, keyword: String) -> ([InstructionFlag], String) {
        var flags: [InstructionFlag] = []
        var rest = Substring(text)
        while rest.hasPrefix("--") {
            var end = rest.startIndex
            var quote: Character? = nil
            while end < rest.endIndex {
                let c = rest[end]
                if let q = quote { if c == q { quote = nil } } else if c == "\"" || c == "'" { quote = c } else if c == " " || c == "\t" { break }
                end = rest.index(after: end)
            }
            let word = rest[rest.index(rest.startIndex, offsetBy: 2)..<end]
            if word.isEmpty { break }  // a lone `--` is an argument
            if let eq = word.firstIndex(of: "=") {
                var value = String(word[word.index(after: eq)...])
                value.removeAll { $0 == "\"" || $0 == "'" }
                flags.append(InstructionFlag(name: word[..<eq].lowercased(), value: value))
            } else {
                flags.append(InstructionFlag(name: word.lowercased(), value: nil))
            }
            rest = rest[end...].drop(while: { $0 == " " || $0 == "\t" })
        }
        return (flags, String(rest))
    }

    static func parseJSONArray(_ text: String) -> [String]? {
        guard let data = text.data(using: .utf8),
              let value = try? JSONSerialization.jsonObject(with: data, options: []),
              let array = value as? [Any] else { return nil }
        var strings: [String] = []
        for item in array {
            guard let s = item as? String else { return nil }
            strings.append(s)
        }
        return strings
    }

    struct HeredocMarker: Equatable {
        var delimiter: String
        var stripsTabs: Bool
        var quoted: Bool
    }

    /// `<<EOF`, `<<-EOF`, `<<"EOF"`, `<<'EOF'` outside quotes, in order (`<<<` is a here-string).
    static func heredocMarkers(in text: String) -> [HeredocMarker] {
        let chars = Array(text)
        var markers: [HeredocMarker] = []
        var quote: Character? = nil
        var i = 0
        while i < chars.count {
            let c = chars[i]
            if let q = quote {
                if c == q { quote = nil }
                i += 1
                continue
            }
            if c == "\"" || c == "'" { quote = c; i += 1; continue }
            if c == "<", i + 1 < chars.count, chars[i + 1] == "<" {
                if i + 2 < chars.count, chars[i + 2] == "<" {
                    i += 3
                    while i < chars.count, chars[i] == "<" { i += 1 }
                    continue
                }
                var j = i + 2
                var strips = false
                if j < chars.count, chars[j] == "-" { strips = true; j += 1 }
                var quoted = false
                var delimiter = ""
                if j < chars.count, chars[j] == "\"" || chars[j] == "'" {
                    let q = chars[j]
                    quoted = true
                    j += 1
                    while j < chars.count, chars[j] != q { delimiter.append(chars[j]); j += 1 }
                    j += 1
                } else {
                    while j < chars.count, chars[j].isLetter || chars[j].isNumber || chars[j] == "_" || chars[j] == "-" || chars[j] == "." {
                        delimiter.append(chars[j])
                        j += 1
                    }
                }
                if !delimiter.isEmpty {
                    markers.append(HeredocMarker(delimiter: delimiter, stripsTabs: strips, quoted: quoted))
                }
                i = max(j, i + 2)
                continue
            }
            i += 1
        }
        return markers
    }
}

extension Dockerfile {
    /// The same file under another display path (as the user typed it).
    public func with(path: String) -> Dockerfile {
        var copy = self
        copy.path = path
        return copy
    }
}
