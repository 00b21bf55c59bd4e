import Testing
@testable import Lint

@Suite struct ShellWordsTests {
    func env(_ text: String, _ vars: [String: String] = [:]) throws -> [KeyValue] {
        let df = try DockerfileParser.parse("FROM a\n" + text + "\n")
        return df.instructions[1].keyValues(lookup: { vars[$0] })
    }

    @Test func envLegacyForm() throws {
        let pairs = try env("ENV GREETING hello   big world")
        #expect(pairs.map(\.key) == ["GREETING"])
        #expect(pairs[0].value == "hello   big world")
    }

    @Test func envKeyValueFormsWithQuotes() throws {
        let pairs = try env(#"ENV A=1 B="two words" C='single $X' D=esc\ aped E="q\"uote""#, ["X": "no"])
        #expect(pairs.map(\.key) == ["A", "B", "C", "D", "E"])
        #expect(pairs.map(\.value) == ["1", "two words", "single $X", "esc aped", "q\"uote"])
        #expect(pairs[1].raw == "\"two words\"")
    }

    @Test func substitutionForms() {
        let vars = ["SET": "v", "EMPTY": ""]
        func p(_ s: String) -> String { ShellWords.process(s, lookup: { vars[$0] }) }
        #expect(p("$SET") == "v")
        #expect(p("${SET}x") == "vx")
        #expect(p("${UNSET:-dflt}") == "dflt")
        #expect(p("${EMPTY:-dflt}") == "dflt")
        #expect(p("${EMPTY-dflt}") == "")
        #expect(p("${SET:+alt}") == "alt")
        #expect(p("${UNSET:+alt}") == "")
        #expect(p("${UNSET:-${SET}}") == "v")
        #expect(p("'$SET'") == "$SET")
        #expect(p("\"$SET\"") == "v")
        #expect(p("\\$SET") == "$SET")
        #expect(p("cost$") == "cost$")
        // Single quotes hide `$C` from expansion, so it is not a reference.
        #expect(ShellWords.variables(in: "echo ${A:-x} $B '$C' \"$D\"") == ["A", "B", "D"])
    }

    @Test func argForms() throws {
        let df = try DockerfileParser.parse("ARG A\nARG B=1 C=\"x y\"\nFROM a\n")
        #expect(df.instructions[0].keyValues().map(\.key) == ["A"])
        #expect(df.instructions[0].keyValues()[0].value == nil)
        let b = df.instructions[1].keyValues()
        #expect(b.map(\.key) == ["B", "C"])
        #expect(b.map(\.value) == ["1", "x y"])
    }

    @Test func labelFormAndCopyPaths() throws {
        let df = try DockerfileParser.parse("FROM a\nLABEL org.opencontainers.image.title=\"my app\" x=1\nENV DIR=/srv\nCOPY [\"a b\", \"/dst/\"]\nCOPY src ${DIR}/\n")
        #expect(df.instructions[1].keyValues().map(\.value) == ["my app", "1"])
        #expect(df.instructions[3].copyPaths()?.sources == ["a b"])
        #expect(df.instructions[4].copyPaths(lookup: { $0 == "DIR" ? "/srv" : nil })?.destination == "/srv/")
    }
}
