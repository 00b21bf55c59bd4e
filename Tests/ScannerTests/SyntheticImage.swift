import Foundation
import ImageSource
import LayerIndex

/// Writes a docker-archive ("docker save" layout) in a temp dir, for tests that need an image
/// bigger or shaped differently from the fixtures: several layers of generated text files, a
/// planted fake secret, layers shared between two images.
enum SyntheticImage {
    struct File {
        var path: String
        var content: [UInt8]
    }

    /// Deterministic filler text (so identical layers give identical diff_ids across images):
    /// a 64 KiB block of words, repeated.
    static func filler(bytes: Int, seed: Int) -> [UInt8] {
        let block = words(bytes: min(bytes, 65_536), seed: seed)
        var out = [UInt8]()
        out.reserveCapacity(bytes)
        while out.count < bytes { out += block.prefix(bytes - out.count) }
        return out
    }

    private static func words(bytes: Int, seed: Int) -> [UInt8] {
        var out = [UInt8]()
        out.reserveCapacity(bytes)
        var state = UInt64(seed) &* 6364136223846793005 &+ 1442695040888963407
        let words = ["alpha", "bravo", "charlie", "delta", "echo", "foxtrot", "golf", "hotel", "india", "juliet"]
        while out.count < bytes {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            out.append(contentsOf: words[Int(state >> 33) % words.count].utf8)
            out.append((state >> 20) % 12 == 0 ? 0x0A : 0x20)
        }
        return Array(out.prefix(bytes))
    }

    /// Writes an OCI layout `NAME` (gzip layers, so reading them costs real decompression) with one
    /// layer per element of `layers`, through the shared `ImageWriter`; returns its path and the
    /// layers' diff_ids.
    @discardableResult
    static func write(to directory: URL, name: String, layers: [[File]]) throws -> (path: String, diffIDs: [Digest]) {
        let spec = ImageSpec(layers: layers.enumerated().map { index, files in
            LayerSpec(files.map { TarWriterEntry.file($0.path, bytes: $0.content) }, compression: .gzip,
                      createdBy: "/bin/sh -c #(nop) ADD layer\(index)")
        })
        let path = directory.appendingPathComponent(name).path
        try ImageWriter.writeOCILayout([.image(spec, refName: "latest")], to: path)
        let info = try ImageSources.open(path).loadInfo()
        return (path, info.layers.map(\.diffID))
    }
}
