import TermGrid

/// Where each pane goes on a screen of a given size. 80×24 is the minimum that shows everything;
/// smaller screens still draw, with a note.
public struct Layout: Sendable, Equatable {
    public var layers: Rect
    public var details: Rect
    public var right: Rect
    public var status: Rect
    public var tooSmall: Bool

    /// `narrowLeft` gives the right column more room (the viewer shows whole lines).
    public init(width: Int, height: Int, narrowLeft: Bool = false) {
        let mainHeight = max(0, height - 1)
        let leftWidth = narrowLeft ? min(50, max(34, width * 30 / 100)) : min(70, max(34, width * 45 / 100))
        let detailsHeight = min(11, max(5, mainHeight / 3))
        layers = Rect(x: 0, y: 0, width: min(leftWidth, width), height: max(0, mainHeight - detailsHeight))
        details = Rect(x: 0, y: layers.maxY, width: layers.width, height: mainHeight - layers.height)
        right = Rect(x: layers.width, y: 0, width: max(0, width - layers.width), height: mainHeight)
        status = Rect(x: 0, y: mainHeight, width: width, height: height > 0 ? 1 : 0)
        tooSmall = width < 80 || height < 24
    }

    /// Rows available for list content inside a bordered pane.
    public static func listHeight(_ rect: Rect) -> Int { max(1, rect.height - 2) }
}
