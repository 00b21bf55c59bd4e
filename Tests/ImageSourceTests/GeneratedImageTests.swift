import Foundation
import Testing
@testable import ImageSource
import LayerIndex
import TestSupport

/// A four-layer image with every edge the index must get right.
func edgeCaseSpec(compression: LayerCompression = .gzip) -> ImageSpec {
    let longName = "srv/" + (0..<12).map { "deep-directory-\($0)" }.joined(separator: "/") + "/credentials.json"
    return ImageSpec(layers: [
        LayerSpec([.dir("etc"), .file("etc/config.ini", "password=one"), .dir("opt"), .dir("opt/build"),
                   .file("opt/build/token", "glpat-aaaaaaaaaaaaaaaaaaaa"), .dir("var"), .dir("var/creds"),
                   .file("var/creds/aws", "AKIA"), .file("var/creds/keep", "same")],
                  compression: compression, createdBy: "/bin/sh -c #(nop) ADD rootfs /"),
        LayerSpec([.dir("root"), .file("root/.npmrc", "_authToken=npm_x"), .hardlink("root/npmrc.bak", to: "root/.npmrc"),
                   .file(longName, "{\"key\":1}")],
                  compression: compression, createdBy: "|1 NPM_TOKEN=npm_x /bin/sh -c echo > /root/.npmrc", longNames: .gnu),
        LayerSpec([.whiteout("root/.npmrc"), .whiteout("opt/build"), .file("etc/config.ini", "password=${PW}")],
                  compression: compression, createdBy: "/bin/sh -c rm -rf /root/.npmrc /opt/build && sed -i …"),
        LayerSpec([.dir("var/creds"), .opaque("var/creds"), .file("var/creds/keep", "same"), .file("var/creds/README", "runtime")],
                  compression: compression, createdBy: "/bin/sh -c rm -rf /var/creds && mkdir /var/creds"),
    ], config: ConfigSpec(env: ["PATH=/bin", "MODE=prod"], labels: ["team": "a"], history: [
        HistorySpec("/bin/sh -c #(nop) ADD rootfs /"),
        HistorySpec("/bin/sh -c #(nop) ARG NPM_TOKEN", emptyLayer: true),
        HistorySpec("|1 NPM_TOKEN=npm_x /bin/sh -c echo > /root/.npmrc"),
        HistorySpec("/bin/sh -c rm -rf /root/.npmrc /opt/build && sed -i …"),
        HistorySpec("/bin/sh -c #(nop) ENV MODE=prod", emptyLayer: true),
        HistorySpec("/bin/sh -c rm -rf /var/creds && mkdir /var/creds"),
        HistorySpec("/bin/sh -c #(nop) CMD [\"/bin/sh\"]", emptyLayer: true),
    ]))
}

@Suite struct GeneratedImageTests {
    @Test(arguments: TestImageFormat.allCases)
    func everyFormatGivesTheSameIndex(format: TestImageFormat) throws {
        let dir = TemporaryDirectory()
        let reference = try TestImages.write(edgeCaseSpec(), as: format, in: dir)
        let image = try TestImages.index(reference)
        let baseline = try TestImages.index(try TestImages.write(edgeCaseSpec(), as: .ociLayout, in: dir, name: "baseline"))
        #expect(image.errors.isEmpty, "\(image.errors)")
        #expect(image.results.map(\.contents.entries) == baseline.results.map(\.contents.entries))
        #expect(image.stack.changes == baseline.stack.changes)
        #expect(image.info.layers.map(\.diffID) == baseline.info.layers.map(\.diffID))
        #expect(image.info.layers.map(\.createdBy) == baseline.info.layers.map(\.createdBy))
    }

