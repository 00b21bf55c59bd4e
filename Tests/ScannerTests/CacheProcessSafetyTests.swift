import Foundation
import LayerIndex
@testable import Scanner
import TestSupport
import Testing

/// The cache under real processes: two `strata scan` at once on one cache, and a scan killed with
/// SIGKILL half-way, must leave a cache the next run uses and that gives the same report.
@Suite("Cache under concurrent and killed processes", .serialized)
struct CacheProcessSafetyTests {
    /// A fake Slack bot token (right shape, random value), planted in the images.
    static func fakeSlackToken() -> String {
        func digits(_ n: Int) -> String { String((0..<n).map { _ in "0123456789".randomElement()! }) }
        let alnum = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
        return "xoxb-\(digits(11))-\(digits(13))-" + String((0..<24).map { _ in alnum.randomElement()! })
    }

    static func layer(_ n: Int, megabytes: Int, secret: String?) -> [SyntheticImage.File] {
        var files = (0..<megabytes).map { i in
            SyntheticImage.File(path: "data/layer\(n)/part\(i).txt", content: SyntheticImage.filler(bytes: 1 << 20, seed: n * 1000 + i))
        }
        if let secret {
            files.append(SyntheticImage.File(path: "app/layer\(n)/.env", content: Array("SLACK_TOKEN=\(secret)\n".utf8)))
        }
        return files
    }

    /// `strata scan --format json` as a child process; returns the process (not waited for).
    static func startScan(_ image: String, cacheDir: String, output: URL) throws -> Process {
        let process = Process()
        process.executableURL = StrataBinary.url
        process.arguments = ["scan", "--format", "json", "--output", output.path, image]
        var env = ProcessInfo.processInfo.environment
        env["STRATA_CACHE_DIR"] = cacheDir
        process.environment = env
        process.standardOutput = FileHandle.nullDevice
        FileManager.default.createFile(atPath: output.path + ".err", contents: nil)
        process.standardError = try FileHandle(forWritingTo: URL(fileURLWithPath: output.path + ".err"))
        try process.run()
        return process
    }

    static func stderr(_ output: URL) -> String {
        (try? String(contentsOfFile: output.path + ".err", encoding: .utf8)) ?? ""
    }

    /// The report's findings as comparable JSON (everything but the image block's timing-free fields).
    static func findings(_ url: URL) throws -> String {
        let object = try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [String: Any]
        let findings = object?["findings"] ?? []
        return String(decoding: try JSONSerialization.data(withJSONObject: findings, options: [.sortedKeys]), as: UTF8.self)
    }

    static func storedLayers(_ cache: ScanCache) throws -> [String: Double] {
        try cache.withLock {
            let statement = try cache.db.prepare("SELECT diff_id, stored_at FROM layer_index")
            var rows: [String: Double] = [:]
            while try statement.step() { rows[statement.string(0) ?? ""] = statement.double(1) }
            return rows
        }
    }

    static func integrity(_ cache: ScanCache) throws -> String {
        try cache.withLock {
            let statement = try cache.db.prepare("PRAGMA integrity_check")
            return try statement.step() ? statement.string(0) ?? "" : ""
        }
    }

    @Test("two strata processes scanning images that share layers, at the same time")
    func twoProcesses() throws {
        let dir = TemporaryDirectory("strata-procs")
        let secret = Self.fakeSlackToken()
        let base = (0..<3).map { Self.layer($0, megabytes: 3, secret: $0 == 1 ? secret : nil) }
        let a = try SyntheticImage.write(to: dir.url, name: "a", layers: base + (3..<6).map { Self.layer($0, megabytes: 3, secret: nil) })
        let b = try SyntheticImage.write(to: dir.url, name: "b", layers: base + (6..<9).map { Self.layer($0, megabytes: 3, secret: nil) })
        let cacheDir = dir.url.appendingPathComponent("cache").path

        let first = try Self.startScan(a.path, cacheDir: cacheDir, output: dir.file("a1.json"))
        let second = try Self.startScan(b.path, cacheDir: cacheDir, output: dir.file("b1.json"))
        first.waitUntilExit()
        second.waitUntilExit()
        #expect([0, 1].contains(first.terminationStatus) && [0, 1].contains(second.terminationStatus))

        let cache = try ScanCache(directory: URL(fileURLWithPath: cacheDir))
        #expect(try Self.integrity(cache) == "ok")
        #expect(Set(try Self.storedLayers(cache).keys) == Set((a.diffIDs + b.diffIDs).map(\.description)))
        #expect(try cache.stats().images == 2, "\(Self.stderr(dir.file("a1.json")))\(Self.stderr(dir.file("b1.json")))")
        // The planted token is found in both images, and `where` names both.
        let occurrences = try cache.occurrences(fingerprint: ScanCache.fingerprint(ofSecret: Array(secret.utf8)))
        #expect(Set(occurrences.map(\.reference)) == [a.path, b.path])

        // Warm runs reuse everything and report the same findings as the concurrent runs.
        let before = try Self.storedLayers(cache)
        for (image, name) in [(a.path, "a"), (b.path, "b")] {
            let again = try Self.startScan(image, cacheDir: cacheDir, output: dir.file("\(name)2.json"))
            again.waitUntilExit()
            #expect(try Self.findings(dir.file("\(name)1.json")) == Self.findings(dir.file("\(name)2.json")))
        }
        #expect(try Self.storedLayers(cache) == before, "no layer was streamed (and rewritten) again")
    }

