import Foundation
import LayerIndex
@testable import Scanner
import TestSupport
import Testing

@Suite("Scan cache")
struct CacheTests {
    let baseImage = [SampleLayers.base, SampleLayers.app, SampleLayers.cleanup]
    let sharingImage = [SampleLayers.base, SampleLayers.extra, SampleLayers.other]

    func scan(_ source: MemoryImageSource, cache: ScanCache?, ruleset: String = "rules-1") throws -> (ScanReport, [ScanEvent]) {
        try ImageScanner(source: source, pipeline: TestPipeline.make(ruleset: ruleset), cache: cache).runToCompletion()
    }

    @Test("a second image sharing the base layer decompresses only its own layers")
    func sharedBaseLayer() throws {
        let dir = TemporaryDirectory("strata-cache")
        let cache = try ScanCache(directory: dir.url)
        let first = MemoryImageSource(reference: "mem/first", layers: baseImage)
        _ = try scan(first, cache: cache)
        #expect(first.totalOpens == 3)

        let second = MemoryImageSource(reference: "mem/second", layers: sharingImage)
        let (report, events) = try scan(second, cache: cache)
        #expect(second.opens(0) == 0, "the shared base layer came from the cache")
        #expect(second.opens(1) == 1 && second.opens(2) == 1)
        #expect(events.contains { if case .layerState(0, .cached) = $0 { true } else { false } })

        // The same report as without any cache.
        let (uncached, _) = try scan(MemoryImageSource(reference: "mem/second", layers: sharingImage), cache: nil)
        #expect(ReportDigest(report) == ReportDigest(uncached))

        // A re-scan of either image streams nothing at all.
        let again = MemoryImageSource(reference: "mem/first", layers: baseImage)
        let (warm, _) = try scan(again, cache: cache)
        #expect(again.totalOpens == 0)
        #expect(warm.findings.allSatisfy { $0.match.secret == nil }, "cached matches carry no raw secret")
    }

    @Test("changing the rules re-runs detection; going back reuses the old results")
    func rulesetInvalidation() throws {
        let dir = TemporaryDirectory("strata-cache")
        let cache = try ScanCache(directory: dir.url)
        let image = { MemoryImageSource(reference: "mem/rules", layers: self.baseImage) }
        _ = try scan(image(), cache: cache, ruleset: "rules-1")
        let changed = image()
        _ = try scan(changed, cache: cache, ruleset: "rules-2")
        #expect(changed.totalOpens == 3)
        let back = image()
        _ = try scan(back, cache: cache, ruleset: "rules-1")
        #expect(back.totalOpens == 0)
        #expect(try cache.stats().layers == 3)
        #expect(try cache.stats().layerResults == 6)
        let pruned = try cache.prune(olderThan: 3600, keepRuleset: "rules-2")
        #expect(pruned.layerResults == 3)
        #expect(try cache.stats().layerResults == 3)
    }

    @Test("failed layers are not cached; the next run retries only them")
    func failuresNotCached() throws {
        let dir = TemporaryDirectory("strata-cache")
        let cache = try ScanCache(directory: dir.url)
        let broken = MemoryImageSource(reference: "mem/broken", layers: baseImage)
        broken.brokenLayers = [1]
        _ = try scan(broken, cache: cache)
        let fixed = MemoryImageSource(reference: "mem/broken", layers: baseImage)
        let (report, _) = try scan(fixed, cache: cache)
        #expect(fixed.opens(1) == 1 && fixed.totalOpens == 1)
        #expect(report.failures.isEmpty)
    }

    @Test("the cache never holds a raw secret: not in the database, its WAL or its shared memory")
    func noRawSecrets() throws {
        let dir = TemporaryDirectory("strata-cache")
        let cache = try ScanCache(directory: dir.url)
        let (report, _) = try scan(MemoryImageSource(reference: "mem/secrets", layers: baseImage), cache: cache)
        #expect(report.findings.contains { $0.match.secret == "SECRET-app00002" }, "the fresh scan has the raw value")
        let files = try FileManager.default.contentsOfDirectory(atPath: dir.path)
        #expect(files.contains("cache.db") && files.contains("cache.db-wal"))
        for file in files {
            let bytes = try Data(contentsOf: dir.file(file))
            for secret in ["SECRET-base0001", "SECRET-app00002"] {
                #expect(bytes.range(of: Data(secret.utf8)) == nil, "\(file) holds \(secret)")
            }
        }
        // The fingerprint and the redacted preview are there, for `strata where`.
        let fingerprint = ScanCache.fingerprint(ofSecret: Array("SECRET-app00002".utf8))
        #expect(try cache.occurrences(fingerprint: fingerprint).count == 1)
    }

