/// One `--name=value` flag of an instruction (`--from=build`, `--mount=type=secret,id=npm`).
public struct InstructionFlag: Sendable, Hashable, Codable {
    public var name: String
    /// The text after `=`; nil for a bare `--link`.
    public var value: String?

    public init(name: String, value: String?) {
        self.name = name
        self.value = value
    }
}

/// A heredoc attached to an instruction (`RUN <<EOF … EOF`, `COPY <<-"END" /dst`).
public struct Heredoc: Sendable, Hashable, Codable {
    /// The delimiter word without quotes (`EOF`).
    public var delimiter: String
    /// True for `<<-`: leading tabs are stripped from every body line.
    public var stripsTabs: Bool
    /// True when the delimiter was quoted: the body is not subject to variable expansion.
    public var quoted: Bool
    /// The body, lines joined with `\n` and ending with `\n` (empty body: "").
    public var content: String
    /// 1-based line of the first body line (the line after the instruction or previous heredoc).
    public var startLine: Int
    /// 1-based line of the terminating delimiter.
    public var endLine: Int
}

/// One Dockerfile instruction as BuildKit sees it: the keyword, its flags, its arguments
/// (continuations joined, comments inside continuations dropped), its heredocs, and the
/// lines it spans in the source.
public struct Instruction: Sendable, Hashable, Codable {
    /// Upper-cased keyword: `FROM`, `RUN`, `COPY`, `ENV`, …
    public var keyword: String
    /// Flags given before the arguments, in order.
    public var flags: [InstructionFlag]
    /// The argument text after the flags, continuations joined (escape + newline removed).
    public var arguments: String
    /// The exec (JSON array) form, when the arguments are one.
    public var execForm: [String]?
    public var heredocs: [Heredoc]
    /// The instruction's source lines exactly as written (continuations, heredoc bodies).
    public var source: String
    /// 1-based first and last source line.
    public var startLine: Int
    public var endLine: Int
    /// Index of the build stage this instruction belongs to (-1 before the first FROM: global ARGs).
    public var stage: Int

    /// The value of the last flag called `name` (`--from`), nil when absent.
    public func flag(_ name: String) -> String? {
        flags.last(where: { $0.name == name })?.value ?? (flags.contains { $0.name == name } ? "" : nil)
    }

    /// All values of flags called `name` (`--mount` may repeat).
    public func flags(named name: String) -> [String] {
        flags.filter { $0.name == name }.compactMap(\.value)
    }

    /// The shell or exec command text this instruction runs, heredoc bodies appended: what a
    /// RUN step puts in history and what secret detection must read.
    public var commandText: String {
        var text = execForm.map { $0.joined(separator: " ") } ?? arguments
        for heredoc in heredocs { text += "\n" + heredoc.content }
        return text
    }
}

/// A build stage: `FROM image [AS name]` and the instructions up to the next `FROM`.
public struct Stage: Sendable, Hashable, Codable {
    public var index: Int
    /// The stage name (`AS build`), lower-cased as BuildKit compares it; nil when unnamed.
    public var name: String?
    /// The base image or stage reference as written (`golang:1.22`, `build`, `${BASE}`).
    public var base: String
    public var platform: String?
    /// 1-based line of the FROM instruction.
    public var line: Int
    /// Indices into `Dockerfile.instructions` of this stage's instructions (FROM included).
    public var instructionIndices: [Int]
}