    @Test("a scan killed with SIGKILL half-way leaves a cache the next run uses")
    func killedMidScan() throws {
        let dir = TemporaryDirectory("strata-kill")
        let secret = Self.fakeSlackToken()
        let layerCount = 10
        let image = try SyntheticImage.write(to: dir.url, name: "big", layers: (0..<layerCount).map {
            Self.layer($0, megabytes: 12, secret: $0 == layerCount - 1 ? secret : nil)
        })
        let cacheDir = dir.url.appendingPathComponent("cache").path
        let cache = try ScanCache(directory: URL(fileURLWithPath: cacheDir))

        let victim = try Self.startScan(image.path, cacheDir: cacheDir, output: dir.file("killed.json"))
        let deadline = Date().addingTimeInterval(120)
        while try Self.storedLayers(cache).isEmpty && victim.isRunning && Date() < deadline {
            Thread.sleep(forTimeInterval: 0.01)
        }
        kill(victim.processIdentifier, SIGKILL)
        victim.waitUntilExit()
        let survived = try Self.storedLayers(cache)
        #expect(victim.terminationReason == .uncaughtSignal, "the scan was still running when killed")
        #expect(!survived.isEmpty && survived.count < layerCount, "killed half-way: \(survived.count) of \(layerCount) layers stored")
        #expect(try Self.integrity(cache) == "ok")

        // The next run completes, keeps the layers that were stored, and adds the rest.
        let next = try Self.startScan(image.path, cacheDir: cacheDir, output: dir.file("next.json"))
        next.waitUntilExit()
        #expect(next.terminationStatus == 1, "findings (the planted token) give exit 1")
        let after = try Self.storedLayers(cache)
        #expect(after.count == layerCount)
        for (diffID, storedAt) in survived { #expect(after[diffID] == storedAt, "layer \(diffID) was reused, not re-streamed") }

        // And its report is the one a scan without the cache gives.
        let fresh = Process()
        fresh.executableURL = StrataBinary.url
        fresh.arguments = ["scan", "--no-cache", "--format", "json", "--output", dir.file("fresh.json").path, image.path]
        fresh.standardOutput = FileHandle.nullDevice
        fresh.standardError = FileHandle.nullDevice
        try fresh.run()
        fresh.waitUntilExit()
        let findings = try Self.findings(dir.file("next.json"))
        #expect(findings == (try Self.findings(dir.file("fresh.json"))))
        #expect(findings.contains(ScanCache.fingerprint(ofSecret: Array(secret.utf8))))

        // No raw secret anywhere in the cache files (the compiled keywords included), after a
        // crash and a clean run.
        let files = FileManager.default.enumerator(atPath: cacheDir)?.compactMap { $0 as? String } ?? []
        #expect(files.contains { $0.hasPrefix("compiled/keywords-") })
        for file in files {
            let url = URL(fileURLWithPath: cacheDir).appendingPathComponent(file)
            guard (try? url.resourceValues(forKeys: [.isRegularFileKey]))?.isRegularFile == true else { continue }
            let bytes = try Data(contentsOf: url)
            #expect(bytes.range(of: Data(secret.utf8)) == nil, "\(file) holds the raw token")
        }
    }

    @Test("two processes creating a fresh cache at the same moment both keep their records")
    func freshCacheRace() throws {
        let dir = TemporaryDirectory("strata-race")
        for round in 0..<6 {
            let cacheDir = dir.url.appendingPathComponent("cache\(round)").path
            let z = try Self.startScan(Fixtures.ociLayout("z-combined"), cacheDir: cacheDir, output: dir.file("z\(round).json"))
            let a = try Self.startScan(Fixtures.ociLayout("a-deleted-later-layer"), cacheDir: cacheDir, output: dir.file("a\(round).json"))
            z.waitUntilExit()
            a.waitUntilExit()
            let cache = try ScanCache(directory: URL(fileURLWithPath: cacheDir))
            #expect(try cache.stats().images == 2, "round \(round): \(Self.stderr(dir.file("z\(round).json")))\(Self.stderr(dir.file("a\(round).json")))")
            #expect(Self.stderr(dir.file("z\(round).json")).isEmpty && Self.stderr(dir.file("a\(round).json")).isEmpty)
        }
    }
}
