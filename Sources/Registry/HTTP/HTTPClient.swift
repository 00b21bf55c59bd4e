import Foundation
import ImageSource
import LayerIndex

/// A small HTTP/1.1 and HTTP/2 client over libcurl. Connections are pooled per origin and reused;
/// response bodies are pulled through `HTTPBody` without ever being held whole. Redirects are
/// not followed here: the registry client follows them itself, to decide which headers travel.
public final class HTTPClient: @unchecked Sendable {
    public let options: HTTPOptions
    private let lock = NSLock()
    private var idle: [String: [CurlConnection]] = [:]
    private let maxIdlePerOrigin = 8

    public init(options: HTTPOptions = HTTPOptions()) {
        self.options = options
    }

    /// Sends a request; returns when the status and headers are in. The body must be read or
    /// closed (it closes itself when released).
    public func send(_ request: HTTPRequest) throws -> HTTPResponse {
        let origin = Self.origin(of: request.url)
        let connection = try checkout(origin)
        do {
            let (status, headers) = try connection.start(request, options: options)
            return HTTPResponse(status: status, headers: headers, url: request.url,
                                body: HTTPBody(connection: connection, client: self, origin: origin,
                                               url: request.url.absoluteString))
        } catch {
            checkin(connection, origin: origin)
            throw error
        }
    }

    /// `scheme://host:port`: connections and credentials never cross it.
    public static func origin(of url: URL) -> String {
        let scheme = (url.scheme ?? "https").lowercased()
        let host = (url.host ?? "").lowercased()
        let port = url.port ?? (scheme == "http" ? 80 : 443)
        return "\(scheme)://\(host):\(port)"
    }

    private func checkout(_ origin: String) throws -> CurlConnection {
        lock.lock()
        if let connection = idle[origin]?.popLast() {
            lock.unlock()
            return connection
        }
        lock.unlock()
        return try CurlConnection()
    }

    fileprivate func checkin(_ connection: CurlConnection, origin: String) {
        connection.finish()
        lock.lock()
        defer { lock.unlock() }
        if idle[origin, default: []].count < maxIdlePerOrigin {
            idle[origin, default: []].append(connection)
        }
    }
}

/// Status, headers and the streamed body of one response.
public struct HTTPResponse {
    public var status: Int
    public var headers: HTTPHeaders
    public var url: URL
    public var body: HTTPBody
}

/// A response body as a `ByteStream`. Reading to the end hands the connection back for reuse;
/// closing early aborts the transfer.
public final class HTTPBody: ByteStream {
    private var connection: CurlConnection?
    private let client: HTTPClient
    private let origin: String
    private let url: String
    /// Bytes delivered so far.
    public private(set) var bytesRead: Int64 = 0
    /// The most body bytes buffered at once while this body was read.
    public private(set) var peakBuffered = 0

    fileprivate init(connection: CurlConnection, client: HTTPClient, origin: String, url: String) {
        self.connection = connection
        self.client = client
        self.origin = origin
        self.url = url
    }

    deinit { close() }

    public func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        guard let connection else { return 0 }
        do {
            let n = try connection.read(into: buffer, options: client.options, url: url)
            peakBuffered = max(peakBuffered, connection.state.peakBuffered)
            if n == 0 { close() }
            bytesRead += Int64(n)
            return n
        } catch {
            close()
            throw error
        }
    }

    /// Reads the rest of the body, refusing more than `limit` bytes.
    public func readAll(limit: Int) throws -> Data {
        var data = Data()
        var chunk = [UInt8](repeating: 0, count: 64 * 1024)
        while true {
            let n = try chunk.withUnsafeMutableBytes { try read(into: $0) }
            if n == 0 { return data }
            data.append(contentsOf: chunk[0..<n])
            if data.count > limit {
                close()
                throw StrataError("response larger than \(limit) bytes", path: url)
            }
        }
    }

    /// Releases the connection: kept for reuse when the body was read to its end.
    public func close() {
        guard let connection else { return }
        self.connection = nil
        client.checkin(connection, origin: origin)
    }
}
