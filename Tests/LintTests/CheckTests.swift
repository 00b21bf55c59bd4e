import Detection
import Testing
@testable import Lint

@Suite struct CheckTests {
    func lint(_ text: String, showSecrets: Bool = false, context: ContextReport? = nil) throws -> [LintFinding] {
        Linter(showSecrets: showSecrets, context: context).lint(try DockerfileParser.parse(text))
    }

    func ids(_ findings: [LintFinding]) -> [String] { findings.map { "\($0.ruleID)@\($0.line)" } }

    @Test func secretNamedArgs() throws {
        let f = try lint("FROM a\nARG NPM_TOKEN\nARG NODE_VERSION=20\nARG PASSWORD_FILE\nARG GPG_KEY\nARG awsSecretAccessKey\nARG CACHE_KEY\n")
        #expect(ids(f) == ["DF001@2", "DF001@6"])
        #expect(f[0].severity == .high)
        #expect(f[0].suggestion?.contains("--mount=type=secret,id=npm_token,env=NPM_TOKEN") == true)
    }

    @Test func globalArgIsLowUntilAStageRedeclaresIt() throws {
        let f = try lint("ARG NPM_TOKEN\nFROM a\nRUN make\nFROM b\nARG NPM_TOKEN\nRUN npm ci\n")
        #expect(ids(f) == ["DF001@1", "DF001@5"])
        #expect(f.map(\.severity) == [.low, .high])
    }

    @Test func secretNamedEnv() throws {
        let f = try lint("FROM a\nARG API_KEY\nENV API_KEY=$API_KEY\nENV DB_PASSWORD=\nENV PATH=/usr/bin LOG_LEVEL=debug\n")
        #expect(ids(f) == ["DF001@2", "DF002@3", "DF002@4"])
        #expect(f[1].severity == .critical)
        #expect(f[1].message.contains("from build argument $API_KEY"))
        #expect(f[2].severity == .low)
    }

    @Test func envFromSecretArgUnderOtherName() throws {
        let f = try lint("FROM a\nARG GH_TOKEN\nENV CONFIG_VALUE=${GH_TOKEN}\n")
        #expect(ids(f) == ["DF001@2", "DF002@3"])
    }

    @Test func literalSecretsInEnvArgLabelAreRedacted() throws {
        let token = Fake.github
        let f = try lint("FROM a\nENV UPSTREAM=\(token)\nLABEL ci.credential=\"\(token)\"\nARG X=\(Fake.npm)\n")
        #expect(ids(f) == ["DF003@2", "DF003@3", "DF003@4"])
        #expect(f.allSatisfy { $0.severity == .critical })
        let rendered = LintOutput.render(f, format: .table) + LintOutput.render(f, format: .json) + LintOutput.render(f, format: .sarif)
        #expect(!rendered.contains(token))
        #expect(rendered.contains("ghp_****"))
        let shown = try lint("FROM a\nENV UPSTREAM=\(token)\n", showSecrets: true)
        #expect(LintOutput.render(shown, format: .table).contains(token))
    }

    @Test func inlineTokenInRunPointsAtItsLine() throws {
        let npm = Fake.npm
        let text = "FROM a\nRUN apk add curl && \\\n    curl -H 'Authorization: Bearer x' https://x && \\\n    echo //r/:_authToken=\(npm) > /tmp/n && rm /tmp/n\n"
        let f = try lint(text)
        #expect(ids(f).contains("DF004@4"))
        #expect(f.first { $0.ruleID == "DF004" }?.secret == "npm_****…(40 chars)")
    }

    @Test func inlineTokenInHeredoc() throws {
        let token = Fake.github
        let f = try lint("FROM a\nRUN <<EOF\nset -e\ngit clone https://x-access-token:\(token)@github.com/o/r\nEOF\n")
        #expect(ids(f).contains("DF004@4"))
    }

    @Test func npmConfigSetThenDeleteInLaterStep() throws {
        let text = """
        FROM node:20
        ARG NPM_TOKEN
        RUN npm config set //registry.npmjs.org/:_authToken ${NPM_TOKEN}
        RUN npm ci
        RUN npm config delete //registry.npmjs.org/:_authToken
        """
        let f = try lint(text)
        #expect(ids(f) == ["DF001@2", "DF005@3"])
        let leak = f[1]
        #expect(leak.relatedLines == [5])
        #expect(leak.suggestion?.hasPrefix("RUN --mount=type=secret,id=npmrc,target=/root/.npmrc") == true)
    }

    @Test func npmrcEchoThenRmAndRewriteKeepsTheRealWork() throws {
        let text = "FROM node:20\nARG NPM_TOKEN\nWORKDIR /app\nRUN echo \"//r/:_authToken=$NPM_TOKEN\" > ~/.npmrc && npm ci --omit=dev\nRUN rm ~/.npmrc\n"
        let f = try lint(text)
        let leak = try #require(f.first { $0.ruleID == "DF005" })
        #expect(leak.line == 4 && leak.relatedLines == [5])
        #expect(leak.suggestion?.hasPrefix("RUN --mount=type=secret,id=npmrc,target=/root/.npmrc npm ci --omit=dev") == true)
        #expect(leak.suggestion?.contains("--secret id=npmrc,src=$HOME/.npmrc") == true)
    }

