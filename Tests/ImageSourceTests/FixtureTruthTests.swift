import Foundation
import Testing
import ImageSource
import LayerIndex
import TestSupport

/// Checks the index of every real fixture against its ground truth (`truth/NAME.truth.json`,
/// written by the generator that built the images with buildah).
@Suite struct FixtureTruthTests {
    struct Truth: Decodable {
        struct Layer: Decodable {
            var index: Int
            var diff_id: String
            var oci_digest: String
            var created_by: String
        }
        struct Occurrence: Decodable {
            var location: String
            var layer_index: Int?
            var path: String?
            var size: Int64?
            var status: String?
            var removed_by_layer_index: Int?
            var history_index: Int?
            var empty_layer: Bool?
        }
        struct Secret: Decodable {
            var id: String
            var occurrences: [Occurrence]
        }
        var image: String
        var layers: [Layer]
        var history_len: Int
        var oci_manifest_digest: String
        var oci_config_digest: String
        var secrets: [Secret]
        var negatives: [Secret]
    }

    static func truth(_ name: String) throws -> Truth {
        try JSONDecoder().decode(Truth.self, from: Data(contentsOf: Fixtures.truth(name)))
    }

    static func expectedFate(_ o: Truth.Occurrence) -> Fate? {
        switch o.status {
        case "present-in-final", "overwritten-by-copy-with-same-secret":
            // A copy-up with identical content (chmod) keeps the content in the final image.
            return .present
        case "deleted-whiteout": return .removed(layer: o.removed_by_layer_index!, how: .whiteout)
        case "deleted-parent-dir-whiteout": return .removed(layer: o.removed_by_layer_index!, how: .parentWhiteout)
        case "deleted-opaque-whiteout": return .removed(layer: o.removed_by_layer_index!, how: .opaque)
        case "overwritten": return .overwritten(layer: o.removed_by_layer_index!)
        default: return nil
        }
    }

    @Test(arguments: Fixtures.imageNames)
    func indexAgreesWithTruth(name: String) throws {
        let truth = try Self.truth(name)
        for reference in [Fixtures.dockerArchive(name), Fixtures.ociLayout(name)] {
            let image = try TestImages.index(reference)
            let isOCI = reference == Fixtures.ociLayout(name)
            #expect(image.errors.isEmpty)
            #expect(image.problems.isEmpty)
            #expect(image.info.layers.count == truth.layers.count)
            #expect(image.info.config.history.count == truth.history_len)
            for (layer, expected) in zip(image.info.layers, truth.layers) {
                #expect(layer.diffID.description == expected.diff_id)
                #expect(layer.createdBy == expected.created_by, "\(name) layer \(layer.index)")
                if isOCI { #expect(layer.digest.description == expected.oci_digest) }
            }
            if isOCI {
                #expect(image.info.manifestDigest?.description == truth.oci_manifest_digest)
                #expect(image.info.configDigest.description == truth.oci_config_digest)
                #expect(image.info.tags == ["dev"])
            } else {
                #expect(image.info.configDigest.description == truth.oci_config_digest)
            }
            let historyOnly = Set(image.stack.historyOnly().map { "\($0.layer):\($0.path)" })
            for secret in truth.secrets + truth.negatives {
                for o in secret.occurrences {
                    if o.location.hasPrefix("history:") {
                        // History alignment: the step made the layer the truth names.
                        let step = image.info.config.history[o.history_index!]
                        #expect(step.layerIndex == o.layer_index, "\(name) \(o.location)")
                        #expect(step.emptyLayer == (o.empty_layer ?? false))
                        continue
                    }
                    guard o.location == "layer", let rawPath = o.path, !rawPath.contains("!"), let li = o.layer_index else { continue }
                    let path = String(rawPath.drop(while: { $0 == "/" }))
                    let entry = image.entries(li)[path]
                    #expect(entry?.type == .file, "\(name) layer \(li) \(path)")
                    #expect(entry?.size == o.size)
                    let fate = image.stack.fate(of: path, inLayer: li)
                    #expect(fate == Self.expectedFate(o), "\(name) layer \(li) \(path): \(fate) vs \(o.status ?? "")")
                    #expect(historyOnly.contains("\(li):\(path)") == !fate.isPresent)
                }
            }
        }
    }

    @Test func deletedLaterLayerChangeSets() throws {
        let image = try TestImages.index(Fixtures.ociLayout("a-deleted-later-layer"))
        #expect(image.changes(6)["root/.npmrc"] == .removed)
        #expect(image.changes(7)["root/.ssh"] == .removed && image.changes(7)["opt/build"] == .removed)
        #expect(image.changes(2)["root/.npmrc"] == .added)
        let merged = Set(image.stack.merged(asOf: 7).map(\.entry.path))
        #expect(!merged.contains("root/.npmrc") && !merged.contains("root/.ssh/id_rsa") && !merged.contains("opt/build"))
        #expect(merged.contains("app/package.json") && merged.contains("bin/busybox"))
        let lineage = image.stack.lineage(of: "root/.npmrc").map { "\($0.layer):\($0.kind.rawValue)" }
        #expect(lineage == ["2:added", "6:removed"])
    }

    @Test func overwriteAndOpaqueChangeSets() throws {
        let image = try TestImages.index(Fixtures.dockerArchive("e-overwrite-opaque"))
        #expect(image.changes(5)["etc/myapp/config.yml"] == .modified)
        #expect(image.changes(6)["var/lib/myapp/creds"] == .opaque)
        #expect(image.changes(6)["var/lib/myapp/creds/README"] == .added)
        let opaque = image.stack.changes[6].first { $0.kind == .opaque }
        #expect(opaque?.hiddenCount == 2)
        let history = image.stack.historyOnly().map { "\($0.layer):\($0.path):\($0.reason):\($0.removedInLayer)" }
        #expect(history == ["1:etc/myapp/config.yml:overwritten:5",
                            "3:var/lib/myapp/creds/aws.json:removed:6",
                            "3:var/lib/myapp/creds/slack.token:removed:6"])
    }

    @Test func sameLayerDeleteLeavesNothingBehind() throws {
        let image = try TestImages.index(Fixtures.ociLayout("b-same-layer-delete"))
        let everything = Set(image.results.flatMap { $0.contents.entries.map(\.path) })
        #expect(!everything.contains("tmp/gh_token") && !everything.contains("root/.npmrc"))
        #expect(image.stack.historyOnly().isEmpty)
    }
}
