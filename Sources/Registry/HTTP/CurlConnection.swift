import CCurl
import Foundation

/// One libcurl easy handle inside its own multi handle. The multi handle keeps the connection
/// cache, so a connection taken from the pool again reuses its open socket. A transfer is driven
/// from the reading thread (`curl_multi_perform` + `curl_multi_poll`) only when the reader needs
/// bytes, and the socket is paused when the buffer is full: memory stays bounded and nothing
/// runs in the background. Used by one thread at a time.
final class CurlConnection: @unchecked Sendable {
    private let curl: CurlLibrary
    private let multi: UnsafeMutableRawPointer
    private let easy: UnsafeMutableRawPointer
    private let errorBuffer = UnsafeMutablePointer<CChar>.allocate(capacity: Int(CURL_ERROR_SIZE) + 1)
    private var headerList: UnsafeMutablePointer<curl_slist>?
    private var postData: Data?
    let state = TransferState()
    private(set) var active = false

    init() throws {
        curl = try CurlLibrary.shared.get()
        guard let multi = curl.multiInit(), let easy = curl.easyInit() else {
            throw HTTPTransportError(code: -1, message: "libcurl could not be initialised", url: "")
        }
        self.multi = multi
        self.easy = easy
    }

    deinit {
        if active { _ = curl.multiRemoveHandle(multi, easy) }
        curl.easyCleanup(easy)
        _ = curl.multiCleanup(multi)
        if let headerList { curl.slistFreeAll(headerList) }
        errorBuffer.deallocate()
    }

    /// Starts a request and returns once the response's status and headers are in.
    func start(_ request: HTTPRequest, options: HTTPOptions) throws -> (status: Int, headers: HTTPHeaders) {
        precondition(!active)
        curl.easyReset(easy)
        if let headerList { curl.slistFreeAll(headerList) }
        headerList = nil
        state.reset(bufferLimit: options.bufferLimit)
        errorBuffer[0] = 0
        let url = request.url.absoluteString
        curl.set(easy, CURLOPT_URL, url)
        curl.set(easy, CURLOPT_ERRORBUFFER, pointer: errorBuffer)
        curl.set(easy, CURLOPT_NOSIGNAL, 1)
        curl.set(easy, CURLOPT_FOLLOWLOCATION, 0)
        curl.set(easy, CURLOPT_SUPPRESS_CONNECT_HEADERS, 1)
        curl.set(easy, CURLOPT_PROTOCOLS, Int(CURLPROTO_HTTP | CURLPROTO_HTTPS))
        curl.set(easy, CURLOPT_CONNECTTIMEOUT_MS, Int(options.connectTimeout * 1000))
        curl.set(easy, CURLOPT_SSL_VERIFYPEER, options.verifyTLS ? 1 : 0)
        curl.set(easy, CURLOPT_SSL_VERIFYHOST, options.verifyTLS ? 2 : 0)
        if let caBundle = options.caBundle { curl.set(easy, CURLOPT_CAINFO, caBundle) }
        if options.verifyTLS, !options.extraAuthorities.isEmpty,
           let pem = TrustBundle.pem(base: options.caBundle, extra: options.extraAuthorities) {
            pem.withUnsafeBytes { raw in
                // CURL_BLOB_COPY: curl keeps its own copy, so the bytes need not outlive this call.
                var blob = curl_blob(data: UnsafeMutableRawPointer(mutating: raw.baseAddress), len: raw.count,
                                     flags: UInt32(CURL_BLOB_COPY))
                _ = withUnsafePointer(to: &blob) { curl.set(easy, CURLOPT_CAINFO_BLOB, pointer: $0) }
            }
        }
        if let client = options.clientCertificate, options.clientCertificateOrigin == HTTPClient.origin(of: request.url) {
            // Only to the registry that asked for it, never to a redirect's storage host.
            curl.set(easy, CURLOPT_SSLCERT, client.certificate)
            curl.set(easy, CURLOPT_SSLKEY, client.key)
        }
        curl.set(easy, CURLOPT_BUFFERSIZE, 256 * 1024)
        curl.set(easy, CURLOPT_TCP_KEEPALIVE, 1)
        curl.set(easy, CURLOPT_USERAGENT, options.userAgent)
        switch request.method {
        case "GET": curl.set(easy, CURLOPT_HTTPGET, 1)
        case "HEAD": curl.set(easy, CURLOPT_NOBODY, 1)
        case "POST": curl.set(easy, CURLOPT_POST, 1)
        default:
            curl.set(easy, CURLOPT_CUSTOMREQUEST, request.method)
        }
        if let body = request.body {
            postData = body
            curl.set(easy, CURLOPT_POSTFIELDSIZE, body.count)
            body.withUnsafeBytes { raw in
                // COPYPOSTFIELDS copies, so the bytes need not outlive this call.
                _ = curl.set(easy, CURLOPT_COPYPOSTFIELDS, pointer: raw.baseAddress ?? UnsafeRawPointer(bitPattern: 1)!)
            }
        }
        var list: UnsafeMutablePointer<curl_slist>?
        for field in request.headers.fields {
            list = curl.slistAppend(list, "\(field.name): \(field.value)")
        }
        // curl adds `Expect: 100-continue` to POSTs; registries and token servers do not need it.
        list = curl.slistAppend(list, "Expect:")
        headerList = list
        curl.set(easy, CURLOPT_HTTPHEADER, pointer: list)

        let context = Unmanaged.passUnretained(state).toOpaque()
        curl.set(easy, CURLOPT_WRITEDATA, pointer: context)
        curl.set(easy, CURLOPT_HEADERDATA, pointer: context)
        curl.set(easy, CURLOPT_WRITEFUNCTION, callback: curlWriteCallback)
        curl.set(easy, CURLOPT_HEADERFUNCTION, callback: curlHeaderCallback)

        _ = curl.multiAddHandle(multi, easy)
        active = true
        do {
            try pump(options: options, url: url) { self.state.headersDone }
        } catch {
            finish()
            throw error
        }
        if !state.headersDone {
            let failure = transportError(url: url)
            finish()
            throw failure
        }
        return (state.status, HTTPHeaders(state.headers))
    }

