import Detection
import Foundation
import Testing

/// Passwords and secrets assigned to sensitive names in every config syntax, and the values
/// that must not be reported (placeholders, references, hashes, UUIDs, integrity hashes).
@Suite struct GenericRuleTests {
    let detector = try! Detector.standard()

    func secrets(_ text: String, path: String) -> [String] {
        detector.find(text, path: path).compactMap(\.secret)
    }

    @Test func assignmentsInEveryConfigSyntax() {
        let pw = Fake.password()
        let cases: [(String, String)] = [
            ("app/.env", "DB_PASSWORD=\(pw)\n"),
            ("app/.env.production", "export DB_PASSWORD=\"\(pw)\"\n"),
            ("etc/app.ini", "[db]\npassword = \(pw)\n"),
            ("app/config.yaml", "database:\n  password: '\(pw)'\n"),
            ("app/settings.json", "{\"db\": {\"password\": \"\(pw)\"}}\n"),
            ("app/config.toml", "[db]\npassword = \"\(pw)\"\n"),
            ("app/web.xml", "<config><password>\(pw)</password></config>\n"),
            ("app/NuGet.Config", "<add key=\"ClearTextPassword\" value=\"\(pw)\" />\n"),
            ("app/application.properties", "spring.datasource.password=\(pw)\n"),
            ("etc/profile.d/app.sh", "export SERVICE_PWD='\(pw)'\n"),
            ("app/wp-config.php", "define( 'DB_PASSWORD', '\(pw)' );\n"),
            ("app/settings.py", "DATABASES = {'default': {'PASSWORD': '\(pw)'}}\n"),
            ("app/k8s/deploy.yaml", "env:\n  - name: DB_PASSWORD\n    value: \(pw)\n"),
            ("app/Dockerfile", "ENV DB_PASSWORD \(pw)\n"),
            ("etc/redis/redis.conf", "requirepass \(pw)\n"),
            ("app/run.sh", "mysql -h db -u root -p'\(pw)' app\n"),
            ("app/run.sh", "curl -fsS -u \"deploy:\(pw)\" https://x.corp.example/a\n"),
            ("app/run.sh", "docker login -u ci -p \(pw) registry.corp.example\n"),
            ("app/cfg.go", "\tdbPassword := \"\(pw)\"\n"),
        ]
        for (path, text) in cases {
            #expect(secrets(text, path: path) == [pw], "\(path): \(text)")
        }
    }

    @Test func highEntropySecretsAssignedToSensitiveNames() {
        let hex = Fake.hex(40)
        let b64 = Fake.b62(32)
        #expect(secrets("JWT_SECRET=\(hex)\n", path: "app/.env") == [hex])
        #expect(secrets("api_secret = \"\(b64)\"\n", path: "app/secrets.toml") == [b64])
        #expect(secrets("  encryptionKey: '\(Fake.hex(32))',\n", path: "app/server.js").count == 1)
        #expect(secrets("Environment=\"INTERNAL_API_TOKEN=\(hex)\"\n", path: "etc/systemd/system/a.service") == [hex])
    }

    @Test func randomPasswordsWithoutDigits() {
        let pw = Fake.string(Fake.upper + Fake.lower, 16)
        #expect(secrets("POSTGRES_PASSWORD=\(pw)\n", path: "app/.env") == [pw])
        #expect(secrets("PASSWORD=Passwordless\n", path: "app/.env").isEmpty)
    }

