import Foundation
import LayerIndex

/// The built-in demo image: a small Node.js app whose build leaks secrets every way images do.
///
/// - layer 1 `npm config set …_authToken` writes `home/node/.npmrc`; layer 2's `npm config delete`
///   whites it out, but layer 1 still carries the token (and the build arg sits in history);
/// - layer 3 `COPY . /app` sweeps in `.env`, `.aws/credentials`, an SSH key and `cache/git-credentials`;
/// - `ARG`/`ENV API_KEY` put a key in the config and the history;
/// - layer 4 `rm -rf /app/cache && mkdir /app/cache` makes the directory opaque;
/// - layer 5 uses `RUN --mount=type=secret`, the clean way, and leaves nothing behind.
///
/// Everything is generated in memory: no files, no network. The secrets are fake but well-formed.
public struct DemoImage: Sendable {
    /// One tar member of a demo layer.
    public struct Member: Sendable {
        public enum Kind: Sendable { case file([UInt8]), dir, symlink(String), whiteout, opaque }
        public var path: String
        public var kind: Kind
        public var mode: UInt32

        init(_ path: String, _ kind: Kind, mode: UInt32? = nil) {
            self.path = path
            self.kind = kind
            switch kind {
            case .dir: self.mode = mode ?? 0o755
            case .symlink: self.mode = 0o777
            default: self.mode = mode ?? 0o644
            }
        }

        static func text(_ path: String, _ content: String, mode: UInt32 = 0o644) -> Member {
            Member(path, .file(Array(content.utf8)), mode: mode)
        }

        /// The tar member name: whiteouts become `.wh.NAME` and `.wh..wh..opq` markers.
        public var tarName: String {
            switch kind {
            case .whiteout: return PathNormalizer.dirname(path).isEmpty ? ".wh." + path
                : PathNormalizer.dirname(path) + "/.wh." + PathNormalizer.basename(path)
            case .opaque: return path + "/.wh..wh..opq"
            case .dir: return path + "/"
            default: return path
            }
        }
    }

    /// Where the demo planted each secret: what a scanner should find, for tests and for the
    /// explorer until the background scanner is wired in.
    public struct Plant: Sendable, Hashable {
        public var layer: Int?
        public var path: String?
        public var field: String?
        public var historyIndex: Int?
        public var secret: String
        public var kind: String
    }

    public let secrets: DemoSecrets
    public let layers: [[Member]]
    /// `created_by` of every history step; `layerOf[i]` is the layer step i made (nil: empty layer).
    public let history: [(createdBy: String, layer: Int?)]
    public let env: [String]
    public static let created = "2026-01-05T10:00:00Z"

