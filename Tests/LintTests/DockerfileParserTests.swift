import Testing
@testable import Lint

@Suite struct DockerfileParserTests {
    @Test func directivesAndBacktickEscape() throws {
        let text = """
        # syntax=docker/dockerfile:1
        # escape=`
        FROM mcr.microsoft.com/windows AS base
        RUN echo one `
            && echo two
        COPY C:\\src C:\\dst
        """
        let df = try DockerfileParser.parse(text)
        #expect(df.directives["syntax"] == "docker/dockerfile:1")
        #expect(df.escape == "`")
        #expect(df.instructions.map(\.keyword) == ["FROM", "RUN", "COPY"])
        let run = df.instructions[1]
        #expect(run.arguments == "echo one     && echo two")
        #expect(run.startLine == 4 && run.endLine == 5)
        // With backtick escape, a trailing backslash is a path, not a continuation.
        #expect(df.instructions[2].arguments == "C:\\src C:\\dst")
    }

    @Test func directivesStopAtFirstOtherLine() throws {
        let df = try DockerfileParser.parse("# a comment\n# escape=`\nFROM x\nRUN a \\\n b\n")
        #expect(df.directives.isEmpty)
        #expect(df.escape == "\\")
        #expect(df.instructions[1].arguments == "a  b")
    }

    @Test func badEscapeDirectiveIsAnError() {
        #expect(throws: (any Error).self) { try DockerfileParser.parse("# escape=x\nFROM a\n") }
    }

    @Test func continuationsSkipCommentsAndBlankLines() throws {
        let text = """
        FROM alpine
        RUN apk add \\
            # a comment inside the continuation
            curl \\

            git
        ENV A=1
        """
        let df = try DockerfileParser.parse(text)
        let run = df.instructions[1]
        #expect(run.arguments == "apk add     curl     git")
        #expect(run.startLine == 2 && run.endLine == 6)
        #expect(df.instructions[2].startLine == 7)
    }

    @Test func heredocsPlainDashQuotedAndMultiple() throws {
        let text = "FROM alpine\n"
            + "RUN <<EOF\n"
            + "echo hi\n"
            + "echo $HOME\n"
            + "EOF\n"
            + "RUN <<-\"END\" sh\n"
            + "\techo tab\n"
            + "\tEND\n"
            + "COPY <<A /a <<'B' /b\n"
            + "aaa\n"
            + "A\n"
            + "bbb\n"
            + "B\n"
            + "RUN cat <<<\"here string\"\n"
        let df = try DockerfileParser.parse(text)
        #expect(df.instructions.map(\.keyword) == ["FROM", "RUN", "RUN", "COPY", "RUN"])
        let first = df.instructions[1]
        #expect(first.heredocs.count == 1)
        #expect(first.heredocs[0].content == "echo hi\necho $HOME\n")
        #expect(first.startLine == 2 && first.endLine == 5)
        let dash = df.instructions[2]
        #expect(dash.heredocs[0].stripsTabs && dash.heredocs[0].quoted)
        #expect(dash.heredocs[0].content == "echo tab\n")
        #expect(dash.endLine == 8)
        let copy = df.instructions[3]
        #expect(copy.heredocs.map(\.delimiter) == ["A", "B"])
        #expect(copy.heredocs.map(\.content) == ["aaa\n", "bbb\n"])
        #expect(copy.heredocs[1].quoted)
        #expect(copy.startLine == 9 && copy.endLine == 13)
        #expect(df.instructions[4].heredocs.isEmpty)
        #expect(df.instructions[4].startLine == 14)
    }

    @Test func unterminatedHeredocIsAnError() {
        #expect(throws: (any Error).self) { try DockerfileParser.parse("FROM a\nRUN <<EOF\necho\n") }
    }

    @Test func execFormFlagsAndStages() throws {
        let text = """
        ARG BASE=golang:1.22
        FROM --platform=linux/amd64 ${BASE} AS Build
        RUN --mount=type=secret,id=npm,target=/root/.npmrc --network=none npm ci
        FROM scratch
        COPY --from=build --chmod=600 /out/app /app
        COPY --from=0 /x /y
        CMD ["/app", "--serve"]
        """
        let df = try DockerfileParser.parse(text)
        #expect(df.instructions[0].stage == -1)
        #expect(df.stages.count == 2)
        #expect(df.stages[0].name == "build")
        #expect(df.stages[0].base == "${BASE}")
        #expect(df.stages[0].platform == "linux/amd64")
        let run = df.instructions[2]
        #expect(run.flags.map(\.name) == ["mount", "network"])
        #expect(run.mounts.first?.type == "secret" && run.mounts.first?.target == "/root/.npmrc")
        #expect(run.usesSecretMount)
        #expect(run.arguments == "npm ci")
        let copy = df.instructions[4]
        #expect(copy.flag("from") == "build")
        #expect(df.stage(named: copy.flag("from")!)?.index == 0)
        #expect(df.stage(named: "0")?.index == 0)
        #expect(df.instructions[6].execForm == ["/app", "--serve"])
        #expect(df.finalStage?.index == 1)
        #expect(df.instructions(of: df.stages[1]).map(\.keyword) == ["FROM", "COPY", "COPY", "CMD"])
    }

    @Test func crlfAndLowercaseKeywords() throws {
        let df = try DockerfileParser.parse("from alpine\r\nrun echo \\\r\n  hi\r\n")
        #expect(df.instructions.map(\.keyword) == ["FROM", "RUN"])
        #expect(df.instructions[1].arguments == "echo   hi")
        #expect(df.instructions[1].endLine == 3)
    }
}
