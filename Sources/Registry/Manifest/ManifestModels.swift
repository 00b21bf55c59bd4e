import Foundation
import LayerIndex

/// Media types the client asks for and understands.
public enum MediaType {
    public static let ociManifest = "application/vnd.oci.image.manifest.v1+json"
    public static let ociIndex = "application/vnd.oci.image.index.v1+json"
    public static let dockerManifest = "application/vnd.docker.distribution.manifest.v2+json"
    public static let dockerManifestList = "application/vnd.docker.distribution.manifest.list.v2+json"
    public static let dockerSchema1 = "application/vnd.docker.distribution.manifest.v1+json"
    public static let dockerSchema1Signed = "application/vnd.docker.distribution.manifest.v1+prettyjws"

    /// The `Accept` list for manifest requests, most wanted first.
    public static let manifestAccept = [ociIndex, dockerManifestList, ociManifest, dockerManifest]

    public static func isIndex(_ type: String) -> Bool { type == ociIndex || type == dockerManifestList }
    public static func isImageManifest(_ type: String) -> Bool { type == ociManifest || type == dockerManifest }

    /// Layer compression from the layer media type; nil when the type does not say.
    public static func compression(ofLayer type: String) -> LayerCompression? {
        if type.hasSuffix("+gzip") || type.hasSuffix(".tar.gzip") || type.hasSuffix("diff.tar.gzip") { return .gzip }
        if type.hasSuffix("+zstd") || type.hasSuffix(".tar.zstd") { return .zstd }
        if type.hasSuffix(".tar") || type.hasSuffix("layer.v1.tar") { return LayerCompression.none }
        return nil
    }
}

/// An OCI content descriptor.
public struct Descriptor: Codable, Sendable, Hashable {
    public var mediaType: String?
    public var digest: Digest
    public var size: Int64
    public var platform: Platform?
    public var annotations: [String: String]?
    public var urls: [String]?
}

/// `os/architecture[/variant]` of an index entry or a config.
public struct Platform: Codable, Sendable, Hashable, CustomStringConvertible {
    public var os: String
    public var architecture: String
    public var variant: String?

    public init(os: String, architecture: String, variant: String? = nil) {
        self.os = os
        self.architecture = architecture
        self.variant = variant?.isEmpty == true ? nil : variant
    }

    public var description: String { [os, architecture, variant].compactMap { $0 }.joined(separator: "/") }

    /// Parses `os/arch[/variant]` (or `arch` alone, on linux).
    public static func parse(_ text: String) throws -> Platform {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        guard (1...3).contains(parts.count), parts.allSatisfy({ !$0.isEmpty }) else {
            throw StrataError("bad platform \(Sanitize.line(text)): expected os/arch[/variant], e.g. linux/arm64")
        }
        if parts.count == 1 { return Platform(os: "linux", architecture: normalizeArch(parts[0])) }
        return Platform(os: parts[0].lowercased(), architecture: normalizeArch(parts[1]),
                        variant: parts.count == 3 ? parts[2].lowercased() : nil)
    }

    static func normalizeArch(_ arch: String) -> String {
        switch arch.lowercased() {
        case "x86_64", "x86-64": return "amd64"
        case "aarch64": return "arm64"
        case "i386", "i686": return "386"
        default: return arch.lowercased()
        }
    }

    /// The machine strata runs on, as an image platform (images are linux whatever the host).
    public static var host: Platform {
        #if arch(x86_64)
        return Platform(os: "linux", architecture: "amd64")
        #elseif arch(arm64)
        return Platform(os: "linux", architecture: "arm64")
        #elseif arch(arm)
        return Platform(os: "linux", architecture: "arm", variant: "v7")
        #else
        return Platform(os: "linux", architecture: "unknown")
        #endif
    }

    /// `arm64` without a variant means `v8`.
    var effectiveVariant: String? {
        if architecture == "arm64" && variant == nil { return "v8" }
        return variant
    }
}

/// An image manifest (OCI or Docker schema 2).
struct ImageManifestDocument: Decodable {
    var schemaVersion: Int?
    var mediaType: String?
    var config: Descriptor
    var layers: [Descriptor]
}

/// An OCI index or Docker manifest list.
struct IndexDocument: Decodable {
    var schemaVersion: Int?
    var mediaType: String?
    var manifests: [Descriptor]
}

/// Just enough of any manifest to know what it is.
struct ManifestProbe: Decodable {
    var schemaVersion: Int?
    var mediaType: String?
    var manifests: [Descriptor]?
    var layers: [Descriptor]?
    var fsLayers: [[String: String]]?
}

/// Picks one manifest from an index for a platform.
public enum PlatformSelector {
    /// The entry for `wanted`; an error naming the choices when none or several match.
    /// Attestation and `unknown/unknown` entries are never candidates.
    public static func select(_ entries: [Descriptor], wanted: Platform, explicit: Bool,
                              image: String) throws -> Descriptor {
        let candidates = entries.filter { entry in
            guard let platform = entry.platform else { return false }
            if platform.os == "unknown" || platform.architecture == "unknown" { return false }
            if entry.annotations?["vnd.docker.reference.type"] == "attestation-manifest" { return false }
            return true
        }
        let matches = candidates.filter { entry in
            guard let p = entry.platform else { return false }
            guard p.os.lowercased() == wanted.os, Platform.normalizeArch(p.architecture) == wanted.architecture else { return false }
            if wanted.variant == nil { return true }
            let normalized = Platform(os: p.os, architecture: Platform.normalizeArch(p.architecture), variant: p.variant)
            return normalized.effectiveVariant == wanted.effectiveVariant
        }
        let choices = candidates.compactMap { $0.platform?.description }
        let list = choices.isEmpty ? "none (the index names no platforms)" : choices.joined(separator: ", ")
        if matches.count == 1 { return matches[0] }
        if matches.isEmpty {
            if candidates.isEmpty && entries.count == 1 { return entries[0] }
            let how = explicit ? "" : " (the host's; choose one with --platform)"
            throw StrataError("no manifest for platform \(wanted)\(how); the index has: \(list)", image: image)
        }
        // Several: the same os/arch with different variants, or duplicates.
        let distinct = Set(matches.compactMap { $0.platform?.description })
        if distinct.count == 1 {
            throw StrataError("platform \(wanted) matches \(matches.count) manifests (\(matches.map { $0.digest.short }.joined(separator: ", "))); pin one by digest", image: image)
        }
        throw StrataError("platform \(wanted) is ambiguous: \(distinct.sorted().joined(separator: ", ")); choose one with --platform", image: image)
    }
}
