import Foundation
import LayerIndex
import Testing
import TestSupport
@testable import Lint

/// Dockerfile lines linked to the history steps of the images built from them (the real
/// fixture configs: buildah's `#(nop)`, `|N K=V /bin/sh -c`, `COPY file:… in …` forms).
@Suite struct HistoryMatcherTests {
    /// `config.history` of a fixture image, read from its OCI layout.
    static func history(_ name: String) throws -> [HistoryStep] {
        let truth = try JSONSerialization.jsonObject(with: Data(contentsOf: Fixtures.truth(name))) as! [String: Any]
        let digest = (truth["oci_config_digest"] as! String).replacingOccurrences(of: "sha256:", with: "")
        let config = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: Fixtures.ociLayout(name))
            .appendingPathComponent("blobs/sha256/\(digest)"))) as! [String: Any]
        var steps = (config["history"] as! [[String: Any]]).enumerated().map { i, h in
            HistoryStep(index: i, createdBy: h["created_by"] as? String ?? "", emptyLayer: h["empty_layer"] as? Bool ?? false)
        }
        _ = HistoryAlignment.align(history: &steps, layerCount: steps.filter { !$0.emptyLayer }.count)
        return steps
    }

    static func truthCreatedBy(_ name: String) throws -> [String] {
        let truth = try JSONSerialization.jsonObject(with: Data(contentsOf: Fixtures.truth(name))) as! [String: Any]
        return (truth["layers"] as! [[String: Any]]).map { $0["created_by"] as! String }
    }

    /// line → (history index, layer index) for every instruction after FROM.
    static let expected: [String: [Int: (Int, Int?)]] = [
        "a-deleted-later-layer": [2: (1, nil), 3: (2, nil), 4: (3, 1), 5: (4, 2), 6: (5, 3), 7: (6, 4), 8: (7, 5), 9: (8, 6), 10: (9, 7), 11: (10, nil)],
        "z-combined": [4: (1, nil), 5: (2, nil), 6: (3, nil), 7: (4, 1), 8: (5, 2), 9: (6, 3), 10: (7, 4), 11: (8, 5), 12: (9, 6), 13: (10, 7), 14: (11, 8)],
        "g-secret-mount-clean": [5: (1, 1), 6: (2, 2), 7: (3, nil)],
    ]

    @Test(arguments: ["a-deleted-later-layer", "z-combined", "g-secret-mount-clean"])
    func alignsEveryStepOfTheShippedStage(_ name: String) throws {
        let dockerfile = try DockerfileParser.parse(contentsOf: Fixtures.dockerfile(name))
        let links = HistoryMatcher.align(dockerfile, history: try Self.history(name))
        let got = Dictionary(uniqueKeysWithValues: links.map { ($0.line, $0) })
        for (line, (historyIndex, layerIndex)) in Self.expected[name]! {
            #expect(got[line]?.historyIndex == historyIndex, "\(name) line \(line)")
            #expect(got[line]?.layerIndex == layerIndex, "\(name) line \(line)")
        }
        #expect(links.count == Self.expected[name]!.count)
    }

    @Test(arguments: Fixtures.imageNames)
    func truthLayersMapToTheirSteps(_ name: String) throws {
        // Only layer-making steps, as the truth files list them (base layer first).
        let dockerfile = try DockerfileParser.parse(contentsOf: Fixtures.dockerfile(name))
        let createdBy = try Self.truthCreatedBy(name)
        let links = HistoryMatcher.align(dockerfile, createdBy: createdBy)
        let layerMaking = dockerfile.instructions.enumerated().filter { i, ins in
            ["RUN", "COPY", "ADD"].contains(ins.keyword) && LintRun(dockerfile: dockerfile, engine: BuiltinSecretEngine(), showSecrets: false, context: nil)
                .shippedStages.contains(ins.stage)
        }
        #expect(links.count == layerMaking.count, "\(name)")
        // Steps map in order to layers 1, 2, … (layer 0 is the base image's).
        #expect(links.map(\.historyIndex) == Array(1...max(1, layerMaking.count)).prefix(layerMaking.count).map { $0 }, "\(name)")
    }

    @Test func buildKitAndDockerForms() throws {
        let dockerfile = try DockerfileParser.parse("FROM alpine\nARG TOKEN\nENV A=1\nWORKDIR /app\nCOPY . .\nRUN --mount=type=cache,target=/c make build\n")
        let history = [
            "/bin/sh -c #(nop) ADD file:abc in / ",
            "ARG TOKEN",
            "ENV A=1",
            "WORKDIR /app",
            "COPY . . # buildkit",
            "RUN |1 TOKEN=x /bin/sh -c make build # buildkit",
        ]
        let links = HistoryMatcher.align(dockerfile, createdBy: history)
        #expect(links.map(\.line) == [2, 3, 4, 5, 6])
        #expect(links.map(\.historyIndex) == [1, 2, 3, 4, 5])
        #expect(HistoryMatcher.normalize("RUN --mount=type=secret,id=npm /bin/sh -c npm ci # buildkit") == .init(keyword: "RUN", text: "npm ci"))
    }

    @Test func baseImageStepsThatRepeatOursStayUnmatched() throws {
        let dockerfile = try DockerfileParser.parse("FROM node:20\nWORKDIR /app\nCOPY . .\nCMD [\"node\", \"server.js\"]\n")
        let history = [
            "/bin/sh -c #(nop) ADD file:abc in / ",
            "/bin/sh -c #(nop) WORKDIR /app",
            "/bin/sh -c #(nop) CMD [\"node\"]",
            "/bin/sh -c #(nop) WORKDIR /app",
            "/bin/sh -c #(nop) COPY dir:def in . ",
            "/bin/sh -c #(nop) CMD [\"node\", \"server.js\"]",
        ]
        #expect(HistoryMatcher.align(dockerfile, createdBy: history).map(\.historyIndex) == [3, 4, 5])
    }

    @Test func evidenceNamesTheLayerAndTheRecordedBuildArg() throws {
        let name = "a-deleted-later-layer"
        let dockerfile = try DockerfileParser.parse(contentsOf: Fixtures.dockerfile(name))
        let history = try Self.history(name)
        let engine = defaultSecretEngine()
        let findings = Linter(engine: engine).lint(dockerfile)
        let linked = HistoryMatcher.attach(HistoryMatcher.align(dockerfile, history: history), to: findings,
                                           dockerfile: dockerfile, history: history, engine: engine)
        let arg = try #require(linked.first { $0.ruleID == "DF001" })
        #expect(arg.evidence?.historyIndex == 4)
        #expect(arg.evidence?.secretInHistory == "npm_****…(40 chars)")
        #expect(arg.evidence?.createdBy.contains("npm_O2jpiah") == false)
        let key = try #require(linked.first { $0.line == 7 })
        #expect(key.evidence?.layerIndex == 4)
    }

    @Test func remediationForScanFindings() {
        // What `strata scan` shows for a secret it found, by where it came from.
        let run = DockerfileRemediation.fix(kind: "npm-token", origin: .run(#"|1 NPM_TOKEN=x /bin/sh -c echo "//r/:_authToken=${NPM_TOKEN}" > /root/.npmrc && npm ci"#))
        #expect(run.hasPrefix("RUN --mount=type=secret,id=npmrc,target=/root/.npmrc npm ci"))
        let copy = DockerfileRemediation.fix(kind: "private-key", origin: .copy(sources: ["deploy_key"], destination: "/root/.ssh/id_rsa"))
        #expect(copy.contains("--mount=type=ssh"))
        #expect(DockerfileRemediation.fix(kind: "aws-secret-key", origin: .contextFile("app/.aws/credentials")) == "**/.aws/")
        #expect(DockerfileRemediation.fix(kind: "generic-password", origin: .contextFile(".env")) == ".env")
        #expect(DockerfileRemediation.fix(kind: "private-key", origin: .contextFile("certs/server.pem")) == "**/*.pem")
        #expect(DockerfileRemediation.fix(kind: "github-pat", origin: .env(name: "GH_TOKEN")).contains("docker run -e GH_TOKEN"))
        #expect(DockerfileRemediation.fix(kind: "github-pat", origin: .arg(name: "GH_TOKEN")).contains("--mount=type=secret,id=gh_token,env=GH_TOKEN"))
        // From image findings: the history step that made the layer.
        let fromArg = DockerfileRemediation.fix(kind: "npm-token", createdBy: "|1 NPM_TOKEN=npm_abc /bin/sh -c rm /root/.npmrc", secret: "npm_abc")
        #expect(fromArg?.contains("Replace `ARG NPM_TOKEN`") == true)
        let fromRun = DockerfileRemediation.fix(kind: "npm-token", createdBy: "/bin/sh -c echo \"//r/:_authToken=npm_x\" > /root/.npmrc && npm ci", path: "/root/.npmrc")
        #expect(fromRun?.hasPrefix("RUN --mount=type=secret,id=npmrc,target=/root/.npmrc npm ci") == true)
        let fromCopy = DockerfileRemediation.fix(kind: "private-key", createdBy: "/bin/sh -c #(nop) COPY file:fe56 in /root/.ssh/id_rsa ", path: "/root/.ssh/id_rsa")
        #expect(fromCopy?.contains("--mount=type=ssh") == true)
        #expect(DockerfileRemediation.fix(kind: "github-pat", createdBy: nil, envName: "GH_TOKEN")?.contains("ENV GH_TOKEN") == true)
        let aws = DockerfileRemediation.fix(kind: "aws-access-key", origin: .run("aws configure set aws_access_key_id $K && aws s3 cp s3://b/f ."))
        #expect(aws.hasPrefix("RUN --mount=type=secret,id=aws,target=/root/.aws/credentials aws s3 cp s3://b/f ."))
    }
}
