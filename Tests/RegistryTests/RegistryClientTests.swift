import Foundation
import ImageSource
import LayerIndex
import Testing
import TestSupport
@testable import Registry

/// The distribution client against a real `docker-registry` on 127.0.0.1.
@Suite(.serialized, .enabled(if: LocalRegistry.available, "docker-registry and skopeo are installed by make test"))
struct RegistryClientTests {
    @Test func anonymousPullOfManifestConfigAndBlobs() throws {
        let registry = try LocalRegistry()
        try registry.push(fixture: "a-deleted-later-layer", to: "team/a:dev")
        let client = RegistryClient(registry: registry.host, options: testClientOptions)
        #expect(try client.baseURL().scheme == "http")
        let reference = try ImageReference.parse("\(registry.host)/team/a:dev")
        let resolved = try client.resolve(reference, platform: nil, image: reference.description)
        #expect(MediaType.isImageManifest(resolved.mediaType))
        #expect(resolved.layers.count == 8)
        let config = try JSONSerialization.jsonObject(with: Data(resolved.configBytes)) as! [String: Any]
        let diffIDs = (config["rootfs"] as! [String: Any])["diff_ids"] as! [String]
        #expect(diffIDs == (try truthDiffIDs("a-deleted-later-layer")))
        // A blob streams through with its digest checked.
        let layer = resolved.layers[1]
        let blob = BlobStream(client: client, repository: reference.repository, digest: layer.digest,
                              expectedSize: layer.size, image: reference.description)
        let (count, digest) = try drain(blob)
        #expect(Int64(count) == layer.size && digest == layer.digest)
        // The manifest by digest is verified too.
        let byDigest = try client.fetchManifest(repository: "team/a", reference: resolved.manifestDigest.description, image: "x")
        #expect(byDigest.digest == resolved.manifestDigest)
        // Unknown tags are one clear line.
        do {
            _ = try client.resolve(try ImageReference.parse("\(registry.host)/team/a:nope"), platform: nil, image: "img")
            Issue.record("expected an error")
        } catch let error as StrataError {
            #expect(error.description.contains("not found") && error.description.contains("MANIFEST_UNKNOWN"))
        }
    }

    @Test func htpasswdBasicAuth() throws {
        let registry = try LocalRegistry(auth: .htpasswd(user: "alice", password: "s3cret-test"))
        try registry.push(fixture: "b-same-layer-delete", to: "b:1", credentials: "alice:s3cret-test")
        let reference = try ImageReference.parse("\(registry.host)/b:1")
        let anonymous = RegistryClient(registry: registry.host, options: testClientOptions)
        do {
            _ = try anonymous.resolve(reference, platform: nil, image: "img")
            Issue.record("expected an authentication error")
        } catch let error as StrataError {
            #expect(error.description.contains("authentication required"))
        }
        let wrong = RegistryClient(registry: registry.host, credentials: StaticCredentials(.basic(username: "alice", password: "nope")),
                                   options: testClientOptions)
        do {
            _ = try wrong.resolve(reference, platform: nil, image: "img")
            Issue.record("wrong credentials were accepted")
        } catch let error as StrataError {
            #expect(error.description.contains("refused the credentials"))
        }
        let client = RegistryClient(registry: registry.host, credentials: StaticCredentials(.basic(username: "alice", password: "s3cret-test")),
                                    options: testClientOptions)
        let resolved = try client.resolve(reference, platform: nil, image: "img")
        #expect(resolved.layers.count == 4)
        let blob = BlobStream(client: client, repository: "b", digest: resolved.layers[0].digest, expectedSize: resolved.layers[0].size, image: "img")
        #expect(try drain(blob).digest == resolved.layers[0].digest)
    }

