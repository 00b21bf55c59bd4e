/// One clear error: what went wrong, naming the image, layer and path it concerns.
/// `description` is a single sanitised line, safe to print.
public struct StrataError: Error, CustomStringConvertible, Sendable, Equatable {
    public var image: String?
    public var layer: Int?
    public var layerDigest: Digest?
    public var path: String?
    public var message: String

    public init(_ message: String, image: String? = nil, layer: Int? = nil, layerDigest: Digest? = nil, path: String? = nil) {
        self.message = message
        self.image = image
        self.layer = layer
        self.layerDigest = layerDigest
        self.path = path
    }

    /// Adds context without overwriting what is already known.
    public func with(image: String? = nil, layer: Int? = nil, layerDigest: Digest? = nil, path: String? = nil) -> StrataError {
        var copy = self
        if copy.image == nil { copy.image = image }
        if copy.layer == nil { copy.layer = layer }
        if copy.layerDigest == nil { copy.layerDigest = layerDigest }
        if copy.path == nil { copy.path = path }
        return copy
    }

    public var description: String {
        var parts: [String] = []
        if let image { parts.append(Sanitize.line(image)) }
        if let layer {
            var text = "layer \(layer)"
            if let layerDigest { text += " (\(layerDigest.short))" }
            parts.append(text)
        } else if let layerDigest {
            parts.append("blob \(layerDigest.short)")
        }
        if let path { parts.append(Sanitize.line(path)) }
        let context = parts.joined(separator: ": ")
        return context.isEmpty ? Sanitize.line(message) : context + ": " + Sanitize.line(message)
    }
}
