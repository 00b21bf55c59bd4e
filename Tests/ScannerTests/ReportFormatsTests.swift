import Detection
import Foundation
import LayerIndex
import Reporting
import Testing
import TestSupport
@testable import Scanner

@Suite struct ReportFormatsTests {
    static let info = ImageInfo(reference: "img.tar", format: "docker-archive", manifestDigest: nil,
                                configDigest: Digest(hex: String(repeating: "c", count: 64)),
                                config: ImageConfig(os: "linux", architecture: "amd64"),
                                layers: [LayerDescriptor(index: 0, digest: Digest(hex: String(repeating: "1", count: 64)),
                                                         diffID: Digest(hex: String(repeating: "2", count: 64)), size: 10,
                                                         mediaType: "application/vnd.docker.image.rootfs.diff.tar", compression: .none)])

    static func findings() -> [Finding] {
        let npm = FindingsTestMatcher.match(rule: "npm-token", secret: FakeSecrets.npm, severity: .high, in: nil, start: 0)
        let slack = FindingsTestMatcher.match(rule: "slack-bot-token", secret: FakeSecrets.slack, severity: .medium, in: nil, start: 0)
        var low = FindingsTestMatcher.match(rule: "generic-secret", secret: "s3cr3tv4lu3", severity: .low, in: nil, start: 0)
        low.confidence = .low
        let run = "|1 NPM_TOKEN=\(FakeSecrets.npm) /bin/sh -c echo \"//r/:_authToken=${NPM_TOKEN}\" > /root/.npmrc"
        return [
            Finding(match: npm, status: .removed, removedInLayer: 6,
                    location: FindingLocation(source: .layer, layer: 0, layerDigest: info.layers[0].diffID, path: "root/.npmrc", line: 1, column: 20),
                    introducedBy: run, remediation: "Rotate; use RUN --mount=type=secret."),
            Finding(match: npm, status: .history, location: FindingLocation(source: .history, layer: 0, line: 1, column: 14, field: "history[4]", historyIndex: 4),
                    introducedBy: run, remediation: "Use a build secret."),
            Finding(match: slack, status: .config, location: FindingLocation(source: .config, field: "Env[SLACK]"), remediation: "Inject at run time."),
            Finding(match: low, status: .history, location: FindingLocation(source: .history, field: "history[1]", historyIndex: 1), remediation: "x"),
        ]
    }

    static func json(_ data: Data) throws -> [String: Any] {
        try JSONSerialization.jsonObject(with: data) as! [String: Any]
    }

    @Test func jsonKeepsTheContractAndRedacts() throws {
        let input = ReportInput(target: .image(Self.info), findings: Self.findings())
        let data = JSONReport.render(input)
        let text = String(decoding: data, as: UTF8.self)
        #expect(!text.contains(FakeSecrets.npm) && !text.contains(FakeSecrets.slack) && !text.contains("s3cr3tv4lu3"))
        let doc = try Self.json(data)
        #expect((doc["image"] as? [String: Any])?["reference"] as? String == "img.tar")
        let findings = doc["findings"] as! [[String: Any]]
        #expect(findings.count == 4)
        let first = findings[0]
        for key in ["rule", "severity", "fingerprint", "secret", "status", "removedInLayer", "location", "introducedBy", "remediation"] {
            #expect(first[key] != nil, "\(key)")
        }
        #expect(first["status"] as? String == "removed")
        #expect(first["removedInLayer"] as? Int == 6)
        #expect((first["fingerprint"] as? String)?.hasPrefix("sha256:") == true)
        let location = first["location"] as! [String: Any]
        #expect(location["source"] as? String == "layer")
        #expect(location["layer"] as? Int == 0)
        #expect(location["layerDigest"] as? String == Self.info.layers[0].diffID.description)
        #expect(location["path"] as? String == "root/.npmrc")
        #expect(location["line"] as? Int == 1 && location["column"] as? Int == 20)
        #expect((first["introducedBy"] as? String)?.contains("npm_****") == true)
        #expect(findings.map { $0["status"] as! String } == ["removed", "config", "history", "history"])
        #expect(((findings[1]["location"] as! [String: Any])["field"] as? String) == "Env[SLACK]")
        #expect(findings[0]["fingerprint"] as? String == findings[3]["fingerprint"] as? String || findings[0]["fingerprint"] as? String == findings[2]["fingerprint"] as? String)

        let shown = String(decoding: JSONReport.render(ReportInput(target: .image(Self.info), findings: Self.findings(), showSecrets: true)), as: UTF8.self)
        #expect(shown.contains(FakeSecrets.npm))
    }

    @Test func directoryTargets() throws {
        let doc = try Self.json(JSONReport.render(ReportInput(target: .directory("ctx"), findings: [])))
        #expect(doc["directory"] as? String == "ctx")
        #expect((doc["findings"] as? [Any])?.isEmpty == true)
    }