    public init(secrets: DemoSecrets = DemoSecrets()) {
        self.secrets = secrets
        let s = secrets
        let elf: [UInt8] = [0x7F, 0x45, 0x4C, 0x46, 2, 1, 1, 0] + [UInt8](repeating: 0, count: 8) + Array("busybox demo binary\0not real\0".utf8)
        let base: [Member] = [
            Member("bin", .dir), Member("bin/busybox", .file(elf), mode: 0o755), Member("bin/sh", .symlink("/bin/busybox")),
            Member("etc", .dir),
            .text("etc/os-release", "NAME=\"Alpine Linux\"\nID=alpine\nVERSION_ID=3.20.0\nPRETTY_NAME=\"Alpine Linux v3.20\"\n"),
            .text("etc/passwd", "root:x:0:0:root:/root:/bin/sh\nnode:x:1000:1000:Linux User,,,:/home/node:/bin/sh\n"),
            .text("etc/hostname", "demo\n"),
            Member("home", .dir), Member("home/node", .dir), Member("root", .dir, mode: 0o700), Member("tmp", .dir, mode: 0o1777),
            Member("usr", .dir), Member("usr/local", .dir), Member("usr/local/bin", .dir),
            .text("usr/local/bin/node", "#!/bin/sh\necho 'node v20 (demo)'\n", mode: 0o755),
            .text("usr/local/bin/npm", "#!/bin/sh\necho 'npm 10 (demo)'\n", mode: 0o755),
        ]
        let npmrc = "//registry.npmjs.org/:_authToken=\(s.npmToken)\nfund=false\n"
        let layer1: [Member] = [
            Member("home", .dir), Member("home/node", .dir),
            .text("home/node/.npmrc", npmrc, mode: 0o600),
        ]
        let layer2: [Member] = [
            Member("home", .dir), Member("home/node", .dir), Member("home/node/.npmrc", .whiteout),
            Member("app", .dir), Member("app/node_modules", .dir), Member("app/node_modules/left-pad", .dir),
            .text("app/node_modules/left-pad/index.js", "module.exports = (s, n, c = ' ') => String(s).padStart(n, c);\n"),
            .text("app/node_modules/left-pad/package.json", "{\"name\":\"left-pad\",\"version\":\"1.3.0\"}\n"),
        ]
        let env = """
        # local settings: never commit this file
        NODE_ENV=production
        PORT=8080
        DATABASE_URL=postgres://app:\(s.databasePassword)@db.internal:5432/app
        STRIPE_SECRET_KEY=\(s.stripeKey)
        """ + "\n"
        let aws = """
        [default]
        aws_access_key_id = \(s.awsAccessKeyID)
        aws_secret_access_key = \(s.awsSecretKey)
        region = eu-west-1
        """ + "\n"
        let server = """
        const express = require('express');
        const app = express();
        // Configuration comes from the environment (see .env for local runs).
        app.get('/health', (req, res) => res.send('ok'));
        app.listen(process.env.PORT || 8080);
        """ + "\n"
        let layer3: [Member] = [
            Member("app", .dir),
            .text("app/package.json", "{\n  \"name\": \"demo-shop\",\n  \"version\": \"1.4.2\",\n  \"main\": \"server.js\"\n}\n"),
            .text("app/server.js", server),
            .text("app/README.md", "# demo-shop\n\nRun `npm start`.\n"),
            .text("app/.env", env, mode: 0o600),
            Member("app/.aws", .dir), .text("app/.aws/credentials", aws, mode: 0o600),
            Member("app/deploy", .dir), .text("app/deploy/id_ed25519", s.sshPrivateKey, mode: 0o600),
            .text("app/deploy/id_ed25519.pub", "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIDemoDemoDemoDemoDemoDemoDemoDemoDemoDemo deploy@demo\n"),
            Member("app/cache", .dir),
            .text("app/cache/git-credentials", "https://x-access-token:\(s.githubToken)@github.com\n", mode: 0o600),
            .text("app/cache/build.log", "npm ci: added 1 package in 0.4s\n"),
            Member("app/docs", .dir),
            .text("app/docs/\u{1B}]0;owned\u{07}\u{1B}[31mnotes.md", "A file name with terminal escape sequences: shown escaped.\n\u{1B}[2J\u{1B}[31mred?\u{1B}[0m\n"),
        ]
        let layer4: [Member] = [
            Member("app", .dir), Member("app/cache", .dir), Member("app/cache", .opaque),
            .text("app/cache/.keep", ""),
        ]
        let layer5: [Member] = [
            Member("app", .dir), Member("app/node_modules", .dir), Member("app/node_modules/express", .dir),
            .text("app/node_modules/express/index.js", "module.exports = function express() { return { get() {}, listen() {} }; };\n"),
            .text("app/node_modules/express/package.json", "{\"name\":\"express\",\"version\":\"4.19.2\"}\n"),
        ]
        layers = [base, layer1, layer2, layer3, layer4, layer5]
        history = [
            ("/bin/sh -c #(nop) ADD file:9a3c7d0e5f4b2a1c8e6d4f2b0a9c7e5d3b1f9e7c5a3d1b9f7e5c3a1d9b7f5e3c in / ", 0),
            ("/bin/sh -c #(nop)  ARG NPM_TOKEN", nil),
            ("|1 NPM_TOKEN=\(s.npmToken) /bin/sh -c npm config set //registry.npmjs.org/:_authToken=$NPM_TOKEN", 1),
            ("|1 NPM_TOKEN=\(s.npmToken) /bin/sh -c npm ci && npm config delete //registry.npmjs.org/:_authToken", 2),
            ("/bin/sh -c #(nop) COPY dir:5e1f3a7b9c2d4e6f8a0b1c3d5e7f9a2b4c6d8e0f1a3b5c7d9e2f4a6b8c0d1e3f in /app ", 3),
            ("/bin/sh -c #(nop)  ARG API_KEY", nil),
            ("/bin/sh -c #(nop)  ENV API_KEY=\(s.apiKey)", nil),
            ("/bin/sh -c rm -rf /app/cache && mkdir -p /app/cache && touch /app/cache/.keep", 4),
            ("RUN --mount=type=secret,id=npmrc,target=/root/.npmrc npm install --omit=dev # buildkit", 5),
            ("/bin/sh -c #(nop)  CMD [\"node\" \"server.js\"]", nil),
        ]
        self.env = ["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", "NODE_ENV=production", "API_KEY=\(s.apiKey)"]
    }

    /// Every planted secret and where it is.
    public var plants: [Plant] {
        let s = secrets
        return [
            Plant(layer: 1, path: "home/node/.npmrc", secret: s.npmToken, kind: "npm-token"),
            Plant(layer: 3, path: "app/.env", secret: "postgres://app:\(s.databasePassword)@db.internal:5432/app", kind: "database-url"),
            Plant(layer: 3, path: "app/.env", secret: s.stripeKey, kind: "stripe-secret-key"),
            Plant(layer: 3, path: "app/.aws/credentials", secret: s.awsAccessKeyID, kind: "aws-access-key-id"),
            Plant(layer: 3, path: "app/.aws/credentials", secret: s.awsSecretKey, kind: "aws-secret-key"),
            Plant(layer: 3, path: "app/deploy/id_ed25519", secret: s.sshPrivateKey.trimmingCharacters(in: .newlines), kind: "private-key"),
            Plant(layer: 3, path: "app/cache/git-credentials", secret: s.githubToken, kind: "github-pat"),
            Plant(field: "Env[API_KEY]", secret: s.apiKey, kind: "stripe-secret-key"),
            Plant(field: "history[6]", historyIndex: 6, secret: s.apiKey, kind: "stripe-secret-key"),
            Plant(field: "history[2]", historyIndex: 2, secret: s.npmToken, kind: "npm-token"),
            Plant(field: "history[3]", historyIndex: 3, secret: s.npmToken, kind: "npm-token"),
        ]
    }

    /// A file's bytes in one layer.
    public func content(layer: Int, path: String) -> [UInt8]? {
        for m in layers[layer] where m.path == path { if case .file(let b) = m.kind { return b } }
        return nil
    }
}
