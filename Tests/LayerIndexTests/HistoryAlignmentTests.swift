import Testing
@testable import LayerIndex

@Suite struct HistoryAlignmentTests {
    @Test func emptyLayerStepsMakeNoLayer() {
        var history = [
            HistoryStep(index: 0, createdBy: "ADD rootfs"),
            HistoryStep(index: 0, createdBy: "ARG TOKEN", emptyLayer: true),
            HistoryStep(index: 0, createdBy: "RUN a"),
            HistoryStep(index: 0, createdBy: "ENV X=1", emptyLayer: true),
            HistoryStep(index: 0, createdBy: "RUN b"),
        ]
        let perLayer = HistoryAlignment.align(history: &history, layerCount: 3)
        #expect(perLayer.map { $0?.createdBy } == ["ADD rootfs", "RUN a", "RUN b"])
        #expect(history.map(\.index) == [0, 1, 2, 3, 4])
        #expect(history.map(\.layerIndex) == [0, nil, 1, nil, 2])
    }

    @Test func squashedOrHandMadeImagesLeaveLayersUnmatched() {
        var short = [HistoryStep(index: 0, createdBy: "only step")]
        #expect(HistoryAlignment.align(history: &short, layerCount: 3).map { $0?.createdBy } == ["only step", nil, nil])
        var long = (0..<4).map { HistoryStep(index: 0, createdBy: "step \($0)") }
        #expect(HistoryAlignment.align(history: &long, layerCount: 2).map { $0?.createdBy } == ["step 0", "step 1"])
        #expect(long.map(\.layerIndex) == [0, 1, nil, nil])
        var none: [HistoryStep] = []
        #expect(HistoryAlignment.align(history: &none, layerCount: 2).allSatisfy { $0 == nil })
    }
}
