/// Aligns `config.history` with layers: steps with `empty_layer` make no layer.
public enum HistoryAlignment {
    /// Sets `layerIndex` on each history step and returns, per layer, the step that made it.
    /// When the history has fewer non-empty steps than there are layers (squashed or
    /// hand-made images), the unmatched layers get nil.
    public static func align(history: inout [HistoryStep], layerCount: Int) -> [HistoryStep?] {
        var perLayer = [HistoryStep?](repeating: nil, count: layerCount)
        var next = 0
        for i in history.indices {
            history[i].index = i
            if history[i].emptyLayer {
                history[i].layerIndex = nil
                continue
            }
            if next < layerCount {
                history[i].layerIndex = next
                perLayer[next] = history[i]
            } else {
                history[i].layerIndex = nil
            }
            next += 1
        }
        return perLayer
    }
}
