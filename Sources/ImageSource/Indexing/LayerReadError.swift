import LayerIndex

/// A layer whose stream failed part way (truncation, corrupt header, digest mismatch).
/// `partial` keeps every entry read before the failure, so callers still show them.
public struct LayerReadError: Error, CustomStringConvertible, Sendable {
    public var partial: LayerContents
    public var error: StrataError

    public init(partial: LayerContents, error: StrataError) {
        self.partial = partial
        self.error = error
    }

    public var description: String { error.description }
}
