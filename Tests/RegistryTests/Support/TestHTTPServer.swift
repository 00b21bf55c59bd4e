import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A tiny HTTP/1.1 server on 127.0.0.1 for tests: answers itself, or relays a request to an
/// upstream port (optionally cutting the response after N bytes). One request per connection
/// when relaying; keep-alive otherwise. Every request is logged. `stop()` closes everything.
final class TestHTTPServer: @unchecked Sendable {
    struct Request: Sendable {
        var method: String
        var target: String
        var headers: [String: String]
        var body: Data
        var path: String { String(target.split(separator: "?", maxSplits: 1).first ?? "") }
        var query: String { target.split(separator: "?", maxSplits: 1).dropFirst().first.map(String.init) ?? "" }
    }

    enum Reply: Sendable {
        case respond(status: Int, headers: [(String, String)], body: Data)
        /// Relay to 127.0.0.1:port; `cutAfter` response bytes, close both sides.
        case forward(port: UInt16, cutAfter: Int?)
        /// Relay without some request headers (a server that ignores `Range`, say).
        case forwardWithout(port: UInt16, headers: [String])
        /// Close the connection without answering.
        case hangUp
    }

    let port: UInt16
    private let listener: Int32
    private let handler: @Sendable (Request) -> Reply
    private let lock = NSLock()
    private var open: Set<Int32> = []
    private var log: [Request] = []
    private var stopped = false
    private var accepted = 0

    /// TCP connections accepted so far.
    var connectionCount: Int {
        lock.lock()
        defer { lock.unlock() }
        return accepted
    }
    private let acceptDone = DispatchSemaphore(value: 0)

    init(handler: @escaping @Sendable (Request) -> Reply) throws {
        self.handler = handler
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var one: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, socklen_t(MemoryLayout<Int32>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0, listen(fd, 64) == 0 else {
            close(fd)
            throw TestFailure("cannot listen on 127.0.0.1")
        }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { _ = getsockname(fd, $0, &length) }
        }
        listener = fd
        port = UInt16(bigEndian: address.sin_port)
        let thread = Thread { [self] in acceptLoop() }
        thread.start()
    }

    deinit { stop() }

    var requests: [Request] {
        lock.lock()
        defer { lock.unlock() }
        return log
    }

    var url: String { "127.0.0.1:\(port)" }

    func stop() {
        lock.lock()
        if stopped {
            lock.unlock()
            return
        }
        stopped = true
        let fds = open
        lock.unlock()
        shutdown(listener, Int32(SHUT_RDWR))
        for fd in fds { shutdown(fd, Int32(SHUT_RDWR)) }
        _ = acceptDone.wait(timeout: .now() + 5)
        close(listener)
    }

    private func acceptLoop() {
        defer { acceptDone.signal() }
        while true {
            let fd = accept(listener, nil, nil)
            if fd < 0 {
                if errno == EINTR { continue }
                return
            }
            lock.lock()
            if stopped {
                lock.unlock()
                close(fd)
                return
            }
            open.insert(fd)
            accepted += 1
            lock.unlock()
            var timeout = timeval(tv_sec: 20, tv_usec: 0)
            setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
            let thread = Thread { [self] in
                serve(fd)
                lock.lock()
                open.remove(fd)
                lock.unlock()
                close(fd)
            }
            thread.start()
        }
    }

    private func serve(_ fd: Int32) {
        var pending = Data()
        while true {
            guard let request = readRequest(fd, &pending) else { return }
            lock.lock()
            log.append(request)
            lock.unlock()
            switch handler(request) {
            case .hangUp:
                return
            case .respond(let status, let headers, let body):
                var head = "HTTP/1.1 \(status) \(Self.reason(status))\r\n"
                var hasLength = false
                for (name, value) in headers {
                    head += "\(name): \(value)\r\n"
                    if name.lowercased() == "content-length" { hasLength = true }
                }
                if !hasLength { head += "Content-Length: \(body.count)\r\n" }
                head += "\r\n"
                guard writeAll(fd, Data(head.utf8)), request.method == "HEAD" || writeAll(fd, body) else { return }
            case .forward(let upstreamPort, let cutAfter):
                relay(request, from: fd, to: upstreamPort, cutAfter: cutAfter)
                return
            case .forwardWithout(let upstreamPort, let names):
                var trimmed = request
                for name in names { trimmed.headers[name.lowercased()] = nil }
                relay(trimmed, from: fd, to: upstreamPort, cutAfter: nil)
                return
            }
        }
    }

