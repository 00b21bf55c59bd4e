import Testing
@testable import LayerIndex

/// Entry and stack builders shared by the LayerStack tests.
func file(_ path: String, _ sha: String, size: Int64 = 10) -> Entry {
    Entry(path: path, type: .file, size: size, sha256: sha)
}
func dir(_ path: String) -> Entry { Entry(path: path, type: .dir, mode: 0o755) }
func removal(_ path: String) -> Entry { Entry(path: path, type: .other, whiteout: .removal) }
func opaque(_ path: String) -> Entry { Entry(path: path, type: .other, whiteout: .opaque) }

func stack(_ layers: [[Entry]]) -> LayerStack {
    LayerStack(layers: layers.enumerated().map { i, entries in
        LayerContents(layer: LayerDescriptor(index: i, digest: Digest(hex: String(repeating: "\(i)", count: 64)),
                                             diffID: Digest(hex: String(repeating: "\(i)", count: 64)), size: 0,
                                             mediaType: "application/vnd.oci.image.layer.v1.tar", compression: .none),
                      entries: entries)
    })
}
