import LayerIndex
import Testing
@testable import Scanner

@Suite struct FindingsRemediationTests {
    @Test func copiedContextFilesGetADockerignoreLine() {
        let step = BuildStep("/bin/sh -c #(nop) COPY dir:abc in /app/ ")
        let root = Remediation.forFile(path: "app/.env", layer: 1, step: step, fate: .present)
        #expect(root.contains("`.env` to .dockerignore"))
        let nested = Remediation.forFile(path: "app/config/.npmrc", layer: 1, step: step, fate: .present)
        #expect(nested.contains("`**/.npmrc` to .dockerignore"))
        let dotdir = Remediation.forFile(path: "app/.aws/credentials", layer: 1, step: step, fate: .present)
        #expect(dotdir.contains("`**/credentials`"))
        let plain = Remediation.forFile(path: "app/secrets/slack.json", layer: 1, step: step, fate: .present)
        #expect(plain.contains("`secrets/slack.json` to .dockerignore"))
    }

    @Test func runWrittenFilesGetASecretMount() {
        let step = BuildStep("|1 NPM_TOKEN=x /bin/sh -c echo \"//r/:_authToken=${NPM_TOKEN}\" > /root/.npmrc")
        let text = Remediation.forFile(path: "root/.npmrc", layer: 2, step: step, fate: .removed(layer: 6, how: .whiteout))
        #expect(text.contains("RUN --mount=type=secret,id=npmrc,target=/root/.npmrc"))
        #expect(text.contains("Deleting it in layer 6 did not remove it"))
    }

    @Test func configAndBuildArguments() {
        #expect(Remediation.forEnv(name: "API_KEY", fromBuildArgument: false).contains("Kubernetes Secret"))
        #expect(Remediation.forEnv(name: "API_KEY", fromBuildArgument: true).contains("env=API_KEY"))
        #expect(Remediation.forBuildArgument(name: "GITHUB_TOKEN").contains("--mount=type=secret,id=github_token,env=GITHUB_TOKEN"))
        #expect(Remediation.forConfigField("Labels[x]").contains("LABEL"))
    }
}