    /// Copies buffered body bytes out, driving the transfer when the buffer is empty.
    /// Returns 0 at the end of the body; throws when the transfer failed.
    func read(into buffer: UnsafeMutableRawBufferPointer, options: HTTPOptions, url: String) throws -> Int {
        guard active else { return 0 }
        if state.available == 0 && !state.done {
            if state.paused {
                state.paused = false
                _ = curl.easyPause(easy, strata_curl_pause_continue())
            }
            try pump(options: options, url: url) { self.state.available > 0 }
        }
        if state.available > 0 { return state.take(into: buffer) }
        // Done and drained.
        if state.result != CURLE_OK {
            throw transportError(url: url)
        }
        return 0
    }

    /// Detaches the easy handle: aborts an unfinished transfer (its connection is closed),
    /// keeps a finished one's connection for reuse.
    func finish() {
        guard active else { return }
        _ = curl.multiRemoveHandle(multi, easy)
        active = false
        postData = nil
    }

    var isFinishedCleanly: Bool { state.done && state.result == CURLE_OK }

    private func transportError(url: String) -> HTTPTransportError {
        let detail = String(cString: errorBuffer)
        let code = state.result
        let message = detail.isEmpty ? curl.easyStrerror(code).map { String(cString: $0) } ?? "curl error \(code.rawValue)" : detail
        return HTTPTransportError(code: Int(code.rawValue), message: message, url: url)
    }

