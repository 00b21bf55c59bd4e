import Foundation

/// Paths of the fixture files copied into `Tests/Fixtures` (real images made with buildah and
/// skopeo, their ground truth, the labelled secrets corpus). Tests never read `../shared`.
public enum Fixtures {
    /// `Tests/Fixtures`, found from this source file's location.
    public static let root: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Fixtures")

    /// The repository root (where Package.swift is).
    public static let repositoryRoot: URL = root.deletingLastPathComponent().deletingLastPathComponent()

    /// Names of the image fixtures: a-deleted-later-layer … z-combined.
    public static let imageNames = [
        "a-deleted-later-layer", "b-same-layer-delete", "c-copy-context", "d-build-args-env",
        "e-overwrite-opaque", "f-pkg-manager-creds", "g-secret-mount-clean", "h-hard-negatives", "z-combined",
    ]

    public static func dockerArchive(_ name: String) -> String {
        root.appendingPathComponent("images/docker-archive/\(name).tar").path
    }

    public static func ociLayout(_ name: String) -> String {
        root.appendingPathComponent("images/oci/\(name)").path
    }

    public static func truth(_ name: String) -> URL {
        root.appendingPathComponent("images/truth/\(name).truth.json")
    }

    public static func dockerfile(_ name: String) -> URL {
        root.appendingPathComponent("images/dockerfiles/\(name).Dockerfile")
    }

    public static var secretsCorpus: URL { root.appendingPathComponent("secrets/dev") }
    public static var secretsTruth: URL { root.appendingPathComponent("secrets/dev.truth.jsonl") }
}
