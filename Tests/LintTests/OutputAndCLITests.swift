import Foundation
import Testing
import TestSupport
@testable import Lint

@Suite struct OutputAndCLITests {
    @Test func sarifIsValid210WithRulesLocationsAndFingerprints() throws {
        let findings = try Linter().lint(contentsOf: Fixtures.dockerfile("z-combined"))
        let sarif = LintOutput.render(findings, format: .sarif)
        let doc = try #require(try JSONSerialization.jsonObject(with: Data(sarif.utf8)) as? [String: Any])
        #expect(doc["version"] as? String == "2.1.0")
        let run = try #require((doc["runs"] as? [[String: Any]])?.first)
        let driver = try #require((run["tool"] as? [String: Any])?["driver"] as? [String: Any])
        let rules = try #require(driver["rules"] as? [[String: Any]])
        #expect(rules.map { $0["id"] as? String } == LintRules.all.map(\.id))
        #expect(rules.allSatisfy { (($0["properties"] as? [String: Any])?["security-severity"] as? String) != nil })
        let results = try #require(run["results"] as? [[String: Any]])
        #expect(results.count == findings.count)
        for (result, finding) in zip(results, findings) {
            #expect(result["ruleId"] as? String == finding.ruleID)
            #expect(rules[result["ruleIndex"] as! Int]["id"] as? String == finding.ruleID)
            #expect(["error", "warning", "note"].contains(result["level"] as? String))
            let location = ((result["locations"] as? [[String: Any]])?.first?["physicalLocation"] as? [String: Any])
            #expect((location?["region"] as? [String: Any])?["startLine"] as? Int == finding.line)
            #expect(((location?["artifactLocation"] as? [String: Any])?["uri"] as? String)?.hasPrefix("file://") == true)
            #expect((result["partialFingerprints"] as? [String: String])?.isEmpty == false)
        }
        #expect(!sarif.contains("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"))
        let hexOfToken = Array("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".utf8).map { String(format: "%02x", $0) }.joined()
        #expect(!sarif.contains(hexOfToken))
        let fingerprints = results.compactMap { ($0["partialFingerprints"] as? [String: String])?["strataFinding/v1"] }
        #expect(fingerprints.allSatisfy { $0.count == 64 })
    }

    @Test func jsonCarriesEveryFieldAndRedacts() throws {
        let findings = try Linter().lint(contentsOf: Fixtures.dockerfile("b-same-layer-delete"))
        let json = LintOutput.render(findings, format: .json)
        let doc = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
        let first = try #require((doc["findings"] as? [[String: Any]])?.first)
        #expect(first["ruleID"] as? String == "DF004")
        #expect(first["line"] as? Int == 2)
        #expect(first["suggestion"] as? String != nil)
        #expect(!json.contains("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"))
    }

    @Test func binaryExitCodesAndFailOn() throws {
        guard FileManager.default.isExecutableFile(atPath: StrataBinary.url.path) else {
            Issue.record("strata binary not built at \(StrataBinary.url.path)")
            return
        }
        let leaky = try StrataBinary.run(["lint", Fixtures.dockerfile("d-build-args-env").path])
        #expect(leaky.status == 1)
        #expect(leaky.stdout.contains("DF002"))
        let onlyCritical = try StrataBinary.run(["lint", "--fail-on", "critical", Fixtures.dockerfile("a-deleted-later-layer").path])
        #expect(onlyCritical.status == 0, "a has only high findings")
        let clean = try StrataBinary.run(["lint", Fixtures.dockerfile("g-secret-mount-clean").path])
        #expect(clean.status == 0)
        #expect(clean.stdout == "no findings\n")
        let missing = try StrataBinary.run(["lint", "/nonexistent/Dockerfile"])
        #expect(missing.status == 2)
        #expect(missing.stderr.hasPrefix("strata: "))
        let mixed = try StrataBinary.run(["lint", "/nonexistent/Dockerfile", Fixtures.dockerfile("d-build-args-env").path])
        #expect(mixed.status == 2)
        #expect(mixed.stdout.contains("DF002"), "the readable file is still reported")
        let badFormat = try StrataBinary.run(["lint", "--format", "xml", Fixtures.dockerfile("g-secret-mount-clean").path])
        #expect(badFormat.status == 2)
        let shown = try StrataBinary.run(["lint", "--show-secrets", Fixtures.dockerfile("b-same-layer-delete").path])
        #expect(shown.stdout.contains("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"))
        let hidden = try StrataBinary.run(["lint", Fixtures.dockerfile("b-same-layer-delete").path])
        #expect(!hidden.stdout.contains("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"))
        let stdin = try StrataBinary.run(["lint", "-"], stdin: "FROM a\nARG NPM_TOKEN\n")
        #expect(stdin.status == 1 && stdin.stdout.hasPrefix("<stdin>:2  DF001"))
        let image = try StrataBinary.run(["lint", Fixtures.dockerfile("z-combined").path, "--image", Fixtures.dockerArchive("z-combined")])
        #expect(image.stdout.contains("image: history step 6, layer 3"))
        #expect(image.stdout.contains("image config Env holds: GH_TOKEN=ghp_****…(40 chars)"))
        #expect(!image.stdout.contains("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"))
    }

    @Test func builtinEngineAlsoFlagsEveryScenario() throws {
        // The fallback engine (used when Detection cannot compile) keeps the same verdicts.
        for name in Fixtures.imageNames {
            let findings = try Linter(engine: BuiltinSecretEngine()).lint(contentsOf: Fixtures.dockerfile(name))
            #expect(Set(findings.filter { $0.severity >= .medium }.map(\.line)) == FixtureScenarioTests.expected[name], "\(name)")
        }
    }
}
