import LayerIndex
import Lint

/// How to keep a secret out of the image, in words a Dockerfile author can act on.
/// Every text starts by saying to rotate the secret: once pushed, a layer is public to
/// whoever can pull it, and deleting a file in a later layer does not remove it.
///
/// The image-specific framing (rotation, the layer that still holds it, where it came from)
/// is written here; the fix itself — mount flags, build options, `.dockerignore` lines — comes
/// from Lint's ``DockerfileRemediation``, so `strata scan` and `strata lint` propose the same change.
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
        let mount = DockerfileRemediation.fileMount(path: filePath)
        switch step?.instruction {
        case .copy?, .add?:
            let copy = step?.copy
            if let copy, copy.fromDirectory, let relative = contextPath(of: filePath, destination: copy.destination) {
                parts.append("It was swept in by \(step!.instruction.rawValue): add `\(DockerfileRemediation.ignoreLine(forContextPath: relative))` to .dockerignore, "
                    + "and give the build step that needs it `RUN \(mount.flag)`.")
            } else {
                parts.append("Do not \(step!.instruction.rawValue) it into the image: give the step that needs it "
                    + "`RUN \(mount.flag)` (build with `\(mount.buildOption)`), "
                    + "or inject it at run time (Kubernetes Secret, Vault).")
            }
        case .run?:
            parts.append("A RUN step wrote it: provide the credential as a build secret instead, "
                + "`RUN \(mount.flag) …` (build with `\(mount.buildOption)`), "
                + "so it never lands in a layer.")
        default:
            parts.append("Remove it from the image (rebuild without it, or from a base image that does not carry it) "
                + "and inject it at run time (Kubernetes Secret, Vault) or mount it with `RUN --mount=type=secret,id=\(mount.id)` where the build needs it.")
        }
        return parts.joined(separator: " ")
    }

    /// For a secret in the config's `Env[NAME]`.
    public static func forEnv(name: String, fromBuildArgument: Bool) -> String {
        var text = rotate + " `ENV \(name)` is stored in the image config: inject it at run time instead "
            + "(Kubernetes Secret, Vault, `docker run --env-file`)."
        if fromBuildArgument {
            text += " If the build needs it, use `RUN \(DockerfileRemediation.envMount(name).flag)` instead of `ARG`/`ENV`."
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
        let mount = DockerfileRemediation.envMount(name)
        return rotate + " Build arguments are recorded in the image history: pass it as a build secret, "
            + "`RUN \(mount.flag) …` (build with `\(mount.buildOption)`), "
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
                + "`RUN \(DockerfileRemediation.envMount(n).flag)` instead of `ARG \(n)`."
        default:
            return rotate + " The command text of every build step is recorded in the image history: never inline a secret; "
                + "read it from `RUN --mount=type=secret,id=…` (build with `--secret id=…,src=…`)."
        }
    }

    /// For a file found by a directory scan (a build context or an extracted root filesystem).
    public static func forDirectoryFile(relativePath: String) -> String {
        let filePath = archivePath(relativePath)
        let id = DockerfileRemediation.fileMount(path: filePath).id
        return rotate + " If this directory is a build context, add `\(DockerfileRemediation.ignoreLine(forContextPath: filePath))` to .dockerignore "
            + "and give the step that needs it `RUN --mount=type=secret,id=\(id)`; never COPY it into an image."
    }

    /// The file that holds an archive member (`a.tar.gz!x/y` → `a.tar.gz`).
    static func archivePath(_ path: String) -> String {
        path.split(separator: "!", maxSplits: 1).first.map(String.init) ?? path
    }

    /// The path of `path` (in the image) relative to a COPY destination directory.
    static func contextPath(of path: String, destination: String) -> String? {
        let dest = PathNormalizer.normalize(destination) ?? ""
        if dest.isEmpty { return path }
        guard path.hasPrefix(dest + "/") else { return nil }
        return String(path.dropFirst(dest.count + 1))
    }
}
