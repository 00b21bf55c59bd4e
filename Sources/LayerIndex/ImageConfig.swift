/// One step of the image's build history (`config.history[i]`).
public struct HistoryStep: Codable, Sendable, Hashable {
    /// Position in `config.history`, counting `empty_layer` steps.
    public var index: Int
    public var createdBy: String
    public var created: String?
    public var comment: String?
    public var author: String?
    public var emptyLayer: Bool
    /// The layer this step made; nil for `empty_layer` steps (ENV, ARG, LABEL, …).
    public var layerIndex: Int?

    public init(index: Int, createdBy: String, created: String? = nil, comment: String? = nil,
                author: String? = nil, emptyLayer: Bool = false, layerIndex: Int? = nil) {
        self.index = index
        self.createdBy = createdBy
        self.created = created
        self.comment = comment
        self.author = author
        self.emptyLayer = emptyLayer
        self.layerIndex = layerIndex
    }
}

/// The parts of an image config (`application/vnd.oci.image.config.v1+json`) strata uses.
public struct ImageConfig: Codable, Sendable, Hashable {
    public var os: String?
    public var architecture: String?
    public var variant: String?
    public var created: String?
    public var env: [String]
    public var labels: [String: String]
    public var cmd: [String]?
    public var entrypoint: [String]?
    public var workingDir: String?
    public var user: String?
    public var history: [HistoryStep]
    public var diffIDs: [Digest]

    public init(os: String? = nil, architecture: String? = nil, variant: String? = nil, created: String? = nil,
                env: [String] = [], labels: [String: String] = [:], cmd: [String]? = nil,
                entrypoint: [String]? = nil, workingDir: String? = nil, user: String? = nil,
                history: [HistoryStep] = [], diffIDs: [Digest] = []) {
        self.os = os
        self.architecture = architecture
        self.variant = variant
        self.created = created
        self.env = env
        self.labels = labels
        self.cmd = cmd
        self.entrypoint = entrypoint
        self.workingDir = workingDir
        self.user = user
        self.history = history
        self.diffIDs = diffIDs
    }

    /// `os/arch[/variant]`.
    public var platform: String {
        [os ?? "unknown", architecture ?? "unknown", variant].compactMap { $0 }.joined(separator: "/")
    }
}
