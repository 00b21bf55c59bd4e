import Foundation
import LayerIndex
import Testing
@testable import Registry

/// The libcurl layer on its own, against a local test server.
@Suite struct HTTPClientTests {
    /// libcurl is loaded on first use, not linked: a machine without it gets one clear error on
    /// the registry request, and every other command still starts.
    @Test func missingLibcurlIsOneClearError() {
        switch CurlLibrary.load(names: ["libcurl-strata-test-missing.so.4"]) {
        case .success: Issue.record("a library that does not exist was loaded")
        case .failure(let error):
            #expect(error.message.contains("registry access needs libcurl (apt-get install libcurl4)"))
            #expect(error.message.contains("libcurl-strata-test-missing.so.4"))
        }
        #expect((try? CurlLibrary.shared.get()) != nil)
    }

    @Test func bodiesStreamWithBoundedMemory() throws {
        let size = 24 << 20
        var bytes = [UInt8](repeating: 0, count: size)
        for i in stride(from: 0, to: size, by: 4096) { bytes[i] = UInt8(truncatingIfNeeded: i >> 12) }
        let payload = Data(bytes)
        let expected = SHA256Hasher.hex(of: payload)
        let body = payload
        let server = try TestHTTPServer { _ in .respond(status: 200, headers: [], body: body) }
        defer { server.stop() }
        let limit = 256 * 1024
        let client = HTTPClient(options: HTTPOptions(connectTimeout: 5, stallTimeout: 10, bufferLimit: limit))
        let response = try client.send(HTTPRequest(url: URL(string: "http://\(server.url)/big")!))
        #expect(response.status == 200 && response.headers["Content-Length"] == String(size))
        // A slow reader: small reads; the socket is paused while the buffer is full.
        var hasher = SHA256Hasher()
        var total = 0
        var chunk = [UInt8](repeating: 0, count: 8 * 1024)
        while true {
            let n = try chunk.withUnsafeMutableBytes { try response.body.read(into: $0) }
            if n == 0 { break }
            chunk.withUnsafeBytes { hasher.update(UnsafeRawBufferPointer(rebasing: $0[0..<n])) }
            total += n
        }
        let got = hasher.finalizeHex()
        #expect(total == size && got == expected)
        // Never more than the limit plus one libcurl chunk (256 KiB) in memory.
        #expect(response.body.peakBuffered <= limit + 256 * 1024)
        #expect(response.body.peakBuffered > 0)
    }

    @Test func connectionsAreReusedPerOrigin() throws {
        let server = try TestHTTPServer { request in
            .respond(status: 200, headers: [], body: Data(request.path.utf8))
        }
        defer { server.stop() }
        let client = HTTPClient(options: HTTPOptions(connectTimeout: 5, stallTimeout: 10))
        for i in 0..<6 {
            let response = try client.send(HTTPRequest(url: URL(string: "http://\(server.url)/r\(i)")!))
            #expect(String(decoding: try response.body.readAll(limit: 100), as: UTF8.self) == "/r\(i)")
        }
        #expect(server.connectionCount == 1)
        // A body closed half-read aborts its transfer; the next request still works.
        let big = try TestHTTPServer { _ in .respond(status: 200, headers: [], body: Data(count: 8 << 20)) }
        defer { big.stop() }
        let response = try client.send(HTTPRequest(url: URL(string: "http://\(big.url)/x")!))
        var chunk = [UInt8](repeating: 0, count: 1024)
        _ = try chunk.withUnsafeMutableBytes { try response.body.read(into: $0) }
        response.body.close()
        let again = try client.send(HTTPRequest(url: URL(string: "http://\(server.url)/after")!))
        #expect(String(decoding: try again.body.readAll(limit: 100), as: UTF8.self) == "/after")
    }

    @Test func aStalledServerIsAbandonedInBoundedTime() throws {
        // Promises 1000 bytes, sends 10, then says nothing.
        let server = try TestHTTPServer { _ in
            .respond(status: 200, headers: [("Content-Length", "1000")], body: Data(count: 10))
        }
        defer { server.stop() }
        let client = HTTPClient(options: HTTPOptions(connectTimeout: 5, stallTimeout: 1))
        let response = try client.send(HTTPRequest(url: URL(string: "http://\(server.url)/slow")!))
        let started = Date()
        #expect(throws: HTTPTransportError.self) { _ = try response.body.readAll(limit: 10_000) }
        #expect(Date().timeIntervalSince(started) < 5)
    }

    @Test func refusedConnectionsAreTransportErrors() throws {
        let port = try LocalRegistry.freePort()
        let client = HTTPClient(options: HTTPOptions(connectTimeout: 2, stallTimeout: 2))
        do {
            _ = try client.send(HTTPRequest(url: URL(string: "http://127.0.0.1:\(port)/")!))
            Issue.record("expected a transport error")
        } catch let error as HTTPTransportError {
            #expect(error.code == 7)
        }
    }

    @Test func plainHTTPOnlyForLoopbackOrInsecure() {
        #expect(RegistryClient.isLoopback("localhost") && RegistryClient.isLoopback("127.0.0.1") && RegistryClient.isLoopback("[::1]"))
        #expect(!RegistryClient.isLoopback("registry.example.com") && !RegistryClient.isLoopback("10.0.0.1"))
        #expect(!RegistryClient(registry: "registry.example.com:5000").allowsPlainHTTP)
        #expect(RegistryClient(registry: "registry.example.com:5000", options: RegistryClientOptions(insecure: true)).allowsPlainHTTP)
        #expect(RegistryClient(registry: "localhost:5000").allowsPlainHTTP)
        #expect(RegistryClient(registry: "docker.io").endpoint == "registry-1.docker.io")
    }

    @Test func retryDelaysGrowAndAreCapped() {
        let policy = RetryPolicy(maxAttempts: 6, baseDelay: 0.5, maxDelay: 4)
        #expect(policy.delay(afterAttempt: 1) <= 0.6)
        #expect(policy.delay(afterAttempt: 3) >= 1.6)
        #expect(policy.delay(afterAttempt: 10) <= 4.8)
    }
}
