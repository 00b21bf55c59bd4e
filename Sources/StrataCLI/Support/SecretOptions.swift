import ArgumentParser
import Detection
import LayerIndex
import Scanner

/// `--show-secrets` for the listing commands that print text from an image's config and
/// history (build steps, `Env`, labels). Without it that text is redacted with the same
/// judgement `strata scan` uses. Use `@OptionGroup var secretOptions: SecretOptions`.
struct SecretOptions: ParsableArguments {
    @Flag(name: .customLong("show-secrets"),
          help: "Print secrets in build steps and config values instead of redacted previews.")
    var showSecrets = false

    /// The redactor for `info`'s config and history; masks nothing with `--show-secrets`.
    func redactor(for info: ImageInfo) throws -> TextRedactor {
        if showSecrets { return TextRedactor(secrets: []) }
        let detector: Detector
        do {
            detector = try Detector.standard()
        } catch let error as StrataError {
            throw error
        } catch {
            // Never fall back to printing unredacted text.
            throw StrataError("cannot load the secret rules to redact build steps (--show-secrets prints them as they are): \(error)")
        }
        return TextRedactor(image: info, matcher: detector)
    }
}
