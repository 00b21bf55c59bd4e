import Foundation
import LayerIndex

/// The demo image as an `ImageSource`: layers are ustar archives built in memory, so the real
/// scanner reads them like any other image.
public final class DemoImageSource: ImageSource, @unchecked Sendable {
    public let reference = "strata-demo:latest"
    public let demo: DemoImage
    /// The uncompressed tar of each layer.
    public let layerTars: [[UInt8]]
    /// The image config as JSON (docker/OCI shape) and the ImageInfo built from it.
    public let configJSON: [UInt8]
    private let info: ImageInfo

    public init(demo: DemoImage = DemoImage()) {
        self.demo = demo
        let tars = demo.layers.map { DemoTar.archive($0) }
        layerTars = tars
        let diffIDs = tars.map { Digest(hex: SHA256Hasher.hex(of: $0)) }
        var steps: [HistoryStep] = []
        for (i, step) in demo.history.enumerated() {
            steps.append(HistoryStep(index: i, createdBy: step.createdBy, created: DemoImage.created,
                                     emptyLayer: step.layer == nil, layerIndex: step.layer))
        }
        let config = ImageConfig(os: "linux", architecture: "amd64", created: DemoImage.created, env: demo.env,
                                 labels: ["org.opencontainers.image.title": "strata demo"], cmd: ["node", "server.js"],
                                 workingDir: "/app", user: "node", history: steps, diffIDs: diffIDs)
        configJSON = DemoImageSource.encode(config)
        let layers = tars.enumerated().map { i, tar in
            let historyIndex = steps.first(where: { $0.layerIndex == i })?.index
            return LayerDescriptor(index: i, digest: diffIDs[i], diffID: diffIDs[i], size: Int64(tar.count),
                                   mediaType: "application/vnd.docker.image.rootfs.diff.tar", compression: .none,
                                   createdBy: historyIndex.map { steps[$0].createdBy }, historyIndex: historyIndex)
        }
        info = ImageInfo(reference: reference, format: "demo", manifestDigest: nil,
                         configDigest: Digest(hex: SHA256Hasher.hex(of: configJSON)), config: config, layers: layers,
                         tags: [reference])
    }

    public func loadInfo() throws -> ImageInfo { info }

    public func openLayer(_ layer: LayerDescriptor) throws -> ByteStream {
        guard layerTars.indices.contains(layer.index) else {
            throw StrataError("no such layer", image: reference, layer: layer.index)
        }
        return MemoryByteStream(layerTars[layer.index])
    }

    /// The config as a docker image config JSON document.
    static func encode(_ config: ImageConfig) -> [UInt8] {
        let history: [[String: Any]] = config.history.map { step in
            var h: [String: Any] = ["created": step.created ?? DemoImage.created, "created_by": step.createdBy]
            if step.emptyLayer { h["empty_layer"] = true }
            return h
        }
        let object: [String: Any] = [
            "architecture": config.architecture ?? "amd64", "os": config.os ?? "linux", "created": config.created ?? DemoImage.created,
            "config": ["Env": config.env, "Cmd": config.cmd ?? [], "WorkingDir": config.workingDir ?? "", "User": config.user ?? "",
                       "Labels": config.labels],
            "rootfs": ["type": "layers", "diff_ids": config.diffIDs.map(\.description)],
            "history": history,
        ]
        let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? Data()
        return Array(data)
    }
}

/// A minimal ustar writer for the demo's layers (names under 100 bytes, no long-name records).
enum DemoTar {
    static func archive(_ members: [DemoImage.Member]) -> [UInt8] {
        var out: [UInt8] = []
        for m in members {
            var size = 0
            var type: UInt8 = UInt8(ascii: "0")
            var link = ""
            var content: [UInt8] = []
            switch m.kind {
            case .file(let bytes): content = bytes; size = bytes.count
            case .dir: type = UInt8(ascii: "5")
            case .symlink(let target): type = UInt8(ascii: "2"); link = target
            case .whiteout, .opaque: break
            }
            out += header(name: m.tarName, mode: m.mode, size: size, type: type, link: link)
            out += content
            out += [UInt8](repeating: 0, count: (512 - size % 512) % 512)
        }
        out += [UInt8](repeating: 0, count: 1024)
        return out
    }

    static func header(name: String, mode: UInt32, size: Int, type: UInt8, link: String) -> [UInt8] {
        var h = [UInt8](repeating: 0, count: 512)
        func put(_ s: String, _ offset: Int, _ length: Int) {
            for (i, b) in s.utf8.prefix(length).enumerated() { h[offset + i] = b }
        }
        func octal(_ v: Int, _ offset: Int, _ length: Int) {
            let s = String(v, radix: 8)
            put(String(repeating: "0", count: max(0, length - 1 - s.count)) + s, offset, length - 1)
        }
        put(name, 0, 100)
        octal(Int(mode), 100, 8)
        octal(name.hasPrefix("home/node") ? 1000 : 0, 108, 8)
        octal(name.hasPrefix("home/node") ? 1000 : 0, 116, 8)
        octal(size, 124, 12)
        octal(1_767_607_200, 136, 12)
        h[156] = type
        put(link, 157, 100)
        put("ustar", 257, 6)
        put("00", 263, 2)
        put("root", 265, 32)
        put("root", 297, 32)
        for i in 148..<156 { h[i] = 0x20 }
        let sum = h.reduce(0) { $0 + Int($1) }
        octal(sum, 148, 7)
        h[155] = 0x20
        return h
    }
}
