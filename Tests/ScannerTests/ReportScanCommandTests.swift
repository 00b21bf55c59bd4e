import Foundation
import Testing
import TestSupport

/// `strata scan` through the real binary: formats, exit codes, redaction, baselines, directories.
@Suite(.serialized) struct ReportScanCommandTests {
    /// A cache of its own, so tests neither read nor fill the user's.
    static let cache = TemporaryDirectory("strata-scan-cache")

    static func scan(_ args: [String], env: [String: String] = [:]) throws -> StrataBinary.Result {
        try StrataBinary.run(["scan"] + args, environment: env.merging(["STRATA_CACHE_DIR": cache.path]) { a, _ in a })
    }

    static func json(_ text: String) throws -> [String: Any] {
        try JSONSerialization.jsonObject(with: Data(text.utf8)) as! [String: Any]
    }

    @Test func jsonFindingsRedactedUnlessAsked() throws {
        let archive = Fixtures.dockerArchive("d-build-args-env")
        let r = try Self.scan([archive, "--format", "json"])
        #expect(r.status == 1)
        #expect(!r.stdout.contains("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"))
        #expect(!r.stdout.contains("xoxb-77796568090"))
        let doc = try Self.json(r.stdout)
        let findings = doc["findings"] as! [[String: Any]]
        #expect(findings.count == 3)
        let statuses = Set(findings.map { $0["status"] as! String })
        #expect(statuses == ["config", "history"])
        let shown = try Self.scan([archive, "--format", "json", "--show-secrets"])
        #expect(shown.stdout.contains("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"))
    }

    @Test func exitCodesFollowFailOn() throws {
        let clean = try Self.scan([Fixtures.dockerArchive("g-secret-mount-clean")])
        #expect(clean.status == 0)
        #expect(clean.stdout.contains("No secrets found"))
        let none = try Self.scan([Fixtures.dockerArchive("z-combined"), "--fail-on", "none", "--format", "json"])
        #expect(none.status == 0)
        let bad = try Self.scan([Fixtures.dockerArchive("z-combined"), "--fail-on", "severe"])
        #expect(bad.status == 2)
        let missing = try Self.scan(["/nonexistent/image.tar"])
        #expect(missing.status == 2)
        #expect(missing.stderr.split(separator: "\n").count == 1)
    }

    @Test func corruptLayerReportsWhatWasFoundAndExitsTwo() throws {
        let dir = TemporaryDirectory()
        let source = Fixtures.ociLayout("a-deleted-later-layer")
        let copy = dir.file("oci")
        try FileManager.default.copyItem(atPath: source, toPath: copy.path)
        // Truncate the largest layer blob: that layer fails, the others are still reported.
        let blobs = copy.appendingPathComponent("blobs/sha256")
        let names = try FileManager.default.contentsOfDirectory(atPath: blobs.path)
        let sizes = try names.map { ($0, try FileManager.default.attributesOfItem(atPath: blobs.appendingPathComponent($0).path)[.size] as! Int) }
        let victim = sizes.max { $0.1 < $1.1 }!
        let handle = try FileHandle(forWritingTo: blobs.appendingPathComponent(victim.0))
        try handle.truncate(atOffset: UInt64(victim.1 / 2))
        try handle.close()
        let r = try Self.scan([copy.path, "--format", "json", "--no-cache"])
        #expect(r.status == 2)
        #expect(r.stderr.contains("error"))
        let doc = try Self.json(r.stdout)
        #expect(!(doc["findings"] as! [Any]).isEmpty)
        #expect(!(doc["errors"] as! [Any]).isEmpty)
    }

    @Test func sarifToAFileAndBaselines() throws {
        let dir = TemporaryDirectory()
        let archive = Fixtures.dockerArchive("a-deleted-later-layer")
        let sarif = dir.file("out.sarif").path
        let r = try Self.scan([archive, "--format", "sarif", "--output", sarif, "--write-baseline", dir.file("base.json").path])
        #expect(r.status == 1)
        #expect(r.stdout.isEmpty)
        let doc = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: sarif))) as! [String: Any]
        #expect(doc["version"] as? String == "2.1.0")
        let again = try Self.scan([archive, "--baseline", dir.file("base.json").path])
        #expect(again.status == 0)
        #expect(again.stdout.contains("known from the baseline"))
    }

    @Test func directoriesAreScannedAsFiles() throws {
        let dir = TemporaryDirectory()
        try FileManager.default.createDirectory(at: dir.file("ctx/config"), withIntermediateDirectories: true)
        try Data("//registry.npmjs.org/:_authToken=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\n".utf8).write(to: dir.file("ctx/config/.npmrc"))
        try Data("FROM scratch\n".utf8).write(to: dir.file("ctx/Dockerfile"))
        let r = try Self.scan([dir.file("ctx").path, "--format", "json"])
        #expect(r.status == 1)
        let doc = try Self.json(r.stdout)
        let findings = doc["findings"] as! [[String: Any]]
        #expect(findings.count == 1)
        let location = findings[0]["location"] as! [String: Any]
        #expect(location["source"] as? String == "file")
        #expect(location["path"] as? String == "config/.npmrc")
        #expect((findings[0]["remediation"] as! String).contains("**/.npmrc"))
    }

    @Test func warmCacheGivesTheSameReport() throws {
        let dir = TemporaryDirectory()
        let env = ["STRATA_CACHE_DIR": dir.path]
        let archive = Fixtures.dockerArchive("z-combined")
        let cold = try Self.scan([archive, "--format", "json"], env: env)
        let warm = try Self.scan([archive, "--format", "json"], env: env)
        #expect(cold.status == 1 && warm.status == 1)
        let a = try Self.json(cold.stdout)["findings"] as! [[String: Any]]
        let b = try Self.json(warm.stdout)["findings"] as! [[String: Any]]
        #expect(a.count == b.count && a.count > 10)
        #expect(try JSONSerialization.data(withJSONObject: a, options: .sortedKeys) == JSONSerialization.data(withJSONObject: b, options: .sortedKeys))
    }

    @Test func customRulesFromAGitleaksFile() throws {
        let dir = TemporaryDirectory()
        try FileManager.default.createDirectory(at: dir.file("ctx"), withIntermediateDirectories: true)
        try Data("service: acme\nkey = acme_q8w7e6r5t4y3u2i1\n".utf8).write(to: dir.file("ctx/settings.ini"))
        let toml = "[[rules]]\nid = \"acme-api-key\"\ndescription = \"Acme API key\"\nregex = '''acme_[a-z0-9]{16}'''\nkeywords = [\"acme_\"]\n"
        try Data(toml.utf8).write(to: dir.file("rules.toml"))
        let r = try Self.scan([dir.file("ctx").path, "--config", dir.file("rules.toml").path, "--format", "json"])
        #expect(r.status == 1, "\(r.stderr)")
        let findings = try Self.json(r.stdout)["findings"] as! [[String: Any]]
        #expect(findings.map { $0["rule"] as! String } == ["acme-api-key"])
        let bad = try Self.scan([dir.file("ctx").path, "--config", dir.file("missing.toml").path])
        #expect(bad.status == 2)
        #expect(bad.stderr.split(separator: "\n").count == 1)
    }

    @Test func tableHasNoColourWhenPiped() throws {
        let r = try Self.scan([Fixtures.dockerArchive("e-overwrite-opaque")])
        #expect(!r.stdout.contains("\u{1B}["))
        #expect(r.stdout.contains("removed in layer 6"))
    }
}
