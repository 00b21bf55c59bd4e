import Foundation
import LayerIndex

/// Settings of a registry client.
public struct RegistryClientOptions: Sendable, Hashable {
    /// Allow plain HTTP to any host and skip TLS verification (`--insecure`).
    public var insecure: Bool
    public var retry: RetryPolicy
    public var http: HTTPOptions
    public var maxRedirects: Int
    /// `certs.d` directories searched for the registry's CA and client certificates.
    public var certificateRoots: [String]

    public init(insecure: Bool = false, retry: RetryPolicy = RetryPolicy(), http: HTTPOptions = HTTPOptions(),
                maxRedirects: Int = 10, certificateRoots: [String] = RegistryCertificates.defaultRoots()) {
        self.insecure = insecure
        self.retry = retry
        self.http = http
        self.maxRedirects = maxRedirects
        self.certificateRoots = certificateRoots
    }
}

/// An OCI distribution (v2) client for one registry: finds the scheme (HTTPS; plain HTTP only
/// for loopback hosts or with `insecure`), authorises each request for its scope, follows
/// redirects itself (the `Authorization` header never leaves the registry's origin), and
/// retries 429, 5xx and broken connections with back-off, honouring `Retry-After`.
public final class RegistryClient: @unchecked Sendable {
    /// The registry as the reference names it (`docker.io`, `127.0.0.1:5000`).
    public let registry: String
    /// Where the API answers (`registry-1.docker.io` for Docker Hub).
    public let endpoint: String
    public let options: RegistryClientOptions
    let http: HTTPClient
    let auth: Authenticator
    private let lock = NSLock()
    private var base: URL?
    private var log: [String] = []
    /// Requests sent (`METHOD path?query`, `@origin` when not the registry's), oldest first.
    public var requestLog: [String] {
        lock.lock()
        defer { lock.unlock() }
        return log
    }
    /// Configs already fetched (content-addressed, so always valid): several tags of one image
    /// fetch theirs once. Bounded in bytes.
    private var configs: [Digest: [UInt8]] = [:]
    private var configBytes = 0
    private static let configCacheLimit = 16 << 20

    public init(registry: String, credentials: (any CredentialProvider)? = nil,
                options: RegistryClientOptions = RegistryClientOptions()) {
        self.registry = registry
        self.endpoint = registry == ImageReference.dockerHub ? ImageReference.dockerHubEndpoint : registry
        self.options = options
        var httpOptions = options.http
        if options.insecure {
            httpOptions.verifyTLS = false
        } else if let found = RegistryCertificates.find(registry: registry, roots: options.certificateRoots) {
            httpOptions.extraAuthorities += found.authorities
            if let client = found.clientCertificate, let url = URL(string: "https://\(endpoint)/") {
                httpOptions.clientCertificate = client
                httpOptions.clientCertificateOrigin = HTTPClient.origin(of: url)
            }
        }
        let http = HTTPClient(options: httpOptions)
        self.http = http
        let insecure = options.insecure
        self.auth = Authenticator(registry: registry, credentials: credentials, http: http) { url in
            insecure || RegistryClient.isLoopback(url.host ?? "")
        }
    }

    /// `localhost`, `127.0.0.0/8`, `::1`.
    public static func isLoopback(_ host: String) -> Bool {
        var name = host.lowercased()
        if name.hasPrefix("[") && name.hasSuffix("]") { name = String(name.dropFirst().dropLast()) }
        if name == "localhost" || name.hasSuffix(".localhost") || name == "::1" { return true }
        let parts = name.split(separator: ".")
        return parts.count == 4 && parts[0] == "127" && parts.allSatisfy { UInt8($0) != nil }
    }

    var allowsPlainHTTP: Bool {
        options.insecure || Self.isLoopback(URL(string: "http://\(endpoint)")?.host ?? endpoint)
    }

