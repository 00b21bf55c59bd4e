import Foundation
import ImageSource
import LayerIndex

/// Measures opening files of an image's largest layer in the viewer, for
/// `strata explore IMAGE --bench-open` and `bench/explore-open.sh`: each file streamed from the
/// layer's start (how every open worked before `LayerFileAccess`) against the provider, first in
/// tar order (one walk that learns offsets), then again in reverse order (random access).
public enum FileOpenBenchmark {
    public struct Result: Sendable {
        public var layer: Int
        public var files: Int
        /// Milliseconds per open.
        public var streamed: [Double]
        public var firstWalk: [Double]
        public var reopened: [Double]
    }

    public static func run(source: any ImageSource, files count: Int) throws -> Result {
        let layers = try source.loadInfo().layers
        guard let layer = layers.max(by: { $0.size < $1.size }) else { throw StrataError("the image has no layers") }
        // Every regular file in tar order, by walking the layer once.
        var names: [String] = []
        _ = try ImageSourceContentProvider.walk(TarReader(try source.openLayer(layer)), to: "\u{0}", sink: { _ in }) { name, _ in
            names.append(name)
        }
        guard !names.isEmpty else { throw StrataError("the largest layer has no regular files", layer: layer.index) }
        let picked = (0..<min(count, names.count)).map { names[($0 * 2 + 1) * names.count / (2 * min(count, names.count))] }
        func time(_ body: () throws -> Void) rethrows -> Double {
            let start = DispatchTime.now().uptimeNanoseconds
            try body()
            return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6
        }
        let streamed = try picked.map { name in
            try time { _ = try ImageSourceContentProvider.walk(TarReader(try source.openLayer(layer)), to: name, sink: { _ in }) }
        }
        let provider = ImageSourceContentProvider(source: source, layers: layers)
        let firstWalk = try picked.map { name in try time { _ = try provider.read(layer: layer.index, path: name, limit: 1 << 20) } }
        let reopened = try picked.reversed().map { name in try time { _ = try provider.read(layer: layer.index, path: name, limit: 1 << 20) } }
        return Result(layer: layer.index, files: picked.count, streamed: streamed, firstWalk: firstWalk, reopened: reopened)
    }
}