    @Test func bearerTokenAuth() throws {
        let issuer = try TokenIssuer(user: "bob", password: "t0ken-pass")
        defer { issuer.stop() }
        let registry = try LocalRegistry(auth: .token(realm: issuer.realm, service: issuer.service, issuer: issuer.issuer,
                                                      rootCert: issuer.certificatePath))
        try registry.push(fixture: "d-build-args-env", to: "secure/d:v1", credentials: "bob:t0ken-pass")
        let pushTokens = issuer.requests.count
        let client = RegistryClient(registry: registry.host, credentials: StaticCredentials(.basic(username: "bob", password: "t0ken-pass")),
                                    options: testClientOptions)
        let reference = try ImageReference.parse("docker://\(registry.host)/secure/d:v1")
        let resolved = try client.resolve(reference, platform: nil, image: "img")
        for layer in resolved.layers {
            let blob = BlobStream(client: client, repository: "secure/d", digest: layer.digest, expectedSize: layer.size, image: "img")
            #expect(try drain(blob).digest == layer.digest)
        }
        // One token for the pull scope, reused for the manifest, config and every blob.
        let ours = issuer.requests.dropFirst(pushTokens)
        #expect(ours.count == 1)
        #expect(ours.first?.query.removingPercentEncoding?.contains("scope=repository:secure/d:pull") == true)
        #expect(ours.first?.query.contains("service=strata-test-registry") == true, "\(ours.first?.query ?? "")")
        // An identity token (from `docker login` with an OAuth registry) goes through the
        // refresh-token grant instead.
        let viaIdentity = RegistryClient(registry: registry.host, credentials: StaticCredentials(.identityToken(issuer.identityToken)),
                                         options: testClientOptions)
        #expect(try viaIdentity.resolve(reference, platform: nil, image: "img").manifestDigest == resolved.manifestDigest)
        #expect(issuer.requests.last?.method == "POST")
        // Without credentials the token server refuses, and the error says so.
        let anonymous = RegistryClient(registry: registry.host, options: testClientOptions)
        do {
            _ = try anonymous.resolve(reference, platform: nil, image: "img")
            Issue.record("expected an error")
        } catch let error as StrataError {
            #expect(error.description.contains("token server") && error.description.contains("refused"))
        }
    }

    @Test func aRefusedTokenIsReplacedOnce() throws {
        let issuer = try TokenIssuer(user: "erin", password: "pw-expiring")
        defer { issuer.stop() }
        let registry = try LocalRegistry(auth: .token(realm: issuer.realm, service: issuer.service, issuer: issuer.issuer,
                                                      rootCert: issuer.certificatePath))
        try registry.push(fixture: "b-same-layer-delete", to: "exp:1", credentials: "erin:pw-expiring")
        let upstream = registry.port
        let refused = Counter()
        let challenge = "Bearer realm=\"\(issuer.realm)\",service=\"\(issuer.service)\",scope=\"repository:exp:pull\""
        // The first blob request with a token is refused, as if the token had expired early.
        let front = try TestHTTPServer { request in
            if request.path.contains("/blobs/"), request.headers["authorization"]?.hasPrefix("Bearer ") == true, refused.next() == 0 {
                return .respond(status: 401, headers: [("WWW-Authenticate", challenge)], body: Data())
            }
            return .forward(port: upstream, cutAfter: nil)
        }
        defer { front.stop() }
        let before = issuer.requests.count
        let client = RegistryClient(registry: front.url, credentials: StaticCredentials(.basic(username: "erin", password: "pw-expiring")),
                                    options: testClientOptions)
        let resolved = try client.resolve(try ImageReference.parse("\(front.url)/exp:1"), platform: nil, image: "img")
        #expect(!resolved.layers.isEmpty)
        #expect(issuer.requests.count - before == 2)
    }

