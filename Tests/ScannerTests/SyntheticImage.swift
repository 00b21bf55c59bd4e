import Foundation
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

    /// A tar stream of regular files (ustar headers, 512-byte blocks, two zero blocks at the end).
    static func tar(_ files: [File]) -> [UInt8] {
        var out = [UInt8]()
        for file in files {
            var header = [UInt8](repeating: 0, count: 512)
            func put(_ text: String, at offset: Int, width: Int) {
                let bytes = Array(text.utf8.prefix(width))
                header.replaceSubrange(offset..<offset + bytes.count, with: bytes)
            }
            func octal(_ value: Int, at offset: Int, width: Int) {
                put(String(repeating: "0", count: max(0, width - 1 - String(value, radix: 8).count)) + String(value, radix: 8),
                    at: offset, width: width - 1)
            }
            put(file.path, at: 0, width: 100)
            octal(0o644, at: 100, width: 8)
            octal(0, at: 108, width: 8)
            octal(0, at: 116, width: 8)
            octal(file.content.count, at: 124, width: 12)
            octal(0, at: 136, width: 12)
            header[156] = UInt8(ascii: "0")
            put("ustar", at: 257, width: 6)
            put("00", at: 263, width: 2)
            for i in 148..<156 { header[i] = 0x20 }
            let sum = header.reduce(0) { $0 + Int($1) }
            octal(sum, at: 148, width: 7)
            header[154] = 0
            header[155] = 0x20
            out += header
            out += file.content
            out += [UInt8](repeating: 0, count: (512 - file.content.count % 512) % 512)
        }
        out += [UInt8](repeating: 0, count: 1024)
        return out
    }

    /// Writes `NAME.tar` (docker-archive) with one layer per element of `layers`; returns its path
    /// and the layers' diff_ids.
    @discardableResult
    static func write(to directory: URL, name: String, layers: [[File]], env: [String] = ["PATH=/usr/bin:/bin"]) throws
        -> (path: String, diffIDs: [Digest]) {
        var members: [File] = []
        var layerNames: [String] = []
        var diffIDs: [Digest] = []
        for files in layers {
            let blob = tar(files)
            let hex = SHA256Hasher.hex(of: blob)
            diffIDs.append(Digest(hex: hex))
            layerNames.append("\(hex).tar")
            if !members.contains(where: { $0.path == "\(hex).tar" }) {
                members.append(File(path: "\(hex).tar", content: blob))
            }
        }
        let history = layers.indices.map { i in
            #"{"created":"1970-01-01T00:00:00Z","created_by":"/bin/sh -c #(nop) ADD layer\#(i)"}"#
        }.joined(separator: ",")
        let envJSON = env.map { "\"\($0)\"" }.joined(separator: ",")
        let config = """
            {"architecture":"amd64","os":"linux","config":{"Env":[\(envJSON)]},\
            "rootfs":{"type":"layers","diff_ids":[\(diffIDs.map { "\"\($0)\"" }.joined(separator: ","))]},\
            "history":[\(history)]}
            """
        let configBytes = Array(config.utf8)
        let configName = SHA256Hasher.hex(of: configBytes) + ".json"
        members.append(File(path: configName, content: configBytes))
        let manifest = """
            [{"Config":"\(configName)","RepoTags":["test/\(name):latest"],"Layers":[\(layerNames.map { "\"\($0)\"" }.joined(separator: ","))]}]
            """
        members.append(File(path: "manifest.json", content: Array(manifest.utf8)))
        let url = directory.appendingPathComponent("\(name).tar")
        try Data(tar(members)).write(to: url)
        return (url.path, diffIDs)
    }
}
