import Detection
import LayerIndex

/// Where a secret sits in an image, and whether the final image still carries it.
public enum FindingStatus: String, Codable, Sendable, CaseIterable {
    /// In a file the final filesystem still shows.
    case present
    /// In a file a later layer deleted (whiteout or opaque directory): still in its layer.
    case removed
    /// In a file a later layer replaced with other content: still in its layer.
    case overwritten
    /// In the image config (Env, Labels, Cmd, Entrypoint).
    case config
    /// In a build step's `created_by` (build arguments, inline tokens).
    case history
}

/// Where a finding is: a layer file, a config field, a history step, or a plain file (directory scans).
public struct FindingLocation: Codable, Sendable, Hashable {
    public enum Source: String, Codable, Sendable { case layer, config, history, file }

    public var source: Source
    public var layer: Int?
    public var layerDigest: Digest?
    /// Path in the image (no leading `/`), or relative to a scanned directory. Members of
    /// archives inside a layer are written `ARCHIVE!member`.
    public var path: String?
    public var line: Int?
    public var column: Int?
    /// For config and history: `Env[API_KEY]`, `Labels[com.example.token]`, `Cmd`, `history[5]`.
    public var field: String?
    /// For history findings: the index into `config.history` (empty_layer steps counted).
    public var historyIndex: Int?

    public init(source: Source, layer: Int? = nil, layerDigest: Digest? = nil, path: String? = nil,
                line: Int? = nil, column: Int? = nil, field: String? = nil, historyIndex: Int? = nil) {
        self.source = source
        self.layer = layer
        self.layerDigest = layerDigest
        self.path = path
        self.line = line
        self.column = column
        self.field = field
        self.historyIndex = historyIndex
    }
}

/// One occurrence of one secret in an image (or directory), explained for a responder.
public struct Finding: Codable, Sendable, Hashable {
    public var match: Match
    public var status: FindingStatus
    /// For `removed`/`overwritten`: the layer that removed or replaced the file.
    public var removedInLayer: Int?
    public var location: FindingLocation
    /// The build step (`created_by`) that put the secret there.
    public var introducedBy: String?
    /// How to keep it out of the image, e.g. `RUN --mount=type=secret,…`, a `.dockerignore` line.
    public var remediation: String

    public init(match: Match, status: FindingStatus, removedInLayer: Int? = nil, location: FindingLocation,
                introducedBy: String? = nil, remediation: String) {
        self.match = match
        self.status = status
        self.removedInLayer = removedInLayer
        self.location = location
        self.introducedBy = introducedBy
        self.remediation = remediation
    }

    public var fingerprint: String { match.fingerprint }
    public var severity: Severity { match.severity }
}

/// A match found in one file of one layer, before the stack decides its status.
public struct FileMatch: Codable, Sendable, Hashable {
    public var layer: Int
    /// Path in the image; `ARCHIVE!member` inside archives.
    public var path: String
    public var match: Match

    public init(layer: Int, path: String, match: Match) {
        self.layer = layer
        self.path = path
        self.match = match
    }
}