    @Test func otherToolsConfiguredThenRemoved() throws {
        let cases: [(String, String, String)] = [
            ("RUN git config --global credential.helper store && echo \"https://u:$GIT_TOKEN@github.com\" > ~/.git-credentials", "RUN rm ~/.git-credentials", "id=gitcreds"),
            ("RUN aws configure set aws_secret_access_key $AWS_SECRET_ACCESS_KEY", "RUN rm -rf /root/.aws", "id=aws,target=/root/.aws/credentials"),
            ("RUN pip config set global.index-url https://u:$PIP_PASSWORD@pypi.example.com/simple", "RUN pip config unset global.index-url", "id=pipconf"),
            ("RUN printf '[pypi]\\npassword = %s\\n' \"$PYPI_TOKEN\" > /root/.pypirc", "RUN rm -f /root/.pypirc", "id=pypirc"),
            ("RUN echo \"machine h login u password $NETRC_PASSWORD\" > ~/.netrc", "RUN rm ~/.netrc", "id=netrc"),
        ]
        for (setup, removal, mount) in cases {
            let f = try lint("FROM a\n\(setup)\nRUN make\n\(removal)\n")
            let leak = try #require(f.first { $0.ruleID == "DF005" }, "\(setup)")
            #expect(leak.line == 2 && leak.relatedLines == [4], "\(setup)")
            #expect(leak.suggestion?.contains(mount) == true, "\(setup): \(leak.suggestion ?? "")")
        }
    }

    @Test func tokenInCloneURLLandsInGitConfig() throws {
        let f = try lint("FROM a\nARG GITHUB_TOKEN\nWORKDIR /src\nRUN git clone --depth 1 https://${GITHUB_TOKEN}@github.com/org/private.git && make -C private\n")
        let leak = try #require(f.first { $0.ruleID == "DF006" })
        #expect(leak.message.hasPrefix("/src/private/.git/config"))
        #expect(leak.suggestion?.hasPrefix("RUN --mount=type=secret,id=github_token,env=GITHUB_TOKEN git -c \"http.extraHeader=Authorization: Basic $(printf 'x-access-token:%s' \"$GITHUB_TOKEN\" | base64 -w0)\" clone --depth 1 https://github.com/org/private.git && make -C private") == true, "\(leak.suggestion ?? "")")
    }

    @Test func suggestionsNeverRepeatTheInlineSecret() throws {
        let password = "Pw" + Fake.random(14) + "9"
        let f = try lint("FROM a\nRUN curl -u admin:\(password) https://artifactory.example.com/x.tgz -o /tmp/x.tgz\n")
        let inline = try #require(f.first { $0.ruleID == "DF004" })
        #expect(inline.suggestion?.contains("curl -u admin:$SECRET https://artifactory.example.com/x.tgz") == true)
        #expect(!LintOutput.render(f, format: .json).contains(password))
        let dockerLogin = try lint("FROM a\nRUN echo \"$DOCKER_PASSWORD\" | docker login -u bot --password-stdin r.example.com && docker pull r.example.com/x\n")
        #expect(dockerLogin.first?.suggestion?.hasPrefix("RUN --mount=type=secret,id=dockerconfig,target=/root/.docker/config.json docker pull r.example.com/x") == true)
    }

    @Test func secretEchoedToFileAndKept() throws {
        let f = try lint("FROM a\nARG TOKEN\nRUN echo $TOKEN > /app/token\n")
        #expect(ids(f) == ["DF001@2", "DF006@3"])
    }

    @Test func sameStepCreateAndDeleteIsInfoOnly() throws {
        let f = try lint("FROM a\nARG NPM_TOKEN\nRUN echo \"//r/:_authToken=${NPM_TOKEN}\" > /root/.npmrc && npm ci && rm -f /root/.npmrc\n")
        #expect(ids(f) == ["DF001@2", "DF011@3"])
        #expect(f[1].severity == .info)
    }

    @Test func secretMountTargetIsNotALeak() throws {
        let f = try lint("FROM a\nRUN --mount=type=secret,id=npmrc,target=/root/.npmrc npm ci && cat /root/.npmrc > /dev/null\nRUN --mount=type=secret,id=t,env=TOKEN ./deploy.sh\n")
        #expect(f.isEmpty)
    }

