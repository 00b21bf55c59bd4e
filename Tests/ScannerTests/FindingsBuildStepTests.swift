import Testing
@testable import Scanner

@Suite struct FindingsBuildStepTests {
    @Test func buildahBuildArgumentsAreSplitIntoPairs() {
        let text = "|2 GITHUB_TOKEN=\(FakeSecrets.github) SLACK_BOT_TOKEN=\(FakeSecrets.slack) /bin/sh -c echo \"x\" > /build.log"
        let step = BuildStep(text)
        #expect(step.arguments.map(\.name) == ["GITHUB_TOKEN", "SLACK_BOT_TOKEN"])
        #expect(step.arguments.map(\.value) == [FakeSecrets.github, FakeSecrets.slack])
        let bytes = Array(text.utf8)
        let second = step.arguments[1]
        #expect(String(decoding: bytes[second.valueOffset..<(second.valueOffset + second.value.utf8.count)], as: UTF8.self) == FakeSecrets.slack)
        #expect(step.instruction == .run)
        #expect(step.body == "echo \"x\" > /build.log")
    }

    @Test func valuesWithSpacesEndAtTheNextNameOrTheCommand() {
        let step = BuildStep("|2 MSG=hello big world PASSWORD=a b c /bin/sh -c make")
        #expect(step.arguments.map(\.value) == ["hello big world", "a b c"])
        #expect(step.body == "make")
    }

    @Test func buildKitRunPrefixAndExecForm() {
        let step = BuildStep("RUN |1 NPM_TOKEN=\(FakeSecrets.npm) /bin/sh -c npm ci # buildkit")
        #expect(step.arguments.first?.name == "NPM_TOKEN")
        #expect(step.instruction == .run)
        let exec = BuildStep("|1 A=b [\"/app/run\", \"--x\"]")
        #expect(exec.arguments.map(\.value) == ["b"])
    }

    @Test func noPrefixMeansNoArguments() {
        #expect(BuildStep("/bin/sh -c echo |1 A=b").arguments.isEmpty)
        #expect(BuildStep("|x A=b").arguments.isEmpty)
        #expect(BuildStep("").instruction == .other)
    }

    @Test func classicAndBuildKitInstructions() {
        let env = BuildStep("/bin/sh -c #(nop) ENV GITHUB_TOKEN=${GITHUB_TOKEN} APP=\"a b\"")
        #expect(env.instruction == .env)
        #expect(env.assignments.map(\.name) == ["GITHUB_TOKEN", "APP"])
        #expect(env.assignments.map(\.value) == ["${GITHUB_TOKEN}", "a b"])
        let arg = BuildStep("/bin/sh -c #(nop) ARG GITHUB_TOKEN SLACK_BOT_TOKEN")
        #expect(arg.instruction == .arg)
        #expect(arg.assignments.map(\.name) == ["GITHUB_TOKEN", "SLACK_BOT_TOKEN"])
        #expect(arg.assignments.allSatisfy { $0.value == nil })
        let legacy = BuildStep("/bin/sh -c #(nop) ENV DB_PASSWORD s3cret value")
        #expect(legacy.assignments.first?.value == "s3cret value")
        #expect(BuildStep("ENV A=b").instruction == .env)
        #expect(BuildStep("ARG TOKEN=abc").assignments.first?.value == "abc")
    }

    @Test func copyDestinations() {
        let dir = BuildStep("/bin/sh -c #(nop) COPY dir:a80438f66d06 in /app/ ")
        #expect(dir.copy?.destination == "/app/")
        #expect(dir.copy?.fromDirectory == true)
        let file = BuildStep("/bin/sh -c #(nop) COPY file:cfad6043 in /root/.git-credentials ")
        #expect(file.copy?.destination == "/root/.git-credentials")
        #expect(file.copy?.fromDirectory == false)
        let kit = BuildStep("COPY . /app # buildkit")
        #expect(kit.copy?.destination == "/app")
        #expect(kit.copy?.fromDirectory == true)
        #expect(BuildStep("/bin/sh -c echo COPY x y").copy == nil)
    }
}