    @Test func changeSetsWhiteoutsOpaqueDirsAndHistory() throws {
        let dir = TemporaryDirectory()
        let image = try TestImages.index(try TestImages.write(edgeCaseSpec(), as: .ociLayout, in: dir))
        let s = image.stack
        // History alignment: empty-layer steps are skipped.
        #expect(image.info.layers.map(\.historyIndex) == [0, 2, 3, 5])
        #expect(image.info.config.history.filter(\.emptyLayer).map(\.layerIndex) == [nil, nil, nil])
        #expect(image.info.config.env == ["PATH=/bin", "MODE=prod"] && image.info.config.labels == ["team": "a"])
        // Layer 1: GNU long name and a hard link.
        let l1 = image.entries(1)
        let longName = l1.keys.first { $0.hasSuffix("credentials.json") }!
        #expect(longName.utf8.count > 200)
        #expect(l1["root/npmrc.bak"]?.type == .hardlink && l1["root/npmrc.bak"]?.sha256 == l1["root/.npmrc"]?.sha256)
        // Layer 2: file whiteout, directory whiteout, overwrite.
        #expect(image.changes(2) == ["root/.npmrc": .removed, "opt/build": .removed, "etc/config.ini": .modified])
        #expect(s.changes[2].first { $0.path == "opt/build" }?.hiddenCount == 2)
        // Layer 3: opaque dir; `keep` is re-added with the same content: not a change.
        #expect(image.changes(3) == ["var/creds": .opaque, "var/creds/README": .added])
        // The final filesystem and what lives only in history.
        let final = Set(s.merged(asOf: 3).map(\.entry.path))
        #expect(!final.contains("root/.npmrc") && !final.contains("opt/build/token") && !final.contains("var/creds/aws"))
        #expect(final.contains("root/npmrc.bak") && final.contains("var/creds/keep"))
        let history = Dictionary(uniqueKeysWithValues: s.historyOnly().map { ("\($0.layer):\($0.path)", $0) })
        #expect(history["1:root/.npmrc"]?.removedInLayer == 2 && history["1:root/.npmrc"]?.reason == "removed")
        #expect(history["0:opt/build/token"]?.fate == .removed(layer: 2, how: .parentWhiteout))
        #expect(history["0:etc/config.ini"]?.reason == "overwritten")
        #expect(history["0:var/creds/aws"]?.fate == .removed(layer: 3, how: .opaque))
        #expect(history["0:var/creds/keep"] == nil)
    }

    @Test func zstdAndUncompressedLayers() throws {
        let dir = TemporaryDirectory()
        for compression in [LayerCompression.zstd, .none] {
            let image = try TestImages.index(try TestImages.write(edgeCaseSpec(compression: compression), as: .ociLayout, in: dir,
                                                                  name: compression.rawValue))
            #expect(image.errors.isEmpty)
            #expect(image.info.layers.allSatisfy { $0.compression == compression })
            #expect(image.changes(2)["root/.npmrc"] == .removed)
        }
    }

    @Test func multiPlatformIndexSelectionAndAmbiguity() throws {
        let dir = TemporaryDirectory()
        func spec(_ arch: String, _ variant: String? = nil) -> ImageSpec {
            ImageSpec(layers: [LayerSpec([.file("arch", arch + (variant ?? ""))])],
                      config: ConfigSpec(architecture: arch, variant: variant))
        }
        let specs = [spec("amd64"), spec("arm64", "v8"), spec("arm", "v7"), spec("arm", "v6")]
        for nested in [true, false] {
            let path = dir.file("multi-\(nested)").path
            try ImageWriter.writeOCILayout([.multiPlatform(specs, refName: "v1", nested: nested)], to: path)
            /// The platform picked and the content of its `arch` file (as a digest).
            func pick(_ platform: String?) throws -> String {
                let image = try TestImages.index(path, options: SourceOptions(platform: platform))
                let content = image.entries(0)["arch"]?.sha256 ?? "-"
                return image.info.platform + "=" + content
            }
            func expected(_ platform: String, _ content: String) -> String {
                platform + "=" + SHA256Hasher.hex(of: Array(content.utf8))
            }
            #expect(try pick("linux/arm64") == expected("linux/arm64/v8", "arm64v8"))
            #expect(try pick("linux/arm/v6") == expected("linux/arm/v6", "armv6"))
            if PlatformRequest.host.architecture == "amd64" {
                #expect(try pick(nil) == expected("linux/amd64", "amd64"))
            }
            let ambiguous = #expect(throws: StrataError.self) { try ImageSources.open(path, options: SourceOptions(platform: "linux/arm")) }
            #expect(ambiguous?.message.contains("linux/arm/v7") == true && ambiguous?.message.contains("linux/arm/v6") == true)
            let missing = #expect(throws: StrataError.self) { try ImageSources.open(path, options: SourceOptions(platform: "linux/s390x")) }
            #expect(missing?.message.contains("no manifest for linux/s390x") == true)
            #expect(missing?.message.contains("linux/amd64, linux/arm64/v8, linux/arm/v7, linux/arm/v6") == true)
        }
        // Also from an OCI archive, by tag.
        let archive = dir.file("multi.tar").path
        try ImageWriter.writeOCIArchive([.multiPlatform(specs, refName: "v1", nested: true)], to: archive)
        let image = try TestImages.index("oci-archive:" + archive + ":v1", options: SourceOptions(platform: "linux/arm/v7"))
        #expect(image.info.platform == "linux/arm/v7" && image.info.format == "oci-archive")
    }

