import Foundation
import LayerIndex

/// A requested platform, `os/arch[/variant]`; a missing variant matches any.
public struct PlatformRequest: Sendable, Hashable, CustomStringConvertible {
    public var os: String
    public var architecture: String
    public var variant: String?

    public init(os: String, architecture: String, variant: String? = nil) {
        self.os = os
        self.architecture = architecture
        self.variant = variant
    }

    /// Parses `os/arch[/variant]`; nil when malformed.
    public init?(parsing text: String) {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        guard (2...3).contains(parts.count), parts.allSatisfy({ !$0.isEmpty }) else { return nil }
        os = parts[0].lowercased()
        architecture = parts[1].lowercased()
        variant = parts.count == 3 ? parts[2].lowercased() : nil
    }

    public var description: String { [os, architecture, variant].compactMap { $0 }.joined(separator: "/") }

    public func matches(_ platform: OCIPlatform) -> Bool {
        guard platform.os.lowercased() == os, platform.architecture.lowercased() == architecture else { return false }
        if let variant { return (platform.variant ?? "").lowercased() == variant }
        return true
    }

    /// The platform strata runs on, in OCI terms (`linux/amd64`, `linux/arm64`, …).
    public static var host: PlatformRequest {
        var info = utsname()
        uname(&info)
        let machine = withUnsafeBytes(of: &info.machine) { raw in
            String(decoding: raw.prefix(while: { $0 != 0 }), as: UTF8.self)
        }
        let os: String
        #if os(macOS)
        os = "linux" // images are Linux images; macOS hosts run them in a Linux VM
        #else
        os = "linux"
        #endif
        switch machine {
        case "x86_64", "amd64": return PlatformRequest(os: os, architecture: "amd64")
        case "aarch64", "arm64": return PlatformRequest(os: os, architecture: "arm64")
        case "armv7l": return PlatformRequest(os: os, architecture: "arm", variant: "v7")
        case "armv6l": return PlatformRequest(os: os, architecture: "arm", variant: "v6")
        case "i386", "i686": return PlatformRequest(os: os, architecture: "386")
        default: return PlatformRequest(os: os, architecture: machine)
        }
    }
}

/// One image manifest reachable from an index, with what identifies it.
struct ManifestCandidate {
    var descriptor: OCIDescriptor
    var digest: Digest
    var refName: String?
    var platform: OCIPlatform?

    var label: String {
        var parts: [String] = []
        if let platform { parts.append(platform.description) }
        if let refName { parts.append(":" + Sanitize.line(refName)) }
        if parts.isEmpty { parts.append(digest.short) }
        return parts.joined(separator: " ")
    }
}

/// Picks one image manifest out of an index by tag (`org.opencontainers.image.ref.name`) and
/// platform; when the choice is ambiguous, the error lists the choices.
enum PlatformSelector {
    static func tagMatches(_ refName: String?, _ tag: String) -> Bool {
        guard let refName else { return false }
        return refName == tag || refName.hasSuffix(":" + tag)
    }

    static func select(_ all: [ManifestCandidate], tag: String?, platform requested: String?, reference: String) throws -> ManifestCandidate {
        var candidates = all
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
        var want: PlatformRequest?
        if let requested {
            guard let parsed = PlatformRequest(parsing: requested) else {
                throw StrataError("--platform \(Sanitize.line(requested)) is not of the form os/arch[/variant]")
            }
            want = parsed
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
            throw StrataError("holds \(candidates.count) images; choose one with :TAG (\(choices))", image: reference)
        }
        var matching = candidates.filter { $0.platform.map(target.matches) ?? false }
        if matching.count > 1 && target.variant == nil {
            // linux/arm64 and linux/arm64/v8 are the same platform: prefer the canonical one.
            let canonical = matching.filter { c in
                let v = c.platform?.variant ?? ""
                return v.isEmpty || (c.platform?.architecture == "arm64" && v == "v8")
            }
            if canonical.count == 1 { matching = canonical }
        }
        if matching.count == 1 { return matching[0] }
        let choices = labels(candidates)
        if matching.isEmpty {
            throw StrataError("no manifest for \(target)\(want == nil ? " (this host)" : ""); choose with --platform: \(choices)",
                              image: reference)
        }
        throw StrataError("\(matching.count) images match \(target); choose with :TAG or --platform os/arch/variant: "
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