    @Test("directory 0700, database and its WAL/SHM files 0600")
    func fileModes() throws {
        let parent = TemporaryDirectory("strata-cache")
        let dir = parent.url.appendingPathComponent("nested/strata")
        let cache = try ScanCache(directory: dir)
        _ = try scan(MemoryImageSource(reference: "mem/modes", layers: baseImage), cache: cache)
        func mode(_ path: String) throws -> Int {
            (try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? NSNumber)?.intValue ?? -1
        }
        #expect(try mode(dir.path) == 0o700)
        let files = try FileManager.default.contentsOfDirectory(atPath: dir.path)
        #expect(Set(files).isSuperset(of: ["cache.db", "cache.db-wal", "cache.db-shm"]))
        for file in files { #expect(try mode(dir.appendingPathComponent(file).path) == 0o600, "\(file)") }

        // An existing loose directory is tightened.
        let loose = parent.url.appendingPathComponent("loose")
        try FileManager.default.createDirectory(at: loose, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o755])
        _ = try ScanCache(directory: loose)
        #expect(try mode(loose.path) == 0o700)
    }

    @Test("where: every image, layer and path a fingerprint was seen in, with its status")
    func occurrences() throws {
        let dir = TemporaryDirectory("strata-cache")
        let cache = try ScanCache(directory: dir.url)
        _ = try scan(MemoryImageSource(reference: "mem/first", layers: baseImage), cache: cache)
        _ = try scan(MemoryImageSource(reference: "mem/second", layers: sharingImage), cache: cache)
        let fingerprint = ScanCache.fingerprint(ofSecret: Array("SECRET-base0001".utf8))
        let found = try cache.occurrences(fingerprint: fingerprint)
        #expect(Set(found.map(\.reference)) == ["mem/first", "mem/second"])
        #expect(found.allSatisfy { $0.layer == 0 && $0.path == "root/.env" && $0.status == "present" })
        #expect(found.allSatisfy { !$0.preview.contains("SECRET-base0001") })
        #expect(try cache.occurrences(fingerprint: "sha256:" + String(repeating: "0", count: 64)).isEmpty)

        // A re-scan replaces the image's record instead of adding a second one.
        _ = try scan(MemoryImageSource(reference: "mem/first", layers: baseImage), cache: cache)
        #expect(try cache.occurrences(fingerprint: fingerprint).count == 2)
        #expect(try cache.stats().images == 2)
    }

    @Test("prune by age and clear")
    func pruneAndClear() throws {
        let dir = TemporaryDirectory("strata-cache")
        let cache = try ScanCache(directory: dir.url)
        _ = try scan(MemoryImageSource(reference: "mem/first", layers: baseImage), cache: cache)
        #expect(try cache.prune(olderThan: 3600).layers == 0)
        #expect(try cache.stats().layers == 3)
        let pruned = try cache.prune(olderThan: -1)
        #expect(pruned.layers == 3 && pruned.images == 1)
        _ = try scan(MemoryImageSource(reference: "mem/first", layers: baseImage), cache: cache)
        let cleared = try cache.clear()
        #expect(cleared.layers == 3)
        let stats = try cache.stats()
        #expect(stats.layers == 0 && stats.images == 0 && stats.findings == 0)
    }

