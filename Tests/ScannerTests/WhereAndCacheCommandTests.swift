import Foundation
import LayerIndex
@testable import Scanner
import TestSupport
import Testing

/// `strata where` and `strata cache …`, run as the real binary against a cache filled in-process.
@Suite("strata where / strata cache")
struct WhereAndCacheCommandTests {
    func filledCache() throws -> TemporaryDirectory {
        let dir = TemporaryDirectory("strata-where")
        let cache = try ScanCache(directory: dir.url)
        for (name, layers) in [("mem/first", [SampleLayers.base, SampleLayers.app]),
                               ("mem/second", [SampleLayers.base, SampleLayers.extra])] {
            _ = try ImageScanner(source: MemoryImageSource(reference: name, layers: layers),
                                 pipeline: TestPipeline.make(), cache: cache).runToCompletion()
        }
        return dir
    }

    @Test("a secret on stdin is found in both images, with layer, path and status; never echoed")
    func secretOnStdin() throws {
        let dir = try filledCache()
        let result = try StrataBinary.run(["where"], stdin: "SECRET-base0001\n", environment: ["STRATA_CACHE_DIR": dir.path])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("2 place(s) in 2 image(s)"))
        #expect(result.stdout.contains("mem/first") && result.stdout.contains("mem/second"))
        #expect(result.stdout.contains("layer 0") && result.stdout.contains("root/.env:1:7") && result.stdout.contains("present"))
        #expect(!result.stdout.contains("SECRET-base0001"))
    }

    @Test("--fingerprint and JSON output; an unknown secret exits 1")
    func fingerprintAndJSON() throws {
        let dir = try filledCache()
        let fingerprint = ScanCache.fingerprint(ofSecret: Array("SECRET-extra003".utf8))
        let result = try StrataBinary.run(["where", "--fingerprint", fingerprint, "--format", "json"],
                                          environment: ["STRATA_CACHE_DIR": dir.path])
        #expect(result.status == 0, "\(result.stderr)")
        let found = try JSONDecoder().decode([SecretOccurrence].self, from: Data(result.stdout.utf8))
        #expect(found.map(\.reference) == ["mem/second"])
        #expect(found.first?.path == "srv/data" && found.first?.layer == 1)

        let missing = try StrataBinary.run(["where"], stdin: "not-a-known-secret", environment: ["STRATA_CACHE_DIR": dir.path])
        #expect(missing.status == 1)
        #expect(missing.stdout.contains("not found"))
        let bad = try StrataBinary.run(["where", "--fingerprint", "md5:abc"], environment: ["STRATA_CACHE_DIR": dir.path])
        #expect(bad.status == 2)
    }

    /// The compiled keyword database is kept next to the layer cache (so a cached re-scan does
    /// not compile it again); `--no-cache` writes nothing at all.
    @Test("scan keeps the compiled keywords in the cache directory; --no-cache leaves it empty")
    func compiledKeywordsAreCached() throws {
        let dir = TemporaryDirectory("strata-compiled-cli")
        let image = Fixtures.dockerArchive("c-copy-context")
        let env = ["STRATA_CACHE_DIR": dir.path]
        let uncached = try StrataBinary.run(["scan", "--no-cache", "--format", "json", image], environment: env)
        #expect(uncached.status == 1, "\(uncached.stderr)")
        #expect((try? FileManager.default.contentsOfDirectory(atPath: dir.path)) ?? [] == [])

        let first = try StrataBinary.run(["scan", "--format", "json", image], environment: env)
        let stored = try FileManager.default.contentsOfDirectory(atPath: dir.url.appendingPathComponent("compiled").path)
        #expect(stored.count == 1 && stored[0].hasPrefix("keywords-") && stored[0].hasSuffix(".hsdb"))
        let second = try StrataBinary.run(["scan", "--format", "json", image], environment: env)
        #expect(second.stdout == first.stdout && first.stdout == uncached.stdout)
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.url.appendingPathComponent("compiled").path) == stored)
    }

    @Test("cache stats, prune --older-than, clear; --cache-dir; --no-cache is refused where it makes no sense")
    func cacheCommands() throws {
        let dir = try filledCache()
        let env = ["STRATA_CACHE_DIR": dir.path]
        let stats = try StrataBinary.run(["cache", "stats", "--json"], environment: env)
        #expect(stats.status == 0, "\(stats.stderr)")
        let parsed = try JSONDecoder().decode(CacheStats.self, from: Data(stats.stdout.utf8))
        #expect(parsed.layers == 3 && parsed.images == 2 && parsed.findings == 4)

        let keep = try StrataBinary.run(["cache", "prune", "--older-than", "30d"], environment: env)
        #expect(keep.status == 0 && keep.stdout.contains("pruned 0 layer(s)"))
        let malformed = try StrataBinary.run(["cache", "prune", "--older-than", "soon"], environment: env)
        #expect(malformed.status == 2 && malformed.stderr.contains("--older-than"))
        let prune = try StrataBinary.run(["cache", "prune", "--older-than", "0s", "--cache-dir", dir.path])
        #expect(prune.status == 0 && prune.stdout.contains("pruned 3 layer(s)"), "\(prune.stdout)\(prune.stderr)")

        let refill = try filledCache()
        // Results made with other rules (here the test pipeline's) go with --other-rules; indexes stay.
        let other = try StrataBinary.run(["cache", "prune", "--other-rules"], environment: ["STRATA_CACHE_DIR": refill.path])
        #expect(other.status == 0 && other.stdout.contains("3 layer result(s)"), "\(other.stdout)\(other.stderr)")
        #expect(try ScanCache(directory: refill.url).stats().layerResults == 0)
        let clear = try StrataBinary.run(["cache", "clear"], environment: ["STRATA_CACHE_DIR": refill.path])
        #expect(clear.status == 0 && clear.stdout.contains("cleared 3 layer(s)"))
        let after = try StrataBinary.run(["cache", "stats", "--json"], environment: ["STRATA_CACHE_DIR": refill.path])
        #expect(try JSONDecoder().decode(CacheStats.self, from: Data(after.stdout.utf8)).layers == 0)

        let refused = try StrataBinary.run(["where", "--no-cache"], stdin: "x", environment: env)
        #expect(refused.status == 2 && refused.stderr.contains("--no-cache"))
    }

    @Test("durations")
    func durations() {
        #expect(CacheDuration.parse("30d") == 2_592_000.0)
        #expect(CacheDuration.parse("12h") == 43_200.0)
        #expect(CacheDuration.parse("1.5m") == 90)
        #expect(CacheDuration.parse("2w") == 1_209_600.0)
        #expect(CacheDuration.parse("30") == nil)
        #expect(CacheDuration.parse("-1d") == nil)
        #expect(CacheDuration.parse("d") == nil)
    }

    @Test("a cache that cannot be opened is a warning: the scan still runs")
    func unusableCache() throws {
        let dir = TemporaryDirectory("strata-where")
        let notADirectory = dir.file("plain-file")
        try Data("x".utf8).write(to: notADirectory)
        let result = try StrataBinary.run(["scan", "--format", "json", Fixtures.dockerArchive("a-deleted-later-layer")],
                                          environment: ["STRATA_CACHE_DIR": notADirectory.path])
        #expect(result.status == 1, "findings, no error: \(result.stderr)")
        #expect(result.stderr.contains("warning: scanning without the cache"))
        #expect(result.stdout.contains("\"findings\""))
    }
}