    private func relay(_ request: Request, from client: Int32, to upstreamPort: UInt16, cutAfter: Int?) {
        let upstream = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(upstream) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = upstreamPort.bigEndian
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(upstream, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else { return }
        var timeout = timeval(tv_sec: 20, tv_usec: 0)
        setsockopt(upstream, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var head = "\(request.method) \(request.target) HTTP/1.1\r\n"
        for (name, value) in request.headers where name != "connection" {
            head += "\(name): \(value)\r\n"
        }
        head += "Connection: close\r\n\r\n"
        guard writeAll(upstream, Data(head.utf8)), writeAll(upstream, request.body) else { return }
        var sent = 0
        var buffer = [UInt8](repeating: 0, count: 16 * 1024)
        while true {
            let n = buffer.withUnsafeMutableBytes { recv(upstream, $0.baseAddress, $0.count, 0) }
            if n <= 0 { return }
            var chunk = Data(buffer[0..<n])
            if let cutAfter, sent + n >= cutAfter {
                chunk = chunk.prefix(cutAfter - sent)
                _ = writeAll(client, chunk)
                shutdown(client, Int32(SHUT_RDWR))
                return
            }
            guard writeAll(client, chunk) else { return }
            sent += n
        }
    }

    private func readRequest(_ fd: Int32, _ pending: inout Data) -> Request? {
        let separator = Data("\r\n\r\n".utf8)
        var buffer = [UInt8](repeating: 0, count: 16 * 1024)
        while pending.range(of: separator) == nil {
            // A TLS ClientHello (0x16) on this plain-HTTP port: hang up at once.
            if pending.first == 0x16 { return nil }
            let n = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if n <= 0 { return nil }
            pending.append(contentsOf: buffer[0..<n])
            if pending.first == 0x16 { return nil }
            if pending.count > 1 << 20 { return nil }
        }
        let end = pending.range(of: separator)!
        let headText = String(decoding: pending[pending.startIndex..<end.lowerBound], as: UTF8.self)
        pending = Data(pending[end.upperBound...])
        var lines = headText.components(separatedBy: "\r\n")
        let requestLine = lines.removeFirst().split(separator: " ")
        guard requestLine.count >= 2 else { return nil }
        var headers: [String: String] = [:]
        for line in lines {
            guard let colon = line.firstIndex(of: ":") else { continue }
            headers[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
        let length = Int(headers["content-length"] ?? "0") ?? 0
        while pending.count < length {
            let n = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if n <= 0 { return nil }
            pending.append(contentsOf: buffer[0..<n])
        }
        let body = Data(pending.prefix(length))
        pending = Data(pending.dropFirst(length))
        return Request(method: String(requestLine[0]), target: String(requestLine[1]), headers: headers, body: body)
    }

    private func writeAll(_ fd: Int32, _ data: Data) -> Bool {
        data.withUnsafeBytes { raw in
            var offset = 0
            while offset < raw.count {
                let n = send(fd, raw.baseAddress! + offset, raw.count - offset, Int32(MSG_NOSIGNAL))
                if n <= 0 { return false }
                offset += n
            }
            return true
        }
    }

    static func reason(_ status: Int) -> String {
        switch status {
        case 200: return "OK"
        case 206: return "Partial Content"
        case 307: return "Temporary Redirect"
        case 401: return "Unauthorized"
        case 404: return "Not Found"
        case 429: return "Too Many Requests"
        case 503: return "Service Unavailable"
        default: return "Status"
        }
    }
}

struct TestFailure: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