    @Test("two writers at once (separate connections, as two processes) leave a consistent cache")
    func concurrentWriters() throws {
        let dir = TemporaryDirectory("strata-cache")
        let a = try ScanCache(directory: dir.url)
        let b = try ScanCache(directory: dir.url)
        let images = (0..<6).map { n in (0..<5).map { l in "f\(n)-\(l)\tcontent SECRET-n\(n)l\(l) \(String(repeating: "z", count: 200))\n" } }
        let errors = EventLog()
        DispatchQueue.concurrentPerform(iterations: 12) { i in
            let source = MemoryImageSource(reference: "mem/img\(i % 6)", layers: images[i % 6])
            do { _ = try scan(source, cache: i % 2 == 0 ? a : b) } catch { errors.append(.failed(StrataError("\(error)"))) }
        }
        #expect(errors.events.isEmpty)
        let fresh = try ScanCache(directory: dir.url)
        #expect(try fresh.stats().layers == 30)
        #expect(try fresh.stats().images == 6)
        for n in 0..<6 {
            let source = MemoryImageSource(reference: "mem/img\(n)", layers: images[n])
            let (report, _) = try scan(source, cache: fresh)
            #expect(source.totalOpens == 0)
            #expect(report.findings.count == 5)
        }
    }

    @Test("a database from another schema version is rebuilt, a garbage blob is a miss")
    func schemaAndCorruption() throws {
        let dir = TemporaryDirectory("strata-cache")
        do {
            let cache = try ScanCache(directory: dir.url)
            _ = try scan(MemoryImageSource(reference: "mem/first", layers: baseImage), cache: cache)
            try cache.withLock { try cache.db.execute("UPDATE layer_index SET entries = x'01ff'") }
            let source = MemoryImageSource(reference: "mem/first", layers: baseImage)
            _ = try scan(source, cache: cache)
            #expect(source.totalOpens == 3, "undecodable rows are misses, then rewritten")
            try cache.withLock { try cache.db.execute("UPDATE meta SET value = '0' WHERE key = 'schema_version'") }
        }
        let reopened = try ScanCache(directory: dir.url)
        #expect(try reopened.stats().layers == 0)
    }

    @Test("a file that is not a database is set aside and a fresh cache made")
    func garbageFile() throws {
        let dir = TemporaryDirectory("strata-cache")
        try Data(repeating: 0x5A, count: 8192).write(to: dir.file("cache.db"))
        let cache = try ScanCache(directory: dir.url)
        _ = try scan(MemoryImageSource(reference: "mem/first", layers: baseImage), cache: cache)
        #expect(try cache.stats().layers == 3)
        let files = try FileManager.default.contentsOfDirectory(atPath: dir.path)
        #expect(files.contains { $0.hasPrefix("cache.db.corrupt-") })
    }

    @Test("the cache directory follows STRATA_CACHE_DIR, then XDG_CACHE_HOME, then ~/.cache")
    func location() {
        #expect(CacheLocation.directory(environment: ["STRATA_CACHE_DIR": "/x/c", "XDG_CACHE_HOME": "/y", "HOME": "/h"]).path == "/x/c")
        #expect(CacheLocation.directory(environment: ["XDG_CACHE_HOME": "/y", "HOME": "/h"]).path == "/y/strata")
        #expect(CacheLocation.directory(environment: ["XDG_CACHE_HOME": "rel", "HOME": "/h"]).path == "/h/.cache/strata")
        #expect(CacheLocation.directory(environment: ["HOME": "/h"]).path == "/h/.cache/strata")
    }

    @Test("entry blobs round-trip every field")
    func entryCodec() {
        let entries = [
            Entry(path: "usr/bin/tool", type: .file, mode: 0o4755, uid: 0, gid: 0, size: 1 << 40,
                  sha256: String(repeating: "ab", count: 32), modified: -5),
            Entry(path: "usr/bin/tool2", type: .hardlink, linkTarget: "usr/bin/tool"),
            Entry(path: "usr/lib", type: .dir, mode: 0o755, uid: 65534, gid: 1000),
            Entry(path: "usr/lib/é\u{1}name", type: .symlink, linkTarget: "../x", sha256: "NOT-HEX"),
            Entry(path: "a", type: .other, whiteout: .removal),
            Entry(path: "b/c", type: .other, whiteout: .opaque),
            Entry(path: "dev/null", type: .other, deviceKind: "char 1:3"),
            Entry(path: "", type: .dir),
        ]
        let blob = EntryCodec.encode(entries: entries, problems: ["hostile name skipped"])
        let decoded = EntryCodec.decode(blob)
        #expect(decoded?.entries == entries)
        #expect(decoded?.problems == ["hostile name skipped"])
        #expect(EntryCodec.decode(Array(blob.dropLast())) == nil)
        #expect(EntryCodec.decode([]) == nil)
    }
}
