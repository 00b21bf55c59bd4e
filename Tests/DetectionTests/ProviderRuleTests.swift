import Detection
import Foundation
import Testing

/// Provider-format tokens: found with the right kind and span, checksums validated.
@Suite struct ProviderRuleTests {
    let detector = try! Detector.standard()

    func single(_ text: String, path: String = "app/.env") -> Match? {
        let matches = detector.find(text, path: path)
        return matches.count == 1 ? matches[0] : nil
    }

    @Test func githubTokensWithValidChecksumAreHighConfidence() throws {
        for prefix in ["ghp_", "gho_", "ghu_", "ghs_", "ghr_"] {
            let token = Fake.github(prefix)
            let m = try #require(single("GITHUB_TOKEN=\(token)\n"))
            #expect(m.secret == token)
            #expect(m.kind == "github_token")
            #expect(m.checksumValid == true)
            #expect(m.confidence == .high)
            #expect(m.line == 1 && m.column == 14)
        }
    }

    @Test func githubTokenWithBrokenChecksumIsNotReported() {
        var token = Fake.github()
        let last = token.removeLast()
        token.append(last == "A" ? "B" : "A")
        #expect(detector.find("token: \(token)\n").allSatisfy { $0.secret != token })
    }

    @Test func fineGrainedGitHubPAT() throws {
        let token = "github_pat_11" + Fake.b62(20) + "_" + Fake.b62(59)
        let m = try #require(single("url = https://\(token)@github.com/org/repo\n", path: "root/.gitconfig"))
        #expect(m.secret == token)
        #expect(m.rule == "github-fine-grained-pat")
    }

    @Test func npmTokenChecksum() throws {
        let token = Fake.npm()
        let m = try #require(single("//registry.npmjs.org/:_authToken=\(token)\n", path: "home/app/.npmrc"))
        #expect(m.secret == token)
        #expect(m.kind == "npm_token")
        #expect(m.checksumValid == true)
    }

    @Test func awsKeyPairInEnv() {
        let id = Fake.awsKeyID()
        let secret = Fake.awsSecret()
        let matches = detector.find("AWS_ACCESS_KEY_ID=\(id)\nAWS_SECRET_ACCESS_KEY=\(secret)\n")
        #expect(matches.map(\.secret) == [id, secret])
        #expect(matches.map(\.kind) == ["aws_access_key_id", "aws_secret_access_key"])
        #expect(matches[1].line == 2)
    }

    @Test func awsDocumentationExamplesAreIgnored() {
        let text = "aws_access_key_id = AKIAIOSFODNN7EXAMPLE\naws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY\n"
        #expect(detector.find(text, path: "root/.aws/credentials").isEmpty)
        #expect(detector.find(text).isEmpty)
    }

    @Test(arguments: [
        ("slack_token", "xoxb-\(Int.random(in: 10_000_000_000...99_999_999_999))-\(Int.random(in: 1_000_000_000_000...9_999_999_999_999))-\(Fake.b62(24))"),
        ("slack_token", "xoxp-\(Int.random(in: 10_000_000_000...99_999_999_999))-\(Int.random(in: 10_000_000_000...99_999_999_999))-\(Int.random(in: 1_000_000_000_000...9_999_999_999_999))-\(Fake.hex(32))"),
        ("slack_webhook", "https://hooks.slack.com/services/T\(Fake.string(Fake.upper + Fake.digits, 8))/B\(Fake.string(Fake.upper + Fake.digits, 10))/\(Fake.b62(24))"),
        ("stripe_key", "sk_live_\(Fake.b62(24))"),
        ("stripe_key", "rk_live_\(Fake.b62(99))"),
        ("google_api_key", "AIza\(Fake.string(Fake.base62 + ["-", "_"], 35))"),
        ("gitlab_token", "glpat-\(Fake.string(Fake.base62 + ["-", "_"], 20))"),
        ("pypi_token", "pypi-AgEIcHlwaS5vcmc\(Fake.string(Fake.base62 + ["-", "_"], 120))"),
        ("dockerhub_pat", "dckr_pat_\(Fake.string(Fake.base62 + ["-", "_"], 27))"),
        ("twilio_api_key", "SK\(Fake.hex(32))"),
        ("sendgrid_api_key", "SG.\(Fake.b62(22)).\(Fake.b62(43))"),
        ("openai_api_key", "sk-proj-\(Fake.b62(60))T3BlbkFJ\(Fake.b62(60))"),
        ("anthropic_api_key", "sk-ant-api03-\(Fake.string(Fake.base62 + ["-", "_"], 93))AA"),
        ("jwt", Fake.jwt()),
        ("generic_secret", "hf_\(Fake.string(Fake.upper + Fake.lower, 34))"),
        ("generic_secret", "shpat_\(Fake.hex(32))"),
    ])
    func providerTokens(kind: String, token: String) throws {
        for text in ["SERVICE_CREDENTIAL=\(token)\n", "config:\n  value: \"\(token)\"\n", "curl -H 'X: \(token)' x\n"] {
            let m = try #require(detector.find(text).first { $0.secret == token }, "\(kind) in \(text)")
            #expect(m.kind == kind)
        }
    }

    @Test func azureStorageConnectionString() throws {
        let key = Fake.string(Fake.base62 + ["+", "/"], 86) + "=="
        let text = "export BLOB=\"DefaultEndpointsProtocol=https;AccountName=acct\(Fake.hex(6));AccountKey=\(key);EndpointSuffix=core.windows.net\"\n"
        let m = try #require(single(text))
        #expect(m.secret == key)
        #expect(m.kind == "azure_storage_key")
    }

