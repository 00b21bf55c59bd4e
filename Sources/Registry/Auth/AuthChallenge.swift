/// One `WWW-Authenticate` challenge: `Bearer realm="…",service="…",scope="…"` or `Basic realm="…"`.
public struct AuthChallenge: Sendable, Hashable {
    /// Lowercased scheme: `bearer`, `basic`, …
    public var scheme: String
    /// Parameters with lowercased names.
    public var parameters: [String: String]

    public init(scheme: String, parameters: [String: String] = [:]) {
        self.scheme = scheme.lowercased()
        self.parameters = parameters
    }

    public var realm: String? { parameters["realm"] }
    public var service: String? { parameters["service"] }
    public var scope: String? { parameters["scope"] }

    /// Parses every challenge in the header values. A value may hold several challenges
    /// (`Basic realm="x", Bearer realm="y"`): a new one starts at a token not followed by `=`.
    public static func parse(_ values: [String]) -> [AuthChallenge] {
        values.flatMap { parseOne($0) }
    }

    static func parseOne(_ text: String) -> [AuthChallenge] {
        var result: [AuthChallenge] = []
        let chars = Array(text.unicodeScalars)
        var i = 0
        func skipSpaces() { while i < chars.count && (chars[i] == " " || chars[i] == "\t") { i += 1 } }
        func token() -> String {
            var out = ""
            while i < chars.count, chars[i] != "=", chars[i] != ",", chars[i] != " ", chars[i] != "\t" {
                out.unicodeScalars.append(chars[i])
                i += 1
            }
            return out
        }
        while i < chars.count {
            skipSpaces()
            while i < chars.count && chars[i] == "," { i += 1; skipSpaces() }
            let scheme = token()
            guard !scheme.isEmpty else { break }
            var challenge = AuthChallenge(scheme: scheme)
            // Parameters until a token that is not followed by `=` (the next scheme).
            while true {
                skipSpaces()
                while i < chars.count && chars[i] == "," { i += 1; skipSpaces() }
                let save = i
                let name = token()
                skipSpaces()
                guard !name.isEmpty, i < chars.count, chars[i] == "=" else {
                    i = save
                    break
                }
                i += 1
                skipSpaces()
                var value = ""
                if i < chars.count && chars[i] == "\"" {
                    i += 1
                    while i < chars.count && chars[i] != "\"" {
                        if chars[i] == "\\" && i + 1 < chars.count { i += 1 }
                        value.unicodeScalars.append(chars[i])
                        i += 1
                    }
                    i += 1
                } else {
                    value = token()
                }
                challenge.parameters[name.lowercased()] = value
            }
            result.append(challenge)
        }
        return result
    }
}
