import Foundation
@testable import Scanner
import TestSupport
import Testing

/// The compiled keyword databases kept in the cache directory.
@Suite struct CompiledDatabaseFilesTests {
    let payload: [UInt8] = (0..<5000).map { UInt8(truncatingIfNeeded: $0 &* 31) }

    @Test func roundTripIsPrivateAndExact() throws {
        let dir = TemporaryDirectory("strata-compiled")
        let store = CompiledDatabaseFiles(cacheDirectory: dir.url)
        #expect(store.load(key: "keywords-abc") == nil)
        store.save(key: "keywords-abc", bytes: payload)
        #expect(store.load(key: "keywords-abc") == payload)
        let attributes = try FileManager.default.attributesOfItem(atPath: store.path("keywords-abc"))
        #expect((attributes[.posixPermissions] as? NSNumber)?.intValue == 0o600)
        #expect(try FileManager.default.contentsOfDirectory(atPath: store.directory.path) == ["keywords-abc.hsdb"],
                "no temporary file is left behind")
    }

    /// A damaged file is never handed to Vectorscan: any changed, missing or extra byte is caught.
    @Test func damagedFilesAreIgnored() throws {
        let dir = TemporaryDirectory("strata-compiled")
        let store = CompiledDatabaseFiles(cacheDirectory: dir.url)
        store.save(key: "keywords-abc", bytes: payload)
        let path = store.path("keywords-abc")
        let good = try Data(contentsOf: URL(fileURLWithPath: path))
        var flipped = good
        flipped[flipped.count - 100] ^= 0x01
        var badMagic = good
        badMagic[0] = UInt8(ascii: "X")
        for damaged in [flipped, good.prefix(good.count - 1), good + Data([0]), badMagic, Data(good.prefix(20))] {
            try damaged.write(to: URL(fileURLWithPath: path))
            #expect(store.load(key: "keywords-abc") == nil)
        }
    }

    @Test func keysCannotNameOtherFiles() {
        let dir = TemporaryDirectory("strata-compiled")
        let store = CompiledDatabaseFiles(cacheDirectory: dir.url)
        for key in ["../escape", "a/b", "UPPER", ""] {
            store.save(key: key, bytes: payload)
            #expect(store.load(key: key) == nil)
        }
        #expect(!FileManager.default.fileExists(atPath: dir.url.appendingPathComponent("escape.hsdb").path))
        #expect((try? FileManager.default.contentsOfDirectory(atPath: store.directory.path)) ?? [] == [])
    }

    /// `cache prune` drops databases unused for the given age; `cache clear` drops them all.
    @Test func pruneAndClearRemoveThem() throws {
        let dir = TemporaryDirectory("strata-compiled")
        let cache = try ScanCache(directory: dir.url)
        let store = CompiledDatabaseFiles(cacheDirectory: dir.url)
        store.save(key: "keywords-old", bytes: payload)
        store.save(key: "keywords-new", bytes: payload)
        var old = [timeval(tv_sec: 1_000_000, tv_usec: 0), timeval(tv_sec: 1_000_000, tv_usec: 0)]
        #expect(utimes(store.path("keywords-old"), &old) == 0)
        _ = try cache.prune(olderThan: 86_400)
        #expect(store.load(key: "keywords-old") == nil)
        #expect(store.load(key: "keywords-new") == payload)
        _ = try cache.clear()
        #expect(store.load(key: "keywords-new") == nil)
    }
}
