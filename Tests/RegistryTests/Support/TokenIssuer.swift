import Foundation
import TestSupport

/// A Bearer token server for tests: checks HTTP Basic credentials and answers with a JWT
/// (RS256, signed with `openssl`) whose `x5c` header carries a self-signed certificate the
/// registry trusts through `auth.token.rootcertbundle`.
final class TokenIssuer: @unchecked Sendable {
    let directory = TemporaryDirectory("strata-issuer")
    let service = "strata-test-registry"
    let issuer = "strata-test-issuer"
    let user: String
    let password: String
    /// The refresh token the issuer accepts in place of the password.
    let identityToken = "strata-refresh-" + UUID().uuidString
    private(set) var server: TestHTTPServer!
    private let certificateDER: String

    var certificatePath: String { directory.file("cert.pem").path }
    var keyPath: String { directory.file("key.pem").path }
    var realm: String { "http://127.0.0.1:\(server.port)/token" }
    var requests: [TestHTTPServer.Request] { server.requests }

    init(user: String, password: String) throws {
        self.user = user
        self.password = password
        try Shell.run("/usr/bin/openssl", ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", directory.file("key.pem").path,
                                           "-out", directory.file("cert.pem").path, "-days", "2", "-subj", "/CN=strata-test-issuer"])
        let der = try Shell.runData("/usr/bin/openssl", ["x509", "-in", directory.file("cert.pem").path, "-outform", "DER"])
        certificateDER = der.base64EncodedString()
        let expected = "Basic " + Data("\(user):\(password)".utf8).base64EncodedString()
        server = try TestHTTPServer { [unowned self] request in
            guard request.path == "/token" else { return .respond(status: 404, headers: [], body: Data()) }
            if request.method == "POST" {
                // OAuth2 refresh-token grant: the identity token stands for the user.
                let form = Dictionary(String(decoding: request.body, as: UTF8.self).split(separator: "&").map {
                    let pair = $0.split(separator: "=", maxSplits: 1)
                    return (String(pair[0]), String(pair.count > 1 ? pair[1] : "").removingPercentEncoding ?? "")
                }, uniquingKeysWith: { a, _ in a })
                guard form["grant_type"] == "refresh_token", form["refresh_token"] == self.identityToken else {
                    return .respond(status: 401, headers: [], body: Data())
                }
                let scopes = (form["scope"] ?? "").split(separator: " ").map(String.init)
                guard let token = try? self.sign(scopes: scopes) else { return .respond(status: 500, headers: [], body: Data()) }
                let body = try! JSONSerialization.data(withJSONObject: ["access_token": token, "expires_in": 300])
                return .respond(status: 200, headers: [("Content-Type", "application/json")], body: body)
            }
            guard request.headers["authorization"] == expected else {
                return .respond(status: 401, headers: [], body: Data("{\"details\":\"bad credentials\"}".utf8))
            }
            let scopes = request.query.split(separator: "&").compactMap { item -> String? in
                let pair = item.split(separator: "=", maxSplits: 1)
                guard pair.count == 2, pair[0] == "scope" else { return nil }
                return String(pair[1]).removingPercentEncoding
            }
            guard let token = try? self.sign(scopes: scopes) else {
                return .respond(status: 500, headers: [], body: Data())
            }
            let body = try! JSONSerialization.data(withJSONObject: ["token": token, "expires_in": 300])
            return .respond(status: 200, headers: [("Content-Type", "application/json")], body: body)
        }
    }

    func stop() { server.stop() }

    private static func base64URL(_ data: Data) -> String {
        data.base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    func sign(scopes: [String]) throws -> String {
        var access: [[String: Any]] = []
        for scope in scopes {
            // repository:NAME:ACTIONS (NAME may hold no colon; actions comma-separated).
            let parts = scope.split(separator: ":")
            guard parts.count >= 3 else { continue }
            access.append(["type": String(parts[0]), "name": parts[1..<parts.count - 1].joined(separator: ":"),
                           "actions": parts.last!.split(separator: ",").map(String.init)])
        }
        let now = Int(Date().timeIntervalSince1970)
        let header: [String: Any] = ["typ": "JWT", "alg": "RS256", "x5c": [certificateDER]]
        let claims: [String: Any] = ["iss": issuer, "sub": user, "aud": service, "exp": now + 300, "nbf": now - 10,
                                     "iat": now, "jti": UUID().uuidString, "access": access]
        let signingInput = Self.base64URL(try JSONSerialization.data(withJSONObject: header)) + "."
            + Self.base64URL(try JSONSerialization.data(withJSONObject: claims))
        let signature = try Shell.runData("/usr/bin/openssl", ["dgst", "-sha256", "-sign", keyPath],
                                          stdin: Data(signingInput.utf8))
        return signingInput + "." + Self.base64URL(signature)
    }
}
