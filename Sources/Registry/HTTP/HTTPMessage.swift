import Foundation

/// Header fields in arrival order; names compare case-insensitively.
public struct HTTPHeaders: Sendable, Hashable {
    public var fields: [Field]

    public struct Field: Sendable, Hashable {
        public var name: String
        public var value: String
        public init(_ name: String, _ value: String) {
            self.name = name
            self.value = value
        }
    }

    public init(_ fields: [Field] = []) { self.fields = fields }

    /// The first value of a header, or nil.
    public subscript(name: String) -> String? {
        fields.first { $0.name.caseInsensitiveCompare(name) == .orderedSame }?.value
    }

    /// Every value of a header (`WWW-Authenticate`, `Link` may repeat).
    public func values(_ name: String) -> [String] {
        fields.filter { $0.name.caseInsensitiveCompare(name) == .orderedSame }.map(\.value)
    }

    public mutating func add(_ name: String, _ value: String) { fields.append(Field(name, value)) }

    /// Replaces every value of `name` with one (or none, for nil).
    public mutating func set(_ name: String, _ value: String?) {
        fields.removeAll { $0.name.caseInsensitiveCompare(name) == .orderedSame }
        if let value { fields.append(Field(name, value)) }
    }
}

/// One HTTP request: small bodies only (token requests), responses are streamed.
public struct HTTPRequest: Sendable {
    public var method: String
    public var url: URL
    public var headers: HTTPHeaders
    public var body: Data?

    public init(method: String = "GET", url: URL, headers: HTTPHeaders = HTTPHeaders(), body: Data? = nil) {
        self.method = method
        self.url = url
        self.headers = headers
        self.body = body
    }
}

/// A failure below HTTP: DNS, connect, TLS, a connection cut mid-body, a stall.
public struct HTTPTransportError: Error, CustomStringConvertible, Sendable {
    /// The libcurl error code (`CURLcode`), or -1 for strata's own stall timeout.
    public var code: Int
    public var message: String
    public var url: String

    public var description: String { url.isEmpty ? message : "\(message) (\(url))" }

    /// TLS failures: worth falling back to plain HTTP only where that is allowed.
    public var isTLS: Bool { [35, 51, 53, 54, 58, 59, 60, 64, 66, 77, 80, 82, 83, 90, 91].contains(code) }
}

/// Settings of the HTTP layer.
public struct HTTPOptions: Sendable, Hashable {
    /// Verify TLS certificates and host names (off only with `--insecure`).
    public var verifyTLS: Bool
    /// Seconds allowed to establish a connection.
    public var connectTimeout: Double
    /// Seconds without a single byte before a transfer is abandoned.
    public var stallTimeout: Double
    /// Most body bytes held in memory per transfer before the socket is paused.
    public var bufferLimit: Int
    public var userAgent: String
    /// A PEM bundle of CAs to trust instead of the system's (default: `$SSL_CERT_FILE`).
    public var caBundle: String?
    /// More CA certificates (PEM files) to trust besides the bundle: a registry's `certs.d`.
    public var extraAuthorities: [String] = []
    /// A client certificate, presented only to `clientCertificateOrigin` (`https://host:port`).
    public var clientCertificate: ClientCertificate?
    public var clientCertificateOrigin: String?

    public init(verifyTLS: Bool = true, connectTimeout: Double = 30, stallTimeout: Double = 60,
                bufferLimit: Int = 1 << 20, userAgent: String = "strata/0.1",
                caBundle: String? = ProcessInfo.processInfo.environment["SSL_CERT_FILE"]) {
        self.caBundle = caBundle?.isEmpty == true ? nil : caBundle
        self.verifyTLS = verifyTLS
        self.connectTimeout = connectTimeout
        self.stallTimeout = stallTimeout
        self.bufferLimit = bufferLimit
        self.userAgent = userAgent
    }
}
