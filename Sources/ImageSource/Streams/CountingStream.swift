import LayerIndex

/// Counts the bytes that pass through, and reports them every `interval` bytes (progress bars,
/// rates, ETAs) and once at the end of the stream.
public final class CountingStream: ByteStream {
    private let source: ByteStream
    private let interval: Int64
    private let report: ((Int64) -> Void)?
    private var nextReport: Int64
    private var ended = false
    public private(set) var count: Int64 = 0

    public init(_ source: ByteStream, interval: Int64 = 4 << 20, report: ((Int64) -> Void)? = nil) {
        self.source = source
        self.interval = max(1, interval)
        self.report = report
        self.nextReport = max(1, interval)
    }

    public func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        let n = try source.read(into: buffer)
        count += Int64(n)
        if let report {
            if n == 0 && !ended {
                ended = true
                report(count)
            } else if count >= nextReport {
                nextReport = count + interval
                report(count)
            }
        }
        return n
    }
}