    private func pump(options: HTTPOptions, url: String, until ready: () -> Bool) throws {
        state.lastActivity = Date()
        while !ready() && !state.done {
            var running: Int32 = 0
            _ = curl.multiPerform(multi, &running)
            var queued: Int32 = 0
            while let message = curl.multiInfoRead(multi, &queued) {
                if message.pointee.msg == CURLMSG_DONE {
                    state.done = true
                    state.result = strata_curl_msg_result(message)
                }
            }
            if ready() || state.done { break }
            if Date().timeIntervalSince(state.lastActivity) > options.stallTimeout {
                state.done = true
                state.result = CURLE_OPERATION_TIMEDOUT
                errorBuffer[0] = 0
                throw HTTPTransportError(code: Int(CURLE_OPERATION_TIMEDOUT.rawValue),
                                         message: "no data for \(Int(options.stallTimeout)) s", url: url)
            }
            _ = curl.multiPoll(multi, nil, 0, 500, nil)
        }
    }
}

/// What the callbacks fill in for one transfer.
final class TransferState {
    var status = 0
    var headers: [HTTPHeaders.Field] = []
    var headersDone = false
    var done = false
    var result = CURLE_OK
    var paused = false
    var lastActivity = Date()
    var bufferLimit = 1 << 20
    /// The most body bytes ever held at once (tests check the bound).
    private(set) var peakBuffered = 0
    private var buffer: [UInt8] = []
    private var readOffset = 0

    func reset(bufferLimit: Int) {
        status = 0
        headers = []
        headersDone = false
        done = false
        result = CURLE_OK
        paused = false
        buffer.removeAll(keepingCapacity: true)
        readOffset = 0
        self.bufferLimit = bufferLimit
        peakBuffered = 0
        lastActivity = Date()
    }

    var available: Int { buffer.count - readOffset }

    func take(into out: UnsafeMutableRawBufferPointer) -> Int {
        let n = min(out.count, available)
        guard n > 0, let base = out.baseAddress else { return 0 }
        buffer.withUnsafeBytes { raw in
            base.copyMemory(from: raw.baseAddress! + readOffset, byteCount: n)
        }
        readOffset += n
        if readOffset == buffer.count {
            buffer.removeAll(keepingCapacity: true)
            readOffset = 0
        }
        return n
    }

    /// Accepts a chunk, or refuses it (pause) when the buffer is full.
    func accept(_ bytes: UnsafeRawBufferPointer) -> Bool {
        lastActivity = Date()
        if available >= bufferLimit { return false }
        if readOffset > 0 && readOffset >= buffer.count / 2 {
            buffer.removeFirst(readOffset)
            readOffset = 0
        }
        buffer.append(contentsOf: bytes)
        peakBuffered = max(peakBuffered, buffer.count - readOffset)
        return true
    }

    func headerLine(_ line: String) {
        lastActivity = Date()
        let trimmed = line.trimmingCharacters(in: CharacterSet(charactersIn: "\r\n"))
        if trimmed.hasPrefix("HTTP/") {
            // A new response (after 100 Continue, or the next hop): start over.
            let parts = trimmed.split(separator: " ", maxSplits: 2)
            status = parts.count > 1 ? Int(parts[1]) ?? 0 : 0
            headers = []
            return
        }
        if trimmed.isEmpty {
            if status >= 200 || status == 0 { headersDone = true }
            return
        }
        guard let colon = trimmed.firstIndex(of: ":") else { return }
        let name = String(trimmed[..<colon]).trimmingCharacters(in: .whitespaces)
        let value = String(trimmed[trimmed.index(after: colon)...]).trimmingCharacters(in: .whitespaces)
        if headers.count < 200 { headers.append(HTTPHeaders.Field(name, value)) }
    }
}

private let curlWriteCallback: strata_curl_write_cb = { data, size, count, context in
    guard let context, let data else { return 0 }
    let state = Unmanaged<TransferState>.fromOpaque(context).takeUnretainedValue()
    let length = size * count
    if state.accept(UnsafeRawBufferPointer(start: data, count: length)) { return length }
    state.paused = true
    return strata_curl_writefunc_pause()
}

private let curlHeaderCallback: strata_curl_write_cb = { data, size, count, context in
    guard let context, let data else { return 0 }
    let state = Unmanaged<TransferState>.fromOpaque(context).takeUnretainedValue()
    let length = size * count
    let line = String(decoding: UnsafeRawBufferPointer(start: data, count: length), as: UTF8.self)
    state.headerLine(line)
    return length
}
