import Detection
import Foundation
import LayerIndex
import Testing
@testable import Scanner

@Suite struct FindingsBuilderTests {
    static func descriptor(_ i: Int, _ createdBy: String) -> LayerDescriptor {
        LayerDescriptor(index: i, digest: Digest(hex: String(repeating: String(i), count: 64)),
                        diffID: Digest(hex: String(repeating: String(i + 1), count: 64)), size: 1,
                        mediaType: "application/vnd.oci.image.layer.v1.tar+gzip", compression: .gzip, createdBy: createdBy)
    }

    static func file(_ path: String, _ sha: String) -> Entry { Entry(path: path, type: .file, size: 10, sha256: sha) }
    static func whiteout(_ path: String, _ kind: Whiteout) -> Entry { Entry(path: path, type: .other, whiteout: kind) }

    /// Layer 0 writes four files; layer 1 deletes one and rewrites one; layer 2 makes a directory
    /// opaque; layer 3 copies one file up again unchanged (chmod).
    static func image() -> (ImageInfo, LayerStack) {
        let steps = [
            "/bin/sh -c #(nop) COPY dir:abc in /app/ ",
            "|1 TOKEN=x /bin/sh -c rm /app/.npmrc && sed -i s/a/b/ /app/config.yml",
            "/bin/sh -c rm -rf /app/creds && mkdir /app/creds",
            "/bin/sh -c chmod 600 /app/.env",
        ]
        let layers = [
            LayerContents(layer: descriptor(0, steps[0]), entries: [
                Entry(path: "app", type: .dir), file("app/.npmrc", "a"), file("app/config.yml", "b"), Entry(path: "app/creds", type: .dir),
                file("app/creds/key.pem", "c"), file("app/.env", "d"),
            ]),
            LayerContents(layer: descriptor(1, steps[1]), entries: [whiteout("app/.npmrc", .removal), file("app/config.yml", "b2")]),
            LayerContents(layer: descriptor(2, steps[2]), entries: [Entry(path: "app/creds", type: .dir), whiteout("app/creds", .opaque)]),
            LayerContents(layer: descriptor(3, steps[3]), entries: [Entry(path: "app/.env", type: .file, mode: 0o600, size: 10, sha256: "d")]),
        ]
        let info = ImageInfo(reference: "test", format: "oci", manifestDigest: nil, configDigest: Digest(hex: String(repeating: "f", count: 64)),
                             config: ImageConfig(), layers: layers.map(\.layer))
        return (info, LayerStack(layers: layers))
    }

    static func fileMatch(_ layer: Int, _ path: String, _ secret: String) -> FileMatch {
        FileMatch(layer: layer, path: path, match: FindingsTestMatcher.match(rule: "github-pat", secret: secret, severity: .high, in: nil, start: 0))
    }

    @Test func statusesFollowTheStack() {
        let (info, stack) = Self.image()
        let matches = [
            Self.fileMatch(0, "app/.npmrc", FakeSecrets.npm),
            Self.fileMatch(0, "app/config.yml", "password1"),
            Self.fileMatch(0, "app/creds/key.pem", "pem"),
            Self.fileMatch(0, "app/.env", FakeSecrets.github),
            Self.fileMatch(3, "app/.env", FakeSecrets.github),
            Self.fileMatch(1, "app/config.yml", "password2"),
        ]
        let findings = FindingBuilder.build(image: info, stack: stack, layerMatches: matches, configFindings: [])
        let summary = findings.map { "\($0.location.layer!) \($0.location.path!) \($0.status.rawValue) \($0.removedInLayer.map(String.init) ?? "-")" }
        #expect(summary == [
            "0 app/.env overwritten 3",
            "0 app/.npmrc removed 1",
            "0 app/config.yml overwritten 1",
            "0 app/creds/key.pem removed 2",
            "1 app/config.yml present -",
            "3 app/.env present -",
        ])
        let npmrc = findings.first { $0.location.path == "app/.npmrc" }!
        #expect(npmrc.introducedBy == "/bin/sh -c #(nop) COPY dir:abc in /app/ ")
        #expect(npmrc.remediation.contains("`.npmrc` to .dockerignore"))
        #expect(npmrc.location.layerDigest == info.layers[0].diffID)
        let sed = findings.first { $0.location.layer == 1 }!
        #expect(sed.remediation.contains("RUN --mount=type=secret"))
    }

    @Test func archiveMembersTakeTheArchiveFate() {
        let (info, stack) = Self.image()
        let findings = FindingBuilder.build(image: info, stack: stack, layerMatches: [Self.fileMatch(0, "app/.npmrc!inner/x", "abc")], configFindings: [])
        #expect(findings.first?.status == .removed)
        #expect(findings.first?.location.path == "app/.npmrc!inner/x")
    }

    @Test func orderIsDeterministicAndDuplicatesCollapse() {
        let (info, stack) = Self.image()
        let matches = [Self.fileMatch(0, "app/.env", "s1"), Self.fileMatch(0, "app/.npmrc", "s2"), Self.fileMatch(0, "app/.env", "s1")]
        let a = FindingBuilder.build(image: info, stack: stack, layerMatches: matches, configFindings: [])
        let b = FindingBuilder.build(image: info, stack: stack, layerMatches: matches.reversed(), configFindings: [])
        #expect(a == b)
        #expect(a.count == 2)
    }
}

@Suite struct FindingsDocumentationTests {
    @Test func contextualMatchesInDocumentationAreLowered() {
        var generic = FindingsTestMatcher.match(rule: "generic-password-directive", secret: "\\fIstring\\fR", severity: .high, in: nil, start: 0)
        generic.kind = "generic_password"
        let token = FindingsTestMatcher.match(rule: "github-pat", secret: FakeSecrets.github, severity: .critical, in: nil, start: 0)
        let man = "usr/share/man/man5/apt_auth.conf.5.gz"
        #expect(DocumentationPaths.adjust(generic, path: man).severity == .low)
        #expect(DocumentationPaths.adjust(generic, path: man).notes["lowered"] == "documentation path")
        #expect(DocumentationPaths.adjust(token, path: man).severity == .critical)
        #expect(DocumentationPaths.adjust(generic, path: "etc/apt/auth.conf").severity == .high)
        #expect(!DocumentationPaths.isDocumentation("app/usr/share/man/x"))
    }
}
