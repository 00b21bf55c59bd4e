import Foundation
import LayerIndex

/// A requested platform, `os/arch[/variant]` (or `arch` alone, on linux); a missing variant
/// matches any. The one place platform names are parsed and compared, for local indexes and
/// registry manifest lists alike: architecture aliases are folded (`x86_64` is `amd64`,
/// `aarch64` is `arm64`) and `arm64` without a variant is `arm64/v8`.
public struct PlatformRequest: Sendable, Hashable, CustomStringConvertible {
    public var os: String
    public var architecture: String
    public var variant: String?

    public init(os: String, architecture: String, variant: String? = nil) {
        self.os = os.lowercased()
        self.architecture = PlatformRequest.normalizedArchitecture(architecture)
        self.variant = variant.flatMap { $0.isEmpty ? nil : $0.lowercased() }
    }

    /// Parses `os/arch[/variant]` or `arch`; nil when malformed.
    public init?(parsing text: String) {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        guard (1...3).contains(parts.count), parts.allSatisfy({ !$0.isEmpty }) else { return nil }
        if parts.count == 1 {
            self.init(os: "linux", architecture: parts[0])
        } else {
            self.init(os: parts[0], architecture: parts[1], variant: parts.count == 3 ? parts[2] : nil)
        }
    }

    /// Parses like `init?(parsing:)`, with the error a user sees for `--platform`.
    public static func parse(_ text: String) throws -> PlatformRequest {
        guard let request = PlatformRequest(parsing: text) else {
            throw StrataError("--platform \(Sanitize.line(text)) is not of the form os/arch[/variant] (e.g. linux/arm64)")
        }
        return request
    }

    public var description: String { [os, architecture, variant].compactMap { $0 }.joined(separator: "/") }

    /// `amd64` for `x86_64`, `arm64` for `aarch64`, `386` for `i686`; others lowercased.
    public static func normalizedArchitecture(_ architecture: String) -> String {
        switch architecture.lowercased() {
        case "x86_64", "x86-64": return "amd64"
        case "aarch64": return "arm64"
        case "i386", "i686": return "386"
        case let other: return other
        }
    }

    /// The variant that goes without saying: `arm64` means `arm64/v8`.
    static func effectiveVariant(architecture: String, variant: String?) -> String? {
        let v = variant.flatMap { $0.isEmpty ? nil : $0.lowercased() }
        if v == nil && architecture == "arm64" { return "v8" }
        return v
    }

    /// True when an image of `os/architecture/variant` is what was asked for.
    public func matches(os: String, architecture: String, variant: String?) -> Bool {
        let arch = PlatformRequest.normalizedArchitecture(architecture)
        guard os.lowercased() == self.os, arch == self.architecture else { return false }
        guard self.variant != nil else { return true }
        return PlatformRequest.effectiveVariant(architecture: arch, variant: variant)
            == PlatformRequest.effectiveVariant(architecture: self.architecture, variant: self.variant)
    }

    public func matches(_ platform: OCIPlatform) -> Bool {
        matches(os: platform.os, architecture: platform.architecture, variant: platform.variant)
    }

    /// The platform strata runs on, in OCI terms (`linux/amd64`, `linux/arm64`, …): images are
    /// Linux images whatever the host.
    public static var host: PlatformRequest {
        var info = utsname()
        uname(&info)
        let machine = withUnsafeBytes(of: &info.machine) { raw in
            String(decoding: raw.prefix(while: { $0 != 0 }), as: UTF8.self)
        }
        switch machine {
        case "armv7l": return PlatformRequest(os: "linux", architecture: "arm", variant: "v7")
        case "armv6l": return PlatformRequest(os: "linux", architecture: "arm", variant: "v6")
        default: return PlatformRequest(os: "linux", architecture: machine)
        }
    }
}