    @Test func credentialsInURLsAndConnectionStrings() {
        let pw = Fake.password()
        #expect(secrets("DATABASE_URL=postgres://app:\(pw)@db:5432/app\n", path: "app/.env") == [pw])
        #expect(secrets("url = \"mongodb+srv://svc:\(pw)@cluster0.example.net/db\"\n", path: "app/a.toml") == [pw])
        #expect(secrets("REDIS_URL=redis://:\(pw)@cache:6379/0\n", path: "app/.env") == [pw])
        #expect(secrets("index-url = https://build:\(pw)@pkgs.corp.example/simple/\n", path: "etc/pip.conf") == [pw])
        #expect(secrets("https://ci:\(pw)@git.corp.example\n", path: "root/.git-credentials") == [pw])
        #expect(secrets("spring.datasource.url=jdbc:mysql://db:3306/x?user=app&password=\(pw)&useSSL=true\n",
                        path: "app/application.properties") == [pw])
        #expect(secrets("\"Default\": \"Server=tcp:sql.corp.example,1433;User ID=ci;Password=\(pw);Encrypt=True;\"\n",
                        path: "app/appsettings.json") == [pw])
    }

    @Test func base64Credentials() {
        let auth = Data("deploy:\(Fake.password())".utf8).base64EncodedString()
        #expect(secrets("proxy_set_header Authorization \"Basic \(auth)\";\n", path: "etc/nginx/conf.d/a.conf") == [auth])
        #expect(secrets("_auth=\(auth)\n", path: "home/app/.npmrc") == [auth])
    }

    @Test func placeholdersAndReferencesAreNotSecrets() {
        let text = """
        DB_PASSWORD=${DB_PASSWORD}
        API_TOKEN=$API_TOKEN
        GITHUB_TOKEN=<your-token-here>
        SECRET_KEY=changeme
        password = xxxxxxxx
        STRIPE_SECRET_KEY=password
        OPENAI_API_KEY=sk-...
        NPM_TOKEN="{{ npm_token }}"
        token: "dummy-token-for-tests"
        DB_PASSWORD_FILE=/run/secrets/db_password
        POSTGRES_PASSWORD_REF="arn:aws:secretsmanager:eu-west-1:123456789012:secret:prod/db"
        sentryAuthTokenRef: 'vault:secret/data/app#password'
        db_password: ENC[AES256_GCM,data:s5lgXdyMMXYB6gW+Ka/wFiec74Gu1D==,iv:dNCQ=,type:str]
        password: "%(db_password)s"
        TOKEN_TYPE="Bearer"
        token_ttl = "3600"
        password_min_length: 12
        "forgot_password": "Passwort vergessen?"
        SECRET_KEY_FILE=secret.key
        """
        #expect(detector.find(text, path: "app/.env").isEmpty)
        #expect(detector.find("const dbPassword = process.env.DB_PASSWORD;\n", path: "app/server.js").isEmpty)
        #expect(detector.find("echo $DB_PASSWORD\ncurl -H \"Authorization: Bearer ${API_TOKEN}\" x\n", path: "app/run.sh").isEmpty)
        #expect(detector.find("DATABASE_URL=postgres://user:password@localhost/app\nconnecting to postgres://app:*****@db/app\n",
                              path: "app/README.md").isEmpty)
    }

    @Test func encryptedValuesAreNotSecrets() {
        let text = """
        <server><id>corp</id><password>{COQLCE6DU6GtcS5P+Xh7Y1Pq4rB6wlmC9aK=}</password></server>
        db.password=ENC(G6N718UuyPE5bHyWKyuLQSm02auQPUtm)
        token: !vault |
        api_key: "gAAAAABl\(Fake.b62(60))"
        """
        #expect(detector.find(text, path: "root/.m2/settings.xml").isEmpty)
    }

    @Test func xmlAttributes() {
        let pw = Fake.password()
        #expect(secrets("<user username=\"admin\" password=\"\(pw)\" roles=\"manager-gui\"/>\n",
                        path: "usr/local/tomcat/conf/tomcat-users.xml") == [pw])
    }

    @Test func hashesUUIDsAndIntegrityAreNotSecrets() {
        let text = """
        GIT_COMMIT=\(Fake.hex(40))
        ASSET_HASH=\(Fake.hex(64))
        SHA256=\(Fake.hex(32))
        request_id=\(UUID().uuidString.lowercased())
        "integrity": "sha512-\(Fake.b62(86))=="
        <script src="/a.js" integrity="sha384-\(Fake.b62(64))"></script>
        admin:$2y$05$\(Fake.b62(53))
        root:$6$\(Fake.b62(16))$\(Fake.b62(86)):19120:0:99999:7:::
        """
        #expect(detector.find(text, path: "app/info.txt").isEmpty)
    }

    @Test func publicKeysAndCertificatesAreNotSecrets() {
        let text = Fake.pem("PUBLIC KEY") + Fake.pem("CERTIFICATE") + "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAI\(Fake.b62(43)) ci@host\n"
        #expect(detector.find(text, path: "etc/ssl/certs/bundle.pem").isEmpty)
    }

    @Test func codeRightHandSidesAreNotSecrets() {
        let text = """
        password = utf8_to_utf16_dup(v);
        my_token = self.tokens[0]
        private_key: ed25519.Ed25519PrivateKey
        secret_key = get_secret_key()
        """
        #expect(detector.find(text, path: "lib/mod.py").isEmpty)
    }
}
