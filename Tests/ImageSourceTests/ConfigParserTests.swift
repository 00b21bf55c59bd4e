import Testing
@testable import ImageSource
import LayerIndex

@Suite struct ConfigParserTests {
    @Test func parsesDockerAndOCIConfigsWithNulls() throws {
        let json = #"""
        {"architecture":"arm64","os":"linux","variant":"v8","created":"2024-01-01T00:00:00Z",
         "config":{"Env":["A=1","TOKEN=x"],"Labels":null,"Cmd":null,"Entrypoint":["/run"],"User":"app","WorkingDir":"/srv"},
         "rootfs":{"type":"layers","diff_ids":["sha256:\#(String(repeating: "a", count: 64))"]},
         "history":[{"created_by":"ADD x /"},{"created_by":"ENV A=1","empty_layer":true,"comment":"c","author":"me"}]}
        """#
        let c = try ConfigParser.parse(Array(json.utf8))
        #expect(c.platform == "linux/arm64/v8")
        #expect(c.env == ["A=1", "TOKEN=x"] && c.labels.isEmpty && c.cmd == nil && c.entrypoint == ["/run"])
        #expect(c.user == "app" && c.workingDir == "/srv")
        #expect(c.diffIDs.count == 1 && c.history.count == 2)
        #expect(c.history[1].emptyLayer && c.history[1].comment == "c" && c.history[1].author == "me")
    }

    @Test func rejectsWhatIsNotAConfig() {
        let noRootfs = #expect(throws: StrataError.self) { try ConfigParser.parse(Array(#"{"schemaVersion":2}"#.utf8), what: "config abc") }
        #expect(noRootfs?.message == "config abc is not an image config: it has no rootfs")
        let badDigest = #expect(throws: StrataError.self) {
            try ConfigParser.parse(Array(#"{"rootfs":{"diff_ids":["md5:zz"]}}"#.utf8))
        }
        #expect(badDigest?.message.contains("invalid diff_id") == true)
        #expect(throws: StrataError.self) { try ConfigParser.parse(Array("[]".utf8)) }
    }
}
