import Foundation
import Testing
import ImageSource
import LayerIndex
import TestSupport

/// Runs the real `strata` binary (`STRATA_BIN`, else `.build/debug/strata`).
@Suite struct CLIEndToEndTests {
    static func json(_ text: String) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
    }

    @Test func layersJSONFollowsTheContract() throws {
        let r = try StrataBinary.run(["layers", Fixtures.dockerArchive("a-deleted-later-layer"), "--format", "json"])
        #expect(r.status == 0, "\(r.stderr)")
        let root = try Self.json(r.stdout)
        let image = try #require(root["image"] as? [String: Any])
        #expect(image["format"] as? String == "docker-archive")
        let layers = try #require(root["layers"] as? [[String: Any]])
        #expect(layers.count == 8)
        let six = layers[6]
        #expect(six["index"] as? Int == 6)
        #expect(six["removed"] as? Int == 1 && six["added"] as? Int == 0 && six["modified"] as? Int == 0)
        #expect((six["digest"] as? String)?.hasPrefix("sha256:") == true)
        #expect(six["diffID"] as? String == "sha256:044678d962220b098bb2f3cdbd842213485ff63042a0e6bee8030af2a6547c5e")
        #expect((six["createdBy"] as? String)?.hasSuffix("rm /root/.npmrc") == true)
        #expect(six["size"] as? Int == 2560)
    }

    @Test func layersTableIsAlignedAndHidesBuildArgValues() throws {
        let r = try StrataBinary.run(["layers", Fixtures.ociLayout("a-deleted-later-layer")], environment: ["COLUMNS": "100"])
        #expect(r.status == 0)
        let lines = r.stdout.split(separator: "\n")
        #expect(lines.count == 10)
        #expect(lines[1].hasPrefix("#  DIGEST"))
        #expect(lines.allSatisfy { $0.count <= 100 })
        #expect(lines[8].contains("RUN rm /root/.npmrc"))
        #expect(!r.stdout.contains("NPM_TOKEN=npm_"))
    }

    @Test func lsChangesAndHistoryOnlyJSON() throws {
        let changes = try StrataBinary.run(["ls", Fixtures.ociLayout("a-deleted-later-layer"), "--layer", "6", "--changes", "--format", "json"])
        #expect(changes.status == 0)
        let root = try Self.json(changes.stdout)
        #expect(root["layer"] as? Int == 6)
        let entries = try #require(root["entries"] as? [[String: Any]])
        #expect(entries.count == 1)
        #expect(entries[0]["path"] as? String == "root/.npmrc" && entries[0]["change"] as? String == "removed")
        #expect(entries[0]["type"] as? String == "other" && entries[0]["size"] as? Int == 0)

        let history = try StrataBinary.run(["ls", Fixtures.dockerArchive("e-overwrite-opaque"), "--history-only", "--format", "json"])
        let rows = try #require(try Self.json(history.stdout)["entries"] as? [[String: Any]])
        #expect(rows.map { "\($0["path"]!)|\($0["layer"]!)|\($0["removedInLayer"]!)|\($0["reason"]!)" } == [
            "etc/myapp/config.yml|1|5|overwritten",
            "var/lib/myapp/creds/aws.json|3|6|removed",
            "var/lib/myapp/creds/slack.token|3|6|removed",
        ])
    }

    @Test func lsMergedAndLayerEntries() throws {
        let merged = try StrataBinary.run(["ls", Fixtures.ociLayout("e-overwrite-opaque"), "--merged", "--format", "json"])
        let entries = try #require(try Self.json(merged.stdout)["entries"] as? [[String: Any]])
        let paths = Set(entries.compactMap { $0["path"] as? String })
        #expect(paths.contains("var/lib/myapp/creds/README") && !paths.contains("var/lib/myapp/creds/aws.json"))
        let readme = entries.first { $0["path"] as? String == "var/lib/myapp/creds/README" }
        #expect(readme?["layer"] as? Int == 6)
        let table = try StrataBinary.run(["ls", Fixtures.ociLayout("e-overwrite-opaque"), "--layer", "6"])
        #expect(table.stdout.contains("var/lib/myapp/creds  (opaque: hides lower content)"))
        let bad = try StrataBinary.run(["ls", Fixtures.ociLayout("e-overwrite-opaque"), "--layer", "99"])
        #expect(bad.status == 2 && bad.stderr.contains("no layer 99"))
    }

    @Test func badLayerIsOneErrorLineAndGoodLayersAreStillListed() throws {
        let dir = TemporaryDirectory()
        let path = try TestImages.write(edgeCaseSpec(), as: .ociLayout, in: dir)
        let layer = try ImageSources.open(path).loadInfo().layers[2]
        let blob = DirectoryBlobStore(root: path).path(of: layer.digest)
        let bytes = try Data(contentsOf: URL(fileURLWithPath: blob))
        try bytes.prefix(bytes.count - 10).write(to: URL(fileURLWithPath: blob))
        let r = try StrataBinary.run(["layers", path, "--format", "json"])
        #expect(r.status == 2)
        let errorLines = r.stderr.split(separator: "\n")
        #expect(errorLines.count == 1)
        #expect(errorLines[0].hasPrefix("strata: error: \(path): layer 2 (\(layer.digest.short)): "))
        #expect(errorLines[0].contains("truncated"))
        let layers = try #require(try Self.json(r.stdout)["layers"] as? [[String: Any]])
        #expect(layers.count == 4)
        #expect(layers.filter { $0["error"] != nil }.count == 1)
    }

    @Test func hostileNamesAreReportedSanitisedAndNeverPrintedRaw() throws {
        let dir = TemporaryDirectory()
        let spec = ImageSpec(layers: [LayerSpec([.file("tmp/\u{1B}]0;pwned\u{07}x", "1"), .file("../../escape", "2"), .file("ok", "3")])])
        let path = try TestImages.write(spec, as: .dockerArchive, in: dir)
        for args in [["layers", path], ["ls", path], ["ls", path, "--layer", "0"], ["ls", path, "--layer", "0", "--changes"]] {
            let r = try StrataBinary.run(args)
            #expect(r.status == 0)
            #expect(!r.stdout.contains("\u{1B}") && !r.stderr.contains("\u{1B}") && !r.stdout.contains("\u{07}"))
            #expect(r.stderr.contains("strata: warning: \(path): layer 0"))
            #expect(r.stderr.contains("../../escape: path escapes the image root"))
            #expect(r.stderr.contains("tmp/\\e]0;pwned\\x07x: name contains control characters"))
        }
        let listing = try StrataBinary.run(["ls", path])
        #expect(listing.stdout.contains("tmp/\\e]0;pwned\\x07x"))
    }

    @Test func notAnImageIsOneClearLine() throws {
        let dir = TemporaryDirectory()
        let file = dir.file("config.json")
        try Data(#"{"a":1}"#.utf8).write(to: file)
        let r = try StrataBinary.run(["layers", file.path])
        #expect(r.status == 2)
        #expect(r.stderr == "strata: \(file.path): is a JSON file, not an image: pass the image directory or archive\n")
        #expect(r.stdout.isEmpty)
    }
}