    @Test func sarifHasRulesResultsAndFingerprints() throws {
        let doc = try Self.json(SARIFReport.render(ReportInput(target: .image(Self.info), findings: Self.findings())))
        #expect(doc["version"] as? String == "2.1.0")
        let run = (doc["runs"] as! [[String: Any]])[0]
        let driver = (run["tool"] as! [String: Any])["driver"] as! [String: Any]
        let rules = driver["rules"] as! [[String: Any]]
        #expect(Set(rules.map { $0["id"] as! String }) == ["npm-token", "slack-bot-token", "generic-secret"])
        #expect(rules.allSatisfy { $0["shortDescription"] != nil && $0["help"] != nil })
        let results = run["results"] as! [[String: Any]]
        #expect(results.count == 4)
        let first = results[0]
        #expect(first["ruleId"] as? String == "npm-token")
        #expect(first["level"] as? String == "error")
        let physical = ((first["locations"] as! [[String: Any]])[0]["physicalLocation"] as! [String: Any])
        #expect((physical["artifactLocation"] as! [String: Any])["uri"] as? String == "root/.npmrc")
        #expect((physical["region"] as! [String: Any])["startLine"] as? Int == 1)
        #expect((first["partialFingerprints"] as! [String: String]).count == 2)
        let text = String(decoding: SARIFReport.render(ReportInput(target: .image(Self.info), findings: Self.findings())), as: UTF8.self)
        #expect(!text.contains(FakeSecrets.npm))
        let fingerprints = results.map { ($0["partialFingerprints"] as! [String: String])["strataLocation/v1"]! }
        #expect(Set(fingerprints).count == 4)
    }

    @Test func tableGroupsBySecretWithoutColourWhenAsked() {
        let input = ReportInput(target: .image(Self.info), findings: Self.findings())
        let plain = TableReport.render(input, style: TableReport.Style.forOutput(isTerminal: true, environment: ["NO_COLOR": "1"]))
        #expect(!plain.contains("\u{1B}["))
        #expect(!plain.contains(FakeSecrets.npm))
        #expect(plain.contains("1. HIGH"))
        #expect(plain.contains("layer 0  /root/.npmrc:1:20  removed in layer 6"))
        #expect(plain.contains("history  history[4] (layer 0)"))
        #expect(plain.contains("config   Env[SLACK]"))
        #expect(plain.contains("3 secrets in 4 locations (1 high, 1 medium, 1 low)"))
        let blocks = plain.components(separatedBy: "\n\n").filter { $0.hasPrefix("1.") || $0.hasPrefix("2.") || $0.hasPrefix("3.") }
        #expect(blocks.count == 3)
        let coloured = TableReport.render(input, style: TableReport.Style.forOutput(isTerminal: true, environment: [:]))
        #expect(coloured.contains("\u{1B}["))
        #expect(TableReport.Style.forOutput(isTerminal: false, environment: [:]).colour == false)
        // Hostile text from the image is escaped.
        var hostile = Self.findings()[0]
        hostile.location.path = "evil\u{1B}[2Jname"
        let escaped = TableReport.render(ReportInput(target: .image(Self.info), findings: [hostile]), style: .init(colour: false))
        #expect(!escaped.contains("\u{1B}") && escaped.contains("evil\\e[2Jname"))
    }

    @Test func baselineAndExitPolicy() throws {
        let findings = Self.findings()
        let dir = TemporaryDirectory()
        let path = dir.file("baseline.json").path
        try Baseline(findings: [findings[0]]).write(path: path)
        let baseline = try Baseline.load(path: path)
        let (new, known) = baseline.filter(findings)
        #expect(known == 2 && new.count == 2)
        // A JSON report is a baseline too.
        try JSONReport.render(ReportInput(target: .image(Self.info), findings: findings)).write(to: dir.file("report.json"))
        #expect(try Baseline.load(path: dir.file("report.json").path).fingerprints.count == 3)
        try Data("[1,2]".utf8).write(to: dir.file("bad.json"))
        #expect(throws: StrataError.self) { try Baseline.load(path: dir.file("bad.json").path) }

        #expect(ExitPolicy.code(findings: findings, failures: [], failOn: .severity(.medium)) == 1)
        #expect(ExitPolicy.code(findings: new, failures: [], failOn: .severity(.high)) == 0)
        #expect(ExitPolicy.code(findings: new, failures: [], failOn: .severity(.medium)) == 1)
        #expect(ExitPolicy.code(findings: [], failures: [], failOn: .severity(.low)) == 0)
        #expect(ExitPolicy.code(findings: findings, failures: [], failOn: .none) == 0)
        #expect(ExitPolicy.code(findings: [], failures: [StrataError("bad layer")], failOn: .severity(.medium)) == 2)
        #expect(ExitPolicy.Threshold("HIGH") == .severity(.high))
        #expect(ExitPolicy.Threshold("bogus") == nil)
    }
}
