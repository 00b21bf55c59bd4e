import Foundation
import ImageSource
import LayerIndex
import Testing

/// The one platform chooser, used by local indexes and registry manifest lists.
@Suite struct PlatformSelectorTests {
    func entry(_ platform: String?, _ n: Int, ref: String? = nil, annotations: [String: String]? = nil) -> ManifestCandidate {
        let p = platform.map { text -> OCIPlatform in
            let parts = text.split(separator: "/").map(String.init)
            return OCIPlatform(os: parts[0], architecture: parts[1], variant: parts.count > 2 ? parts[2] : nil)
        }
        let digest = Digest(hex: String(repeating: String(n), count: 64))
        return ManifestCandidate(descriptor: OCIDescriptor(mediaType: nil, digest: digest.description, size: 1, platform: p,
                                                           annotations: annotations),
                                 digest: digest, refName: ref, platform: p)
    }

    func pick(_ entries: [ManifestCandidate], _ platform: String?) throws -> Digest {
        try PlatformSelector.select(entries, tag: nil, platform: platform.map(PlatformRequest.parse), reference: "img").digest
    }

    @Test func choosesTheRequestedPlatform() throws {
        let entries = [entry("linux/amd64", 1), entry("linux/arm64", 2), entry("linux/arm/v7", 3)]
        #expect(try pick(entries, "linux/arm64") == entries[1].digest)
        #expect(try pick(entries, "linux/arm/v7") == entries[2].digest)
        #expect(try pick(entries, "linux/arm") == entries[2].digest)
    }

    @Test func architectureAliasesAndTheImpliedArm64Variant() throws {
        let plain = [entry("linux/amd64", 1), entry("linux/arm64", 2)]
        #expect(try pick(plain, "linux/x86_64") == plain[0].digest)
        #expect(try pick(plain, "aarch64") == plain[1].digest)
        // arm64 with no variant is arm64/v8, both ways round.
        #expect(try pick(plain, "linux/arm64/v8") == plain[1].digest)
        let explicit = [entry("linux/amd64", 1), entry("linux/arm64/v8", 2)]
        #expect(try pick(explicit, "linux/arm64") == explicit[1].digest)
        #expect(PlatformRequest(parsing: "Linux/X86_64")?.description == "linux/amd64")
        #expect(PlatformRequest(parsing: "linux//v7") == nil)
        #expect(throws: StrataError.self) { try PlatformRequest.parse("a/b/c/d") }
    }

    @Test func attestationsAndUnknownPlatformsAreNeverChosen() throws {
        let entries = [entry("linux/amd64", 1), entry("unknown/unknown", 2, annotations: ["vnd.docker.reference.type": "attestation-manifest"]),
                       entry("linux/arm64", 3), entry("unknown/unknown", 4)]
        #expect(try pick(entries, "linux/amd64") == entries[0].digest)
        let error = #expect(throws: StrataError.self) { try pick(entries, "linux/s390x") }
        #expect(error?.message.contains("unknown") == false)
        // An image plus its attestation is one image.
        #expect(try pick([entries[0], entries[1]], nil) == entries[0].digest)
    }

    @Test func noMatchListsTheChoices() throws {
        let entries = [entry("linux/amd64", 1), entry("linux/arm64", 2)]
        let error = #expect(throws: StrataError.self) { try pick(entries, "linux/s390x") }
        #expect(error?.message.contains("no manifest for linux/s390x") == true)
        #expect(error?.message.contains("linux/amd64, linux/arm64") == true)
    }

    @Test func ambiguityIsAnErrorListingTheChoices() throws {
        let entries = [entry("linux/arm/v6", 1), entry("linux/arm/v7", 2)]
        let error = #expect(throws: StrataError.self) { try pick(entries, "linux/arm") }
        #expect(error?.message.contains("linux/arm/v6, linux/arm/v7") == true)
        #expect(error?.message.contains("--platform") == true)
        // Without ref names (a registry list) there is no tag to choose by.
        #expect(error?.message.contains(":TAG") == false)
        let duplicates = [entry("linux/amd64", 1), entry("linux/amd64", 2)]
        let pinned = #expect(throws: StrataError.self) { try pick(duplicates, "linux/amd64") }
        #expect(pinned?.message.contains("pin one by digest") == true)
    }

    @Test func aSingleEntryWithoutPlatformIsTheImage() throws {
        let only = [entry(nil, 7)]
        #expect(try pick(only, nil) == only[0].digest)
    }
}