    /// The API's base URL, found once: HTTPS, falling back to HTTP where that is allowed.
    public func baseURL() throws -> URL {
        lock.lock()
        if let base {
            lock.unlock()
            return base
        }
        lock.unlock()
        guard let https = URL(string: "https://\(endpoint)"), let plain = URL(string: "http://\(endpoint)") else {
            throw StrataError("bad registry address \(Sanitize.line(endpoint))")
        }
        var chosen = https
        do {
            _ = try ping(https)
        } catch let error as HTTPTransportError where allowsPlainHTTP {
            // Plain HTTP must answer like a registry (200 or 401), or the HTTPS error stands:
            // a TLS server answers a plain request with 400, which proves nothing.
            let status = try? ping(plain)
            guard let status, status == 200 || status == 401 else {
                throw StrataError("cannot reach registry \(registry): \(error)")
            }
            chosen = plain
        } catch let error as HTTPTransportError {
            throw StrataError("cannot reach registry \(registry): \(error)")
        }
        lock.lock()
        base = chosen
        lock.unlock()
        return chosen
    }

    /// `GET /v2/`: proves the API is there and learns its auth challenge. Returns the status.
    @discardableResult
    private func ping(_ base: URL) throws -> Int {
        let url = base.appendingPathComponent("v2/")
        var attempt = 0
        while true {
            attempt += 1
            do {
                let response = try http.send(HTTPRequest(url: url))
                record("GET /v2/")
                response.body.close()
                if response.status == 401 { auth.learn(response.headers) }
                if Self.isRetryable(status: response.status) && attempt < options.retry.maxAttempts {
                    Thread.sleep(forTimeInterval: retryDelay(attempt: attempt, headers: response.headers))
                    continue
                }
                return response.status
            } catch let error as HTTPTransportError {
                // A TLS handshake failure means "not HTTPS here": no point retrying it.
                if error.isTLS || attempt >= options.retry.maxAttempts { throw error }
                if (error.code == 6 || error.code == 7) && attempt >= 2 { throw error }  // unknown host or refused, twice
                Thread.sleep(forTimeInterval: options.retry.delay(afterAttempt: attempt))
            }
        }
    }

    private func record(_ line: String) {
        lock.lock()
        log.append(line)
        if log.count > 20_000 { log.removeFirst(10_000) }
        lock.unlock()
    }

    static func isRetryable(status: Int) -> Bool {
        status == 429 || status == 500 || status == 502 || status == 503 || status == 504
    }

    private func retryDelay(attempt: Int, headers: HTTPHeaders) -> Double {
        if let after = RetryPolicy.retryAfterSeconds(headers["Retry-After"]) {
            return min(after, options.retry.maxRetryAfter)
        }
        return options.retry.delay(afterAttempt: attempt)
    }

    /// Sends `GET` (or `HEAD`) for a path under the registry (`/v2/…`, query included), with
    /// auth for `scope`, redirects and retries. Returns the final response whatever its status.
    public func request(_ pathAndQuery: String, method: String = "GET", accept: [String] = [],
                        scope: String?, headers extra: HTTPHeaders = HTTPHeaders()) throws -> HTTPResponse {
        let base = try baseURL()
        guard let start = URL(string: base.absoluteString + pathAndQuery) else {
            throw StrataError("bad request path \(Sanitize.line(pathAndQuery))")
        }
        return try request(url: start, method: method, accept: accept, scope: scope, headers: extra)
    }

