import CZlib

/// A zlib inflate stream (gzip with its header, or raw deflate for zip members) that pushes
/// what it decompresses into a closure, in bounded chunks.
final class Inflater {
    enum Mode { case gzip, raw }
    enum Outcome { case needInput, streamEnd(unusedInput: Int), failed(String) }

    private let stream: UnsafeMutablePointer<z_stream>
    private var output: [UInt8]
    private var live = false
    let mode: Mode

    init?(mode: Mode, chunk: Int = 64 << 10) {
        self.mode = mode
        stream = .allocate(capacity: 1)
        stream.initialize(to: z_stream())
        output = [UInt8](repeating: 0, count: chunk)
        let rc = mode == .gzip ? strata_inflate_init_auto(stream) : strata_inflate_init_raw(stream)
        guard rc == Z_OK else {
            stream.deinitialize(count: 1)
            stream.deallocate()
            return nil
        }
        live = true
    }

    deinit {
        if live { inflateEnd(stream) }
        stream.deinitialize(count: 1)
        stream.deallocate()
    }

    /// Starts a new stream (the next member of a multi-member gzip).
    func reset() { inflateReset(stream) }

    /// Inflates `input`, calling `sink` with each chunk produced. Stops at the end of the
    /// deflate stream (saying how many input bytes were not used), or when `sink` returns false.
    func feed(_ input: UnsafeRawBufferPointer, sink: (UnsafeRawBufferPointer) -> Bool) -> Outcome {
        guard let base = input.baseAddress, input.count > 0 else { return .needInput }
        stream.pointee.next_in = UnsafeMutablePointer(mutating: base.assumingMemoryBound(to: Bytef.self))
        stream.pointee.avail_in = uInt(input.count)
        defer {
            stream.pointee.next_in = nil
        }
        return output.withUnsafeMutableBytes { out -> Outcome in
            while true {
                stream.pointee.next_out = out.baseAddress!.assumingMemoryBound(to: Bytef.self)
                stream.pointee.avail_out = uInt(out.count)
                let rc = inflate(stream, Z_NO_FLUSH)
                let produced = out.count - Int(stream.pointee.avail_out)
                if produced > 0, !sink(UnsafeRawBufferPointer(rebasing: out[0..<produced])) {
                    return .failed("expansion limit reached")
                }
                switch rc {
                case Z_STREAM_END:
                    return .streamEnd(unusedInput: Int(stream.pointee.avail_in))
                case Z_OK:
                    if stream.pointee.avail_in == 0 && stream.pointee.avail_out > 0 { return .needInput }
                case Z_BUF_ERROR:
                    if stream.pointee.avail_in == 0 { return .needInput }
                    return .failed("inflate made no progress")
                default:
                    let message = stream.pointee.msg.map { String(cString: $0) } ?? "error \(rc)"
                    return .failed("corrupt deflate data (\(message))")
                }
            }
        }
    }
}

/// A `.gz` file inside a layer: inflated as it streams, into a child scan of its content.
/// Multi-member gzip files are followed; trailing garbage ends the expansion quietly.
final class GzipExpander: ByteSink {
    let child: FileScan
    let budget: ExpansionBudget
    let context: ScanContext
    let path: String
    var inflater: Inflater?
    var done = false

    init(child: FileScan, budget: ExpansionBudget, context: ScanContext, path: String) {
        self.child = child
        self.budget = budget
        self.context = context
        self.path = path
        inflater = Inflater(mode: .gzip)
        if inflater == nil { done = true }
    }

    func write(_ bytes: UnsafeRawBufferPointer) {
        var rest = bytes
        while !done, !rest.isEmpty, let inflater {
            let outcome = inflater.feed(rest) { chunk in
                guard budget.spend(chunk.count) else { return false }
                child.write(chunk)
                return true
            }
            switch outcome {
            case .needInput:
                return
            case .streamEnd(let unused):
                rest = UnsafeRawBufferPointer(rebasing: rest[(rest.count - unused)...])
                // Another gzip member follows only if it starts with the magic bytes.
                if rest.count >= 2, rest[0] == 0x1F, rest[1] == 0x8B {
                    inflater.reset()
                } else {
                    done = true
                }
            case .failed(let why):
                context.problems.append("\(path): \(why); scanned what was inflated")
                done = true
            }
        }
    }

    func close() {
        if !done, inflater != nil {
            context.problems.append("\(path): gzip data ends early; scanned what was inflated")
        }
        child.close()
        inflater = nil
    }
}