    @Test func gcpServiceAccountJSON() throws {
        let pem = Fake.pem("PRIVATE KEY", lines: 20).replacingOccurrences(of: "\n", with: "\\n")
        let text = """
        {
          "type": "service_account",
          "project_id": "demo-\(Fake.hex(6))",
          "private_key_id": "\(Fake.hex(40))",
          "private_key": "\(pem)",
          "client_email": "svc@demo.iam.gserviceaccount.com"
        }
        """
        let matches = detector.find(text, path: "app/credentials/sa.json")
        #expect(matches.count == 1)
        #expect(matches.first?.kind == "gcp_service_account")
        #expect(matches.first?.line == 5)
    }

    @Test func jwtDocumentationExampleIsIgnored() {
        let example = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9." + Fake.base64url(#"{"sub":"1234567890","name":"John Doe","iat":1516239022}"#)
            + ".SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c"
        #expect(detector.find("Example: `\(example)`\nTOKEN=\(example)\n").isEmpty)
    }

    @Test func stripeDocumentedTestKeyIsIgnored() {
        #expect(detector.find("STRIPE_SECRET_KEY=sk_test_4eC39HqLyjWDarjtT1zdp7dc\n").isEmpty)
    }

    @Test func publicIdentifiersAreNotSecrets() {
        let text = """
        STRIPE_PUBLISHABLE_KEY=pk_live_\(Fake.b62(24))
        TWILIO_ACCOUNT_SID=AC\(Fake.hex(32))
        GOOGLE_OAUTH_CLIENT_ID="\(Int.random(in: 100_000_000_000...999_999_999_999))-\(Fake.string(Fake.lower + Fake.digits, 32)).apps.googleusercontent.com"
        aws.account.id=\(Int.random(in: 100_000_000_000...999_999_999_999))
        """
        #expect(detector.find(text).isEmpty)
    }

    @Test func awsSecretNamedWithoutKeyWord() throws {
        let secret = Fake.awsSecret()
        let m = try #require(single("AWS_SECRET = '\(secret)'\n", path: "opt/app/src/settings.py"))
        #expect(m.secret == secret)
        #expect(m.kind == "aws_secret_access_key")
    }

    @Test func pagerDutyKeyStandsAloneNotInsideBase64() throws {
        let key = "u+" + Fake.b62(18)
        let m = try #require(single("PAGERDUTY_TOKEN=\(key)\n"))
        #expect(m.rule == "pagerduty-key")
        #expect(m.secret == key)
        // Inside a base64 blob the same shape is chance, bounded by `/` or `+`.
        for blob in [Fake.b62(20) + "/" + key + "/" + Fake.b62(20), Fake.b62(20) + "+" + key + "+" + Fake.b62(9)] {
            #expect(detector.find("{\"payload\":\"\(blob)\"}\n", path: "opt/app/data/events-00.jsonl")
                .allSatisfy { $0.rule != "pagerduty-key" })
        }
    }

    /// These rules are guarded by `name` + assignment keywords rather than the bare common word,
    /// so every usual spelling of the assignment must still wake them.
    @Test func kubernetesBootstrapTokenInEverySpelling() throws {
        let token = Fake.string(Array("abcdefghijklmnopqrstuvwxyz0123456789"), 6) + "."
            + Fake.string(Array("abcdefghijklmnopqrstuvwxyz0123456789"), 16)
        for line in ["token: \(token)", "  \"token\" : \"\(token)\"", "TOKEN=\(token)", "token  = '\(token)'",
                     "token\t=\(token)", "kubeadm join 10.0.0.1:6443 --token \(token)",
                     "kubeadm join 10.0.0.1:6443 --discovery-token \(token)"] {
            let matches = detector.find(line + "\n", path: "etc/kubernetes/join.sh")
            #expect(matches.contains { $0.rule == "kubernetes-bootstrap-token" && $0.secret == token }, "\(line)")
        }
        // The bare word with no assignment does not reach the rule.
        #expect(detector.find("token_len(\(token))\n", path: "src/a.py").allSatisfy { $0.rule != "kubernetes-bootstrap-token" })
    }

    @Test func xmlKeyValueSecretInEverySpelling() throws {
        let secret = Fake.password()
        for element in [#"<add key="ApiSecret" value="\#(secret)"/>"#, #"<add key="ApiSecret" value = "\#(secret)" />"#,
                        #"<add name="DbPassword" value= "\#(secret)"/>"#] {
            let m = try #require(single(element + "\n", path: "app/web.config"), "\(element)")
            #expect(m.rule.hasSuffix("-xml-key-value"))  // generic-password-… for a password name
            #expect(m.secret == secret)
        }
    }

    @Test func azureClientSecretNextToItsName() throws {
        let secret = Fake.b62(3) + "7Q~" + Fake.b62(32)
        for name in ["AZURE_CLIENT_SECRET", "azure.client-secret", "AzureClientSecret", "ARM_CLIENT_SECRET"] {
            let matches = detector.find("\(name)=\(secret)\n", path: "app/.env")
            #expect(matches.contains { $0.secret == secret && $0.rule == "azure-client-secret" }, "\(name)")
        }
    }
}

@Suite struct AWSPairingTests {
    @Test func secretKeyIsPairedWithNearbyKeyID() throws {
        let id = Fake.awsKeyID()
        let secret = Fake.awsSecret()
        let matches = try Detector.standard().find("export AWS_ACCESS_KEY_ID=\(id)\nexport AWS_SECRET_ACCESS_KEY=\(secret)\n", path: "app/run.sh")
        let s = try #require(matches.first { $0.secret == secret })
        #expect(s.notes["pairedWith"] == Redaction.preview(id))
    }
}
