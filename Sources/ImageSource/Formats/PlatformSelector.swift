import Foundation
import LayerIndex

/// One image manifest reachable from an index (local or in a registry), with what identifies it.
public struct ManifestCandidate: Sendable {
    public var descriptor: OCIDescriptor
    public var digest: Digest
    /// `org.opencontainers.image.ref.name`, in local layouts.
    public var refName: String?
    public var platform: OCIPlatform?

    public init(descriptor: OCIDescriptor, digest: Digest, refName: String? = nil, platform: OCIPlatform? = nil) {
        self.descriptor = descriptor
        self.digest = digest
        self.refName = refName
        self.platform = platform
    }

    /// Index entries that are not images to run: BuildKit attestations and `unknown/unknown`.
    public static func isNotAnImage(platform: OCIPlatform?, annotations: [String: String]?) -> Bool {
        if annotations?["vnd.docker.reference.type"] == "attestation-manifest" { return true }
        if let platform, platform.os == "unknown" || platform.architecture == "unknown" { return true }
        return false
    }

    var label: String {
        var parts: [String] = []
        if let platform { parts.append(platform.description) }
        if let refName { parts.append(":" + Sanitize.line(refName)) }
        if parts.isEmpty { parts.append(digest.short) }
        return parts.joined(separator: " ")
    }
}

/// Picks one image manifest out of an index by tag (`org.opencontainers.image.ref.name`) and
/// platform; when the choice is ambiguous, the error lists the choices. Local layouts and
/// registry manifest lists both choose here.
public enum PlatformSelector {
    static func tagMatches(_ refName: String?, _ tag: String) -> Bool {
        guard let refName else { return false }
        return refName == tag || refName.hasSuffix(":" + tag)
    }

    /// `want` nil: the host's platform, when more than one image is left after the tag.
    public static func select(_ all: [ManifestCandidate], tag: String?, platform want: PlatformRequest?,
                              reference: String) throws -> ManifestCandidate {
        var candidates = all.filter { !ManifestCandidate.isNotAnImage(platform: $0.platform, annotations: $0.descriptor.annotations) }
        if candidates.isEmpty {
            throw StrataError("the index lists no image manifests", image: reference)
        }
        if let tag {
            candidates = candidates.filter { tagMatches($0.refName, tag) }
            if candidates.isEmpty {
                let names = Set(all.compactMap(\.refName)).sorted().map { Sanitize.line($0) }
                throw StrataError("no image is tagged \(Sanitize.line(tag))"
                                  + (names.isEmpty ? " (the index has no ref names)" : "; tags: " + names.joined(separator: ", ")),
                                  image: reference)
            }
        }
        if candidates.count == 1 {
            let only = candidates[0]
            if let want, let platform = only.platform, !want.matches(platform) {
                throw StrataError("no manifest for \(want); the image is \(platform)", image: reference)
            }
            return only
        }
        let target = want ?? PlatformRequest.host
        let withPlatform = candidates.filter { $0.platform != nil }
        if withPlatform.isEmpty {
            let choices = labels(candidates)
            let how = candidates.contains { $0.refName != nil } ? "choose one with :TAG" : "pin one by digest"
            throw StrataError("holds \(candidates.count) images; \(how) (\(choices))", image: reference)
        }
        var matching = candidates.filter { $0.platform.map(target.matches) ?? false }
        if matching.count > 1 && target.variant == nil {
            // linux/arm64 and linux/arm64/v8 are the same platform: prefer the canonical one.
            let canonical = matching.filter { c in
                let v = c.platform?.variant ?? ""
                return v.isEmpty || (c.platform.map { PlatformRequest.normalizedArchitecture($0.architecture) } == "arm64" && v == "v8")
            }
            if canonical.count == 1 { matching = canonical }
        }
        if matching.count == 1 { return matching[0] }
        let choices = labels(candidates)
        if matching.isEmpty {
            throw StrataError("no manifest for \(target)\(want == nil ? " (this host)" : ""); choose with --platform: \(choices)",
                              image: reference)
        }
        let platforms = Set(matching.compactMap { $0.platform?.description })
        if platforms.count == 1 && !matching.contains(where: { $0.refName != nil }) {
            throw StrataError("\(matching.count) images are \(platforms.first!) (\(matching.map(\.digest.short).joined(separator: ", "))); "
                              + "pin one by digest", image: reference)
        }
        let byTag = matching.contains { $0.refName != nil } ? ":TAG or " : ""
        throw StrataError("\(matching.count) images match \(target); choose with \(byTag)--platform os/arch/variant: "
                          + labels(matching), image: reference)
    }

    /// Names the choices; ref names are left out when they are all the same.
    static func labels(_ list: [ManifestCandidate]) -> String {
        let sameRef = Set(list.map { $0.refName ?? "" }).count == 1
        return list.map { c in
            var copy = c
            if sameRef && c.platform != nil { copy.refName = nil }
            return copy.label
        }.joined(separator: ", ")
    }
}