    @Test func tagSelectsByRefName() throws {
        let dir = TemporaryDirectory()
        let path = dir.file("tags").path
        let a = ImageSpec(layers: [LayerSpec([.file("which", "a")])])
        let b = ImageSpec(layers: [LayerSpec([.file("which", "b")]), LayerSpec([.file("more", "b")])])
        try ImageWriter.writeOCILayout([.image(a, refName: "stable"), .image(b, refName: "edge")], to: path)
        #expect(try TestImages.index(path + ":edge").info.layers.count == 2)
        #expect(try TestImages.index("oci:" + path + ":stable").info.layers.count == 1)
        #expect(try TestImages.index("oci:" + path + ":stable").info.tags == ["stable"])
        let ambiguous = #expect(throws: StrataError.self) { try ImageSources.open(path) }
        #expect(ambiguous?.message.contains(":stable") == true && ambiguous?.message.contains(":edge") == true)
        let unknown = #expect(throws: StrataError.self) { try ImageSources.open(path + ":nope") }
        #expect(unknown?.message.contains("tags: edge, stable") == true)
    }

    @Test func wrongBlobDigestNamesTheBlobAndNoVerifyReadsOn() throws {
        let dir = TemporaryDirectory()
        let path = try TestImages.write(edgeCaseSpec(compression: .none), as: .ociLayout, in: dir)
        let layer = try ImageSources.open(path).loadInfo().layers[1]
        // Flip one byte of the layer blob (inside a file's content, so the tar stays valid).
        let blob = DirectoryBlobStore(root: path).path(of: layer.digest)
        var bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: blob)))
        bytes[512 * 2 + 1] ^= 0x01
        try Data(bytes).write(to: URL(fileURLWithPath: blob))
        let image = try TestImages.index(path)
        #expect(image.results[1].error?.message.contains("layer blob digest mismatch") == true)
        #expect(image.results[1].error?.layer == 1 && image.results[1].error?.layerDigest == layer.digest)
        #expect(image.results[1].error?.description.contains(layer.digest.short) == true)
        #expect(image.results[1].contents.entries.count == 4)  // entries read before the check are kept
        #expect(image.results.filter { $0.error == nil }.count == 3)
        #expect(try TestImages.index(path, options: SourceOptions(verify: false)).errors.isEmpty)
    }

    @Test func wrongDiffIDIsReported() throws {
        let dir = TemporaryDirectory()
        var spec = edgeCaseSpec()
        spec.layers[2].diffIDOverride = Digest(hex: String(repeating: "d", count: 64))
        for format in [TestImageFormat.ociLayout, .dockerArchive] {
            let image = try TestImages.index(try TestImages.write(spec, as: format, in: dir, name: "diff-\(format)"))
            #expect(image.errors.count == 1)
            #expect(image.results[2].error?.message.contains("uncompressed layer (diff_id) digest mismatch") == true)
            #expect(image.results[2].error?.message.contains("expected sha256:dddd") == true)
        }
    }

    @Test func truncatedGzipLayerKeepsOtherLayers() throws {
        let dir = TemporaryDirectory()
        let path = try TestImages.write(edgeCaseSpec(), as: .ociLayout, in: dir)
        let layer = try ImageSources.open(path).loadInfo().layers[0]
        let blob = DirectoryBlobStore(root: path).path(of: layer.digest)
        let bytes = try Data(contentsOf: URL(fileURLWithPath: blob))
        try bytes.prefix(bytes.count / 2).write(to: URL(fileURLWithPath: blob))
        let image = try TestImages.index(path, options: SourceOptions(verify: false))
        #expect(image.errors.count == 1)
        #expect(image.results[0].error?.message.contains("truncated") == true)
        #expect(image.results[1...].allSatisfy { $0.error == nil })
    }

    @Test func corruptTarHeaderInALayer() throws {
        let dir = TemporaryDirectory()
        var tar = TarWriter.archive([.file("a", "1"), .file("b", "2"), .file("c", "3")])
        tar[1024 + 3] ^= 0x40
        let spec = ImageSpec(layers: [LayerSpec([.file("ok", "fine")]), LayerSpec(rawTar: tar, createdBy: "bad")])
        let image = try TestImages.index(try TestImages.write(spec, as: .dockerArchive, in: dir))
        #expect(image.results[0].error == nil)
        #expect(image.results[1].error?.message.contains("corrupt tar header at offset 1024") == true)
        #expect(image.results[1].contents.entries.map(\.path) == ["a"])
    }

    @Test func missingBlobIsAClearError() throws {
        let dir = TemporaryDirectory()
        let path = try TestImages.write(edgeCaseSpec(), as: .ociLayout, in: dir)
        let info = try ImageSources.open(path).loadInfo()
        try FileManager.default.removeItem(atPath: DirectoryBlobStore(root: path).path(of: info.layers[3].digest))
        let image = try TestImages.index(path)
        #expect(image.results[3].error?.message.hasPrefix("missing blob \(info.layers[3].digest)") == true)
        #expect(image.results[3].error?.image == path)
        try FileManager.default.removeItem(atPath: DirectoryBlobStore(root: path).path(of: info.configDigest))
        let config = #expect(throws: StrataError.self) { try ImageSources.open(path) }
        #expect(config?.message.contains("missing blob") == true)
    }

    @Test func jsonThatIsNotAManifest() throws {
        let dir = TemporaryDirectory()
        let path = dir.file("notimage").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        try Data(#"{"hello":"world"}"#.utf8).write(to: URL(fileURLWithPath: path + "/index.json"))
        let error = #expect(throws: StrataError.self) { try ImageSources.open(path) }
        #expect(error?.message.contains("not an image manifest or index") == true)
        try Data("[1,2".utf8).write(to: URL(fileURLWithPath: path + "/index.json"))
        #expect(throws: StrataError.self) { try ImageSources.open(path) }
        let jsonFile = dir.file("manifest.json")
        try Data(#"{"schemaVersion":2}"#.utf8).write(to: jsonFile)
        let file = #expect(throws: StrataError.self) { try ImageSources.open(jsonFile.path) }
        #expect(file?.message.contains("JSON file, not an image") == true)
        // A manifest whose config is not a config.
        let spec = ImageSpec(layers: [LayerSpec([.file("a", "1")])])
        let layout = try TestImages.write(spec, as: .ociLayout, in: dir, name: "badconfig")
        let info = try ImageSources.open(layout).loadInfo()
        let configPath = DirectoryBlobStore(root: layout).path(of: info.configDigest)
        try Data(#"{"not":"a config"}"#.utf8).write(to: URL(fileURLWithPath: configPath))
        let config = #expect(throws: StrataError.self) { try ImageSources.open(layout, options: SourceOptions(verify: false)) }
        #expect(config?.message.contains("is not an image config") == true)
    }

    @Test func referencesAndAutoDetection() throws {
        let dir = TemporaryDirectory()
        #expect(ImageSources.isLocal("docker-archive:/nonexistent.tar"))
        #expect(!ImageSources.isLocal("docker://alpine:3"))
        #expect(!ImageSources.isLocal("alpine:3"))
        let registry = #expect(throws: StrataError.self) { try ImageSources.open("docker://alpine:3") }
        #expect(registry?.message.contains("registry reference") == true)
        let missing = #expect(throws: StrataError.self) { try ImageSources.open(dir.file("nope.tar").path) }
        #expect(missing?.message == "no such file or directory")
        let notTar = dir.file("random.bin")
        try Data((0..<2048).map { UInt8(truncatingIfNeeded: $0 &* 97 &+ 5) }).write(to: notTar)
        let bad = #expect(throws: StrataError.self) { try ImageSources.open(notTar.path) }
        #expect(bad?.message.contains("not an image archive") == true)
    }
}

@Suite struct RobustnessTests {
    @Test func dockerArchiveWithOCILayoutInside() throws {
        let dir = TemporaryDirectory()
        let path = try TestImages.write(edgeCaseSpec(), as: .dockerArchiveOCI, in: dir)
        #expect(try ImageSources.open(path).loadInfo().format == "docker-archive")
        let asOCI = try TestImages.index("oci-archive:" + path)
        #expect(asOCI.info.format == "docker-archive" && asOCI.errors.isEmpty)
        #expect(asOCI.info.tags == ["test/image:latest"])
    }

    /// Corrupted and truncated layers never crash or hang: each gives entries and/or one error.
    @Test func corruptionAnywhereIsContained() throws {
        let entries: [TarWriterEntry] = [.dir("a"), .file("a/one", String(repeating: "1", count: 3000)),
                                         .file(String(repeating: "long/", count: 40) + "name", "x"),
                                         .symlink("a/l", to: "/x"), .whiteout("a/gone"), .file("a/two", "2")]
        let tar = TarWriter.archive(entries)
        var generator = SystemRandomNumberGenerator()
        for kind in [LayerCompression.none, .gzip, .zstd] {
            let blob = Compression.compress(tar, kind)
            var cases: [[UInt8]] = stride(from: 0, to: blob.count, by: max(1, blob.count / 60)).map { Array(blob.prefix($0)) }
            for _ in 0..<60 {
                var copy = blob
                let at = Int.random(in: 0..<copy.count, using: &generator)
                copy[at] ^= UInt8.random(in: 1...255, using: &generator)
                cases.append(copy)
            }
            for bytes in cases {
                let layer = LayerDescriptor(index: 0, digest: Digest(hex: SHA256Hasher.hex(of: bytes)),
                                            diffID: Digest(hex: SHA256Hasher.hex(of: tar)), size: Int64(bytes.count),
                                            mediaType: MediaTypes.ociLayer, compression: kind)
                do {
                    let (stream, _) = try Decompression.decompress(MemoryByteStream(bytes), name: "fuzz")
                    let contents = try LayerIndexer().index(stream: DigestingStream(stream, expected: layer.diffID), layer: layer)
                    #expect(contents.entries.count <= entries.count + 1)
                } catch let error as LayerReadError {
                    #expect(!error.description.isEmpty && !error.description.contains("\n"))
                } catch let error as StrataError {
                    #expect(!error.description.isEmpty)
                }
            }
        }
    }
}

@Suite struct DockerArchiveTagTests {
    @Test func severalImagesInOneArchiveArePickedByTag() throws {
        let dir = TemporaryDirectory()
        let path = dir.file("two.tar").path
        let base = LayerSpec([.dir("etc"), .file("etc/os", "base")])
        let app = ImageSpec(layers: [base, LayerSpec([.file("app", "1")])])
        let tool = ImageSpec(layers: [base, LayerSpec([.file("tool", "2")]), LayerSpec([.file("more", "3")])])
        try ImageWriter.writeDockerArchive(images: [(app, ["corp/app:1.0"]), (tool, ["corp/tool:2.0", "corp/tool:latest"])], to: path)
        #expect(try TestImages.index(path + ":corp/app:1.0").info.layers.count == 2)
        #expect(try TestImages.index("docker-archive:" + path + ":latest").info.layers.count == 3)
        #expect(try TestImages.index(path + ":tool:2.0").results.allSatisfy { $0.error == nil })
        let ambiguous = #expect(throws: StrataError.self) { try ImageSources.open(path) }
        #expect(ambiguous?.message == "the archive holds 2 images; choose one with :TAG (corp/app:1.0, corp/tool:2.0)")
        let unknown = #expect(throws: StrataError.self) { try ImageSources.open(path + ":nope") }
        #expect(unknown?.message.contains("no image tagged nope") == true)
    }
}

@Suite struct DamagedArchiveTests {
    @Test func truncatedArchiveKeepsWhatIsBeforeTheDamage() throws {
        let dir = TemporaryDirectory()
        // OCI archive: index.json and the small blobs come first, the big layer blob last.
        let big = (0..<400_000).map { UInt8(truncatingIfNeeded: $0 &* 2654435761 >> 13) }
        let spec = ImageSpec(layers: [LayerSpec([.file("a", "1")]), LayerSpec([.file("big", bytes: big)], compression: .none)])
        let path = dir.file("cut.tar").path
        try ImageWriter.writeOCIArchive([.image(spec, refName: "x")], to: path)
        let whole = try Data(contentsOf: URL(fileURLWithPath: path))
        let files = ImageWriter.ociLayoutFiles([.image(spec, refName: "x")]).map(\.0)
        // Cut inside the big layer blob (layers are written last).
        try whole.prefix(whole.count - 200_000).write(to: URL(fileURLWithPath: path))
        #expect(!ImageWriter.ociLayoutFiles([.image(spec, refName: "x")]).last!.1.isEmpty)
        #expect(files.contains("index.json"))
        // index.json comes before the blobs, so the image opens; the cut layer fails alone.
        #expect(files.prefix(2) == ["oci-layout", "index.json"])
        let image = try TestImages.index(path)
        let bigLayer = try #require(image.info.layers.firstIndex { $0.size > 400_000 })
        for result in image.results {
            if let error = result.error {
                #expect(error.description.contains("byte range") || error.description.contains("missing blob"), "\(error)")
            }
        }
        #expect(image.results[bigLayer].error != nil)
        #expect(image.results[1 - bigLayer].error == nil)
        // A docker-archive writes manifest.json last: cutting it off is a clear one-line error.
        let docker = dir.file("cut-docker.tar").path
        try ImageWriter.writeDockerArchive(spec, to: docker)
        let bytes = try Data(contentsOf: URL(fileURLWithPath: docker))
        try bytes.prefix(bytes.count / 2).write(to: URL(fileURLWithPath: docker))
        let error = #expect(throws: StrataError.self) { try ImageSources.open(docker) }
        #expect(error?.message.hasPrefix("the archive is damaged (tar stream is truncated") == true)
    }
}

@Suite struct DockerArchiveConfigDigestTests {
    @Test func configWhoseNameIsNotItsDigestIsRefused() throws {
        let dir = TemporaryDirectory()
        let spec = ImageSpec(layers: [LayerSpec([.file("a", "1")], compression: .none)])
        let image = ImageWriter.build(spec)
        let wrong = String(repeating: "e", count: 64)
        let layerName = "\(image.layers[0].diffID.hex).tar"
        let manifest = #"[{"Config":"\#(wrong).json","RepoTags":["t:1"],"Layers":["\#(layerName)"]}]"#
        let tar = TarWriter.archive([.file(layerName, bytes: image.layers[0].tar), .file("\(wrong).json", bytes: image.config),
                                     .file("manifest.json", manifest)])
        let path = dir.file("img.tar").path
        try Data(tar).write(to: URL(fileURLWithPath: path))
        let error = #expect(throws: StrataError.self) { try ImageSources.open(path) }
        #expect(error?.message.hasPrefix("config \(wrong).json digest mismatch: content hashes to \(image.configDigest)") == true)
        #expect(try TestImages.index(path, options: SourceOptions(verify: false)).errors.isEmpty)
    }
}
