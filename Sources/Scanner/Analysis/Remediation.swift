import LayerIndex

/// How to keep a secret out of the image, in words a Dockerfile author can act on.
/// Every text starts by saying to rotate the secret: once pushed, a layer is public to
/// whoever can pull it, and deleting a file in a later layer does not remove it.
public enum Remediation {
    static let rotate = "Rotate this secret: anyone who can pull the image can read it."

    /// For a secret in a file of `layer`, written by `step` (nil when the history does not say).
    public static func forFile(path: String, layer: Int, step: BuildStep?, fate: Fate) -> String {
        var parts = [rotate]
        if case .removed(let by, _) = fate {
            parts.append("Deleting it in layer \(by) did not remove it: layer \(layer) still holds it.")
        } else if case .overwritten(let by) = fate {
            parts.append("Replacing it in layer \(by) did not remove it: layer \(layer) still holds the old content.")
        }
        let filePath = archivePath(path)
        let name = PathNormalizer.basename(filePath)
        let id = secretID(for: name)
        switch step?.instruction {
        case .copy?, .add?:
            let copy = step?.copy
            if let copy, copy.fromDirectory, let relative = contextPath(of: filePath, destination: copy.destination) {
                parts.append("It was swept in by \(step!.instruction.rawValue): add `\(dockerignoreLine(relative))` to .dockerignore, "
                    + "and give the build step that needs it `RUN --mount=type=secret,id=\(id),target=/\(filePath)`.")
            } else {
                parts.append("Do not \(step!.instruction.rawValue) it into the image: give the step that needs it "
                    + "`RUN --mount=type=secret,id=\(id),target=/\(filePath)` (build with `--secret id=\(id),src=\(name)`), "
                    + "or inject it at run time (Kubernetes Secret, Vault).")
            }
        case .run?:
            parts.append("A RUN step wrote it: provide the credential as a build secret instead, "
                + "`RUN --mount=type=secret,id=\(id),target=/\(filePath) …` (build with `--secret id=\(id),src=…`), "
                + "so it never lands in a layer.")
        default:
            parts.append("Remove it from the image (rebuild without it, or from a base image that does not carry it) "
                + "and inject it at run time (Kubernetes Secret, Vault) or mount it with `RUN --mount=type=secret,id=\(id)` where the build needs it.")
        }
        return parts.joined(separator: " ")
    }

    /// For a secret in the config's `Env[NAME]`.
    public static func forEnv(name: String, fromBuildArgument: Bool) -> String {
        var text = rotate + " `ENV \(name)` is stored in the image config: inject it at run time instead "
            + "(Kubernetes Secret, Vault, `docker run --env-file`)."
        if fromBuildArgument {
            text += " If the build needs it, use `RUN --mount=type=secret,id=\(name.lowercased()),env=\(name)` instead of `ARG`/`ENV`."
        }
        return text
    }

    /// For a secret in a label, `Cmd` or `Entrypoint`.
    public static func forConfigField(_ field: String) -> String {
        if field.hasPrefix("Labels") {
            return rotate + " Labels are public metadata: remove the value from `LABEL`, and keep secrets out of build metadata."
        }
        return rotate + " `\(field)` is stored in the image config: read the secret at run time "
            + "from a mounted file or the environment (Kubernetes Secret, Vault, `docker run --env-file`)."
    }

    /// For a build argument recorded in a `RUN` step's history (`|N NAME=value …`).
    public static func forBuildArgument(name: String) -> String {
        rotate + " Build arguments are recorded in the image history: pass it as a build secret, "
            + "`RUN --mount=type=secret,id=\(name.lowercased()),env=\(name) …` (build with `--secret id=\(name.lowercased()),env=\(name)`), "
            + "instead of `ARG \(name)`."
    }

    /// For a secret written literally in a history step (a RUN command, an ENV or ARG default).
    public static func forHistoryText(instruction: BuildStep.Instruction, name: String?) -> String {
        switch instruction {
        case .env:
            return rotate + " `ENV\(name.map { " " + $0 } ?? "")` is stored in the image config and history: inject it at run time "
                + "(Kubernetes Secret, Vault, `docker run --env-file`)."
        case .arg:
            let n = name ?? "SECRET"
            return rotate + " `ARG` defaults and values are recorded in the image history: use "
                + "`RUN --mount=type=secret,id=\(n.lowercased()),env=\(n)` instead of `ARG \(n)`."
        default:
            return rotate + " The command text of every build step is recorded in the image history: never inline a secret; "
                + "read it from `RUN --mount=type=secret,id=…` (build with `--secret id=…,src=…`)."
        }
    }

    /// For a file found by a directory scan (a build context or an extracted root filesystem).
    public static func forDirectoryFile(relativePath: String) -> String {
        let filePath = archivePath(relativePath)
        let id = secretID(for: PathNormalizer.basename(filePath))
        return rotate + " If this directory is a build context, add `\(dockerignoreLine(filePath))` to .dockerignore "
            + "and give the step that needs it `RUN --mount=type=secret,id=\(id)`; never COPY it into an image."
    }

    /// The file that holds an archive member (`a.tar.gz!x/y` → `a.tar.gz`).
    static func archivePath(_ path: String) -> String {
        path.split(separator: "!", maxSplits: 1).first.map(String.init) ?? path
    }

    /// `.npmrc` → `npmrc`, `id_rsa` → `id_rsa`: an id for `--mount=type=secret,id=…`.
    static func secretID(for name: String) -> String {
        var id = name.drop(while: { $0 == "." })
        if id.isEmpty { id = "secret" }
        return String(id.map { $0.isLetter || $0.isNumber || $0 == "_" || $0 == "-" ? $0 : "_" })
    }

    /// The path of `path` (in the image) relative to a COPY destination directory.
    static func contextPath(of path: String, destination: String) -> String? {
        let dest = PathNormalizer.normalize(destination) ?? ""
        if dest.isEmpty { return path }
        guard path.hasPrefix(dest + "/") else { return nil }
        return String(path.dropFirst(dest.count + 1))
    }

    /// A `.dockerignore` line: the root-relative path for a file at the top of the context,
    /// `**/NAME` for a well-known credential file deeper down (it is usually not the only one),
    /// and the relative path otherwise.
    static func dockerignoreLine(_ relative: String) -> String {
        guard relative.contains("/") else { return relative }
        let name = PathNormalizer.basename(relative)
        if wellKnownCredentialNames.contains(name) { return "**/" + name }
        let first = relative.split(separator: "/").first.map(String.init) ?? relative
        if first.hasPrefix(".") { return first + "/" } // .aws/, .ssh/, .docker/
        return relative
    }

    static let wellKnownCredentialNames: Set<String> = [
        ".env", ".npmrc", ".pypirc", ".netrc", ".git-credentials", "id_rsa", "id_ed25519", "id_ecdsa", "id_dsa",
        "credentials", ".htpasswd", "pip.conf", "kubeconfig",
    ]
}
