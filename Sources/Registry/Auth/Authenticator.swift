import Foundation
import LayerIndex

/// Authorises requests to one registry: anonymous, HTTP Basic, or Bearer tokens fetched from
/// the realm a `WWW-Authenticate` challenge names (with service and scope), cached per scope
/// until they expire.
final class Authenticator: @unchecked Sendable {
    let registry: String
    private let credentials: (any CredentialProvider)?
    private let http: HTTPClient
    private let allowPlainHTTP: (URL) -> Bool
    private let lock = NSLock()
    private var challenge: AuthChallenge?
    private var tokens: [String: (token: String, expires: Date)] = [:]
    private var loadedCredential: RegistryCredential??

    init(registry: String, credentials: (any CredentialProvider)?, http: HTTPClient,
         allowPlainHTTP: @escaping (URL) -> Bool) {
        self.registry = registry
        self.credentials = credentials
        self.http = http
        self.allowPlainHTTP = allowPlainHTTP
    }

    /// The credential for this registry, looked up once.
    func credential() throws -> RegistryCredential? {
        lock.lock()
        if let loaded = loadedCredential {
            lock.unlock()
            return loaded
        }
        lock.unlock()
        let found = try credentials?.credential(for: registry)
        lock.lock()
        loadedCredential = .some(found)
        lock.unlock()
        return found
    }

    /// Remembers the challenge the registry answers with (from `/v2/` or a 401).
    func learn(_ headers: HTTPHeaders) {
        let challenges = AuthChallenge.parse(headers.values("WWW-Authenticate"))
        let preferred = challenges.first { $0.scheme == "bearer" } ?? challenges.first { $0.scheme == "basic" }
        guard let preferred else { return }
        lock.lock()
        challenge = preferred
        lock.unlock()
    }

    var hasChallenge: Bool {
        lock.lock()
        defer { lock.unlock() }
        return challenge != nil
    }

    /// The `Authorization` value for a request needing `scope`, fetching a token when the
    /// registry uses Bearer auth and none is cached. Nil means anonymous.
    func authorization(scope: String?) throws -> String? {
        lock.lock()
        let current = challenge
        lock.unlock()
        guard let current else { return nil }
        switch current.scheme {
        case "basic":
            guard case .basic(let user, let password)? = try credential() else { return nil }
            return "Basic " + Data("\(user):\(password)".utf8).base64EncodedString()
        case "bearer":
            return "Bearer " + (try token(challenge: current, scope: scope))
        default:
            return nil
        }
    }

    /// Drops every cached token: the registry refused one (expired or revoked early).
    func forgetTokens() {
        lock.lock()
        tokens.removeAll()
        lock.unlock()
    }

    /// True when a credential is known for this registry (so a 401 means it was refused).
    var hasCredential: Bool { ((try? credential()) ?? nil) != nil }

    private func cacheKey(realm: String, service: String?, scope: String?) -> String {
        "\(realm)|\(service ?? "")|\(scope ?? "")"
    }

    private func token(challenge: AuthChallenge, scope: String?) throws -> String {
        guard let realm = challenge.realm, let realmURL = URL(string: realm),
              let scheme = realmURL.scheme?.lowercased(), scheme == "https" || scheme == "http" else {
            throw StrataError("registry \(registry) asks for a bearer token but names no usable realm")
        }
        if scheme == "http" && !allowPlainHTTP(realmURL) {
            throw StrataError("registry \(registry) sends credentials to a plain-HTTP token server \(Sanitize.line(realm)); refusing (use --insecure to allow)")
        }
        let scopes = [scope, challenge.scope].compactMap { $0 }.reduce(into: [String]()) { if !$0.contains($1) { $0.append($1) } }
        let key = cacheKey(realm: realm, service: challenge.service, scope: scopes.joined(separator: " "))
        lock.lock()
        if let cached = tokens[key], cached.expires > Date() {
            lock.unlock()
            return cached.token
        }
        lock.unlock()

        let credential = try self.credential()
        var request: HTTPRequest
        if case .identityToken(let refresh)? = credential {
            // OAuth2: POST grant_type=refresh_token.
            var form = ["grant_type=refresh_token", "client_id=strata", "refresh_token=" + Self.formEncode(refresh)]
            if let service = challenge.service { form.append("service=" + Self.formEncode(service)) }
            if !scopes.isEmpty { form.append("scope=" + Self.formEncode(scopes.joined(separator: " "))) }
            request = HTTPRequest(method: "POST", url: realmURL, body: Data(form.joined(separator: "&").utf8))
            request.headers.add("Content-Type", "application/x-www-form-urlencoded")
        } else {
            guard var components = URLComponents(url: realmURL, resolvingAgainstBaseURL: false) else {
                throw StrataError("bad token realm \(Sanitize.line(realm))")
            }
            var items = components.queryItems ?? []
            if let service = challenge.service { items.append(URLQueryItem(name: "service", value: service)) }
            for s in scopes { items.append(URLQueryItem(name: "scope", value: s)) }
            if case .basic(let user, _)? = credential { items.append(URLQueryItem(name: "account", value: user)) }
            components.percentEncodedQueryItems = items.map {
                URLQueryItem(name: Self.formEncode($0.name), value: $0.value.map(Self.formEncode))
            }
            guard let url = components.url else { throw StrataError("bad token realm \(Sanitize.line(realm))") }
            request = HTTPRequest(url: url)
            if case .basic(let user, let password)? = credential {
                request.headers.add("Authorization", "Basic " + Data("\(user):\(password)".utf8).base64EncodedString())
            }
        }
        let response = try http.send(request)
        let body = try response.body.readAll(limit: 1 << 20)
        guard response.status == 200 else {
            let what = response.status == 401 || response.status == 403 ? "refused the credentials" : "answered \(response.status)"
            throw StrataError("token server for \(registry) \(what)")
        }
        struct TokenReply: Decodable {
            var token: String?
            var access_token: String?
            var expires_in: Int?
        }
        guard let reply = try? JSONDecoder().decode(TokenReply.self, from: body),
              let token = reply.token ?? reply.access_token, !token.isEmpty else {
            throw StrataError("token server for \(registry) sent no token")
        }
        let lifetime = Double(max(60, reply.expires_in ?? 60))
        lock.lock()
        tokens[key] = (token, Date().addingTimeInterval(lifetime - 10))
        lock.unlock()
        return token
    }

    static func formEncode(_ text: String) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~:")
        return text.addingPercentEncoding(withAllowedCharacters: allowed) ?? text
    }
}
