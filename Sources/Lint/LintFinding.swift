import Detection

/// A lint rule: stable id, default severity, a short name and what it means.
public struct LintRule: Sendable, Hashable, Codable {
    public var id: String
    public var name: String
    public var severity: Severity
    /// One sentence for `--help`, SARIF rule descriptions and docs.
    public var summary: String
}

/// The catalogue of Dockerfile checks. Ids never change meaning; new checks get new ids.
public enum LintRules {
    public static let secretArg = LintRule(id: "DF001", name: "secret-in-arg", severity: .high,
        summary: "A build argument named like a secret: its --build-arg value is recorded in the history of every RUN step after it.")
    public static let secretEnv = LintRule(id: "DF002", name: "secret-in-env", severity: .critical,
        summary: "An ENV named like a secret: its value is stored in the image config and visible to anyone who pulls the image.")
    public static let literalSecret = LintRule(id: "DF003", name: "secret-literal-in-arg-env-label", severity: .critical,
        summary: "A secret value written literally in ARG, ENV or LABEL: it is in the Dockerfile and in the image config or history.")
    public static let inlineRunSecret = LintRule(id: "DF004", name: "secret-inline-in-run", severity: .critical,
        summary: "A secret written literally in a RUN step: the command text is kept in the image history.")
    public static let removedLater = LintRule(id: "DF005", name: "credential-removed-in-later-step", severity: .high,
        summary: "A credential is written in one step and removed in a later one: the earlier layer still holds it.")
    public static let writtenToLayer = LintRule(id: "DF006", name: "credential-written-to-layer", severity: .high,
        summary: "A secret is written to a file in a RUN step and never removed: the file ships in the image.")
    public static let addURLCredentials = LintRule(id: "DF007", name: "credentials-in-add-url", severity: .critical,
        summary: "An ADD URL carries credentials (user:password@ or a token parameter): the URL is kept in the image history.")
    public static let contextCredentials = LintRule(id: "DF008", name: "context-credentials-copied", severity: .high,
        summary: "COPY/ADD sends credential files from the build context into the image; .dockerignore does not exclude them.")
    public static let copiedCredentialFile = LintRule(id: "DF009", name: "credential-file-copied", severity: .high,
        summary: "COPY/ADD puts a credential file (key, .npmrc, .netrc, cloud credentials…) into a layer.")
    public static let finalStageCopiesSecret = LintRule(id: "DF010", name: "final-stage-copies-secret", severity: .high,
        summary: "The final stage copies a secret-bearing path from another stage: the multi-stage build no longer keeps it out.")
    public static let sameLayerCredential = LintRule(id: "DF011", name: "credential-created-and-removed-in-one-step", severity: .info,
        summary: "A credential file is created and removed in the same RUN: no layer keeps the file, but an inlined value stays in history.")

    /// Reported by `strata context check`: a credential file the build context would send.
    public static let contextFile = LintRule(id: "CTX001", name: "context-credential-file", severity: .high,
        summary: "A credential file in the build context that .dockerignore does not exclude: COPY . or ADD . would put it in the image.")

    public static let all: [LintRule] = [
        secretArg, secretEnv, literalSecret, inlineRunSecret, removedLater, writtenToLayer, addURLCredentials,
        contextCredentials, copiedCredentialFile, finalStageCopiesSecret, sameLayerCredential, contextFile,
    ]

    public static func rule(id: String) -> LintRule? { all.first { $0.id == id.uppercased() } }
}

/// Where an image produced a Dockerfile step: filled by `--image`.
public struct LayerEvidence: Sendable, Hashable, Codable {
    /// Index into `config.history` (empty-layer steps counted).
    public var historyIndex: Int
    /// The layer the step produced (nil for steps that make no layer: ENV, ARG, …).
    public var layerIndex: Int?
    public var layerDigest: String?
    public var createdBy: String
    /// A secret the image's history text itself holds for this step (redacted unless
    /// `--show-secrets`): the proof that the leak is real in this image.
    public var secretInHistory: String?
    /// For ENV findings: the value the image config's `Env` holds for that name (redacted).
    public var secretInConfig: String?

    public init(historyIndex: Int, layerIndex: Int?, layerDigest: String?, createdBy: String, secretInHistory: String? = nil,
                secretInConfig: String? = nil) {
        self.historyIndex = historyIndex
        self.layerIndex = layerIndex
        self.layerDigest = layerDigest
        self.createdBy = createdBy
        self.secretInHistory = secretInHistory
        self.secretInConfig = secretInConfig
    }
}

/// One lint result: rule, severity, where, why and how to fix it.
public struct LintFinding: Sendable, Hashable, Codable {
    public var ruleID: String
    public var ruleName: String
    public var severity: Severity
    /// The Dockerfile (or context directory) the finding is in.
    public var file: String
    /// 1-based line the finding points at (the instruction's first line unless more precise).
    public var line: Int
    public var endLine: Int
    /// One-line explanation.
    public var message: String
    /// The suggested rewrite (Dockerfile text or a .dockerignore line), possibly several lines.
    public var suggestion: String?
    /// Other lines involved (the later step that removes the credential, the stage it came from).
    public var relatedLines: [Int]
    /// The secret's redacted preview (or raw value with --show-secrets), when a value was seen.
    public var secret: String?
    /// The kind of secret (`npm-token`, `github-pat`, `private-key`…) or credential file.
    public var kind: String?
    /// Context files involved (DF008).
    public var paths: [String]
    public var evidence: LayerEvidence?

    public init(rule: LintRule, severity: Severity? = nil, file: String, line: Int, endLine: Int? = nil,
                message: String, suggestion: String? = nil, relatedLines: [Int] = [], secret: String? = nil,
                kind: String? = nil, paths: [String] = []) {
        self.ruleID = rule.id
        self.ruleName = rule.name
        self.severity = severity ?? rule.severity
        self.file = file
        self.line = line
        self.endLine = endLine ?? line
        self.message = message
        self.suggestion = suggestion
        self.relatedLines = relatedLines
        self.secret = secret
        self.kind = kind
        self.paths = paths
        self.evidence = nil
    }
}