    @Test func tagsAndCatalogFollowLinkPagination() throws {
        let registry = try LocalRegistry()
        try registry.push(fixture: "a-deleted-later-layer", to: "paged:t0")
        try registry.push(source: "docker://\(registry.host)/paged:t0", to: "other/one:x")
        try registry.push(source: "docker://\(registry.host)/paged:t0", to: "third:x")
        let client = RegistryClient(registry: registry.host, options: testClientOptions)
        // docker-registry 2.8 pages the catalog itself.
        let repositories = try client.catalog(pageSize: 1)
        #expect(repositories.sorted() == ["other/one", "paged", "third"])
        #expect(client.requestLog.filter { $0.contains("/_catalog") }.count >= 3)

        // It does not page tag lists (newer registries and Docker Hub do): a front serves five
        // tags two at a time, with `Link` headers, and relays everything else.
        let allTags = ["t0", "t1", "t2", "t3", "t4"]
        let upstream = registry.port
        let front = try TestHTTPServer { request in
            guard request.path == "/v2/paged/tags/list" else { return .forward(port: upstream, cutAfter: nil) }
            let params = Dictionary(uniqueKeysWithValues: request.query.split(separator: "&").map {
                let pair = $0.split(separator: "=", maxSplits: 1)
                return (String(pair[0]), pair.count > 1 ? String(pair[1]) : "")
            })
            let n = Int(params["n"] ?? "") ?? 100
            let start = params["last"].flatMap { allTags.firstIndex(of: $0) }.map { $0 + 1 } ?? 0
            let page = Array(allTags[start..<min(allTags.count, start + n)])
            var headers = [("Content-Type", "application/json")]
            if start + n < allTags.count {
                headers.append(("Link", "</v2/paged/tags/list?last=\(page.last!)&n=\(n)>; rel=\"next\""))
            }
            let body = try! JSONSerialization.data(withJSONObject: ["name": "paged", "tags": page])
            return .respond(status: 200, headers: headers, body: body)
        }
        defer { front.stop() }
        let paged = RegistryClient(registry: front.url, options: testClientOptions)
        #expect(try paged.tags(repository: "paged", pageSize: 2) == allTags)
        #expect(paged.requestLog.filter { $0.contains("/tags/list") }.count == 3)
        // And the real registry's own answer agrees.
        #expect(try client.tags(repository: "paged") == ["t0"])
        // Patterns select images over the catalog; a literal repository skips the catalog.
        let listed = try client.listImages(repoPattern: "*o*", tagPattern: "x", pageSize: 1)
        #expect(listed.map(\.description).sorted() == ["\(registry.host)/other/one:x"])
        let literal = RegistryClient(registry: registry.host, options: testClientOptions)
        #expect(try literal.listImages(repoPattern: "third", tagPattern: nil).map(\.description) == ["\(registry.host)/third:x"])
        #expect(!literal.requestLog.contains { $0.contains("_catalog") })
    }
}

/// HTTPS registries: certificates are verified unless `--insecure`.
@Suite(.serialized, .enabled(if: LocalRegistry.available, "docker-registry and skopeo are installed by make test"))
struct RegistryTLSTests {
    @Test func tlsIsVerifiedByDefault() throws {
        let registry = try LocalRegistry(tls: true)
        try registry.push(fixture: "g-secret-mount-clean", to: "g:1")
        let reference = try ImageReference.parse("\(registry.host)/g:1")
        // Self-signed: refused, with the certificate problem named, and no fallback to HTTP.
        var options = testClientOptions
        options.http.caBundle = nil
        let strict = RegistryClient(registry: registry.host, options: options)
        do {
            _ = try strict.resolve(reference, platform: nil, image: "g:1")
            Issue.record("an unverifiable certificate was accepted")
        } catch let error as StrataError {
            #expect(error.description.lowercased().contains("certificate"))
        }
        // Trusting its certificate: verified HTTPS.
        options.http.caBundle = registry.certificatePath
        let trusting = RegistryClient(registry: registry.host, options: options)
        #expect(try trusting.baseURL().scheme == "https")
        #expect(try !trusting.resolve(reference, platform: nil, image: "g:1").layers.isEmpty)
        // --insecure: HTTPS without verification.
        options.http.caBundle = nil
        options.insecure = true
        let insecure = RegistryClient(registry: registry.host, options: options)
        #expect(try insecure.baseURL().scheme == "https")
        #expect(try !insecure.resolve(reference, platform: nil, image: "g:1").layers.isEmpty)
    }
}