    /// As above, for an absolute URL (a `Link` to the next page).
    public func request(url start: URL, method: String = "GET", accept: [String] = [], scope: String?,
                        headers extra: HTTPHeaders = HTTPHeaders()) throws -> HTTPResponse {
        let registryOrigin = HTTPClient.origin(of: try baseURL())
        var attempt = 0
        var lastProblem = ""
        while true {
            attempt += 1
            var url = start
            var hops = 0
            var reauthorised = false
            do {
                while true {
                    var request = HTTPRequest(method: method, url: url, headers: extra)
                    if !accept.isEmpty { request.headers.set("Accept", accept.joined(separator: ", ")) }
                    let sameOrigin = HTTPClient.origin(of: url) == registryOrigin
                    if sameOrigin, let authorization = try auth.authorization(scope: scope) {
                        request.headers.set("Authorization", authorization)
                    }
                    let response = try http.send(request)
                    record("\(method) \(url.path)\(url.query.map { "?" + $0 } ?? "")\(sameOrigin ? "" : " @" + HTTPClient.origin(of: url))")
                    switch response.status {
                    case 401 where sameOrigin && !reauthorised:
                        response.body.close()
                        reauthorised = true
                        auth.forgetTokens()
                        auth.learn(response.headers)
                        if auth.hasChallenge { continue }
                        return response
                    case 301, 302, 303, 307, 308:
                        response.body.close()
                        guard let location = response.headers["Location"],
                              let next = URL(string: location, relativeTo: url)?.absoluteURL else {
                            throw StrataError("registry \(registry) redirected without a usable Location")
                        }
                        hops += 1
                        guard hops <= options.maxRedirects else {
                            throw StrataError("registry \(registry): more than \(options.maxRedirects) redirects for \(Sanitize.line(start.path))")
                        }
                        let scheme = next.scheme?.lowercased()
                        guard scheme == "https" || (scheme == "http" && (options.insecure || url.scheme == "http" || Self.isLoopback(next.host ?? ""))) else {
                            throw StrataError("registry \(registry) redirected to \(Sanitize.line(next.scheme ?? "?")):// \(Sanitize.line(next.host ?? "")); refusing")
                        }
                        url = next
                        continue
                    default:
                        if Self.isRetryable(status: response.status) && attempt < options.retry.maxAttempts {
                            let after = RetryPolicy.retryAfterSeconds(response.headers["Retry-After"])
                            if let after, after > options.retry.maxRetryAfter {
                                return response
                            }
                            response.body.close()
                            lastProblem = "HTTP \(response.status)"
                            Thread.sleep(forTimeInterval: retryDelay(attempt: attempt, headers: response.headers))
                            break
                        }
                        return response
                    }
                    break
                }
            } catch let error as HTTPTransportError {
                lastProblem = error.description
                if error.code == 60 || attempt >= options.retry.maxAttempts {
                    throw StrataError("registry \(registry): \(lastProblem) (after \(attempt) attempt\(attempt == 1 ? "" : "s"))")
                }
                Thread.sleep(forTimeInterval: options.retry.delay(afterAttempt: attempt))
            }
            _ = lastProblem
        }
    }

    /// Turns a non-2xx response into one clear error line (with the registry's own error code).
    func failure(_ response: HTTPResponse, what: String) -> StrataError {
        let body = (try? response.body.readAll(limit: 64 * 1024)) ?? Data()
        struct Errors: Decodable {
            struct Item: Decodable {
                var code: String?
                var message: String?
            }
            var errors: [Item]?
        }
        var detail = ""
        if let parsed = try? JSONDecoder().decode(Errors.self, from: body), let first = parsed.errors?.first {
            detail = [first.code, first.message].compactMap { $0 }.joined(separator: ": ")
        }
        let reason: String
        switch response.status {
        case 401:
            reason = auth.hasCredential ? "the registry refused the credentials"
                : "authentication required (docker login, or --username with --password-stdin)"
        case 403: reason = "access denied"
        case 404: reason = "not found"
        case 429: reason = "too many requests"
        default: reason = "HTTP \(response.status)"
        }
        let text = detail.isEmpty ? reason : "\(reason) (\(detail))"
        return StrataError("\(what): \(text)")
    }

    /// A small response (manifest, config, tag list) read whole, at most `limit` bytes.
    func fetchSmall(_ pathAndQuery: String, accept: [String] = [], scope: String?, limit: Int,
                    what: String) throws -> (data: Data, headers: HTTPHeaders) {
        let response = try request(pathAndQuery, accept: accept, scope: scope)
        guard (200..<300).contains(response.status) else { throw failure(response, what: what) }
        do {
            return (try response.body.readAll(limit: limit), response.headers)
        } catch let error as HTTPTransportError {
            throw StrataError("\(what): \(error)")
        }
    }

    func cachedConfig(_ digest: Digest) -> [UInt8]? {
        lock.lock()
        defer { lock.unlock() }
        return configs[digest]
    }

    func cacheConfig(_ digest: Digest, _ bytes: [UInt8]) {
        lock.lock()
        defer { lock.unlock() }
        guard bytes.count <= Self.configCacheLimit / 4 else { return }
        if configBytes + bytes.count > Self.configCacheLimit {
            configs.removeAll()
            configBytes = 0
        }
        configs[digest] = bytes
        configBytes += bytes.count
    }

    /// `repository:NAME:pull`.
    public static func pullScope(_ repository: String) -> String { "repository:\(repository):pull" }
}