    @Test func copyingAMountedSecretIntoTheLayerIsALeak() throws {
        let f = try lint("FROM a\nRUN --mount=type=secret,id=npmrc,target=/root/.npmrc cp /root/.npmrc /app/.npmrc && npm ci\nRUN --mount=type=secret,id=tok cat /run/secrets/tok > /app/token\nRUN --mount=type=secret,id=npmrc,target=/root/.npmrc wc -l /root/.npmrc > /out/lines\n")
        #expect(ids(f) == ["DF006@2", "DF006@3"])
    }

    @Test func addURLCredentials() throws {
        let f = try lint("FROM a\nADD https://deploy:s3cretPassw0rd@files.example.com/app.tgz /app/\nADD https://files.example.com/x.tgz?token=abcdef123456 /x\nADD https://files.example.com/public.tgz /p\n")
        #expect(ids(f).filter { $0.hasPrefix("DF007") } == ["DF007@2", "DF007@3"])
        #expect(!LintOutput.render(f, format: .json).contains("s3cretPassw0rd"))
        #expect(f[0].suggestion?.contains("https://files.example.com/app.tgz") == true)
        let viaArgs = try lint("FROM a\nARG USER\nARG PASS\nADD https://${USER}:${PASS}@files.example.com/app.tgz /app/\n")
        #expect(viaArgs.first { $0.ruleID == "DF007" }?.secret == "${PASS}")
    }

    @Test func copiedCredentialFilesAndRemovalLater() throws {
        let f = try lint("FROM a\nCOPY id_rsa /root/.ssh/id_rsa\nCOPY .npmrc /root/\nCOPY app/ /app/\nRUN rm -rf /root/.ssh\n")
        #expect(ids(f) == ["DF005@2", "DF009@3"])
        #expect(f[0].relatedLines == [5])
    }

    @Test func finalStageCopiesSecretFromBuilder() throws {
        let text = """
        FROM node AS build
        ARG NPM_TOKEN
        RUN echo "//r/:_authToken=$NPM_TOKEN" > /root/.npmrc && npm ci
        FROM node
        COPY --from=build /root/.npmrc /root/.npmrc
        COPY --from=build /root /root
        COPY --from=build /app/dist /app
        """
        let f = try lint(text)
        let df010 = f.filter { $0.ruleID == "DF010" }.map(\.line)
        #expect(df010 == [5, 6])
        // The builder's own write is not shipped: low, not high.
        #expect(f.first { $0.ruleID == "DF006" }?.severity == .low)
    }

    @Test func stageUsedAsBaseShipsItsLayers() throws {
        let f = try lint("FROM a AS base\nCOPY .netrc /root/.netrc\nFROM base\nRUN make\n")
        #expect(f.first { $0.ruleID == "DF009" }?.severity == .high)
    }

    @Test func suppressionOnLineBeforeAndSameLine() throws {
        let text = """
        FROM a
        # strata:ignore=DF001
        ARG NPM_TOKEN
        ARG GH_TOKEN # strata:ignore=DF001
        # strata:ignore=DF002
        ARG SLACK_TOKEN
        RUN echo ok
        ARG OTHER_TOKEN
        """
        let f = try lint(text)
        #expect(ids(f) == ["DF001@6", "DF001@8"])
    }

    @Test func everydayStepsAreNotCredentials() throws {
        let text = """
        FROM python:3.12-slim
        ENV GPG_KEY A035C8C19219BA821ECEA86B64E628F8D684696D
        ENV POSTGRES_PASSWORD_FILE=/run/secrets/pg JWT_ALGORITHM=HS256
        ARG TOKENIZERS_PARALLELISM=false
        RUN useradd -m app && echo "app ALL=(ALL) NOPASSWD: /usr/bin/apt" > /etc/sudoers.d/app
        RUN git config --global url."https://github.com/".insteadOf git@github.com:
        RUN printf '[global]\\nindex-url = https://pypi.org/simple\\n' > /etc/pip.conf
        RUN echo "Enter password:" > /etc/motd
        HEALTHCHECK CMD curl -f http://localhost:8000/health || exit 1
        """
        #expect(try lint(text).isEmpty)
    }

    @Test func builtinFingerprintIsAHashNotTheSecret() {
        let token = Fake.npm
        let match = BuiltinSecretEngine().scan(text: "x=\(token)", path: "f").first
        #expect(match?.fingerprint.count == 71)
        #expect(match?.fingerprint.contains(Array(token.utf8).prefix(8).map { String(format: "%02x", $0) }.joined()) == false)
    }

    @Test func cleanMultiStageSecretMountBuild() throws {
        let text = """
        # syntax=docker/dockerfile:1
        FROM golang:1.22 AS build
        WORKDIR /src
        RUN --mount=type=secret,id=netrc,target=/root/.netrc \\
            --mount=type=cache,target=/go/pkg/mod \\
            go mod download
        COPY . .
        RUN go build -o /out/app ./cmd/app
        FROM gcr.io/distroless/static
        COPY --from=build /out/app /app
        USER nonroot
        ENTRYPOINT ["/app"]
        """
        #expect(try lint(text).isEmpty)
    }
}
