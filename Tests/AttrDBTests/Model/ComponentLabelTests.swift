import XCTest
@testable import AttrDB

final class ComponentLabelTests: XCTestCase {
    func testTransformerLensLabelsParse() {
        XCTAssertEqual(Component.parse(label: "embed"), Component(label: "embed", layer: -1, kind: .embed))
        XCTAssertEqual(Component.parse(label: "pos_embed"), Component(label: "pos_embed", layer: -1, kind: .posEmbed))
        XCTAssertEqual(Component.parse(label: "L3H5"), Component(label: "L3H5", layer: 3, kind: .attnHead, index: 5))
        XCTAssertEqual(Component.parse(label: "11_mlp_out"), Component(label: "11_mlp_out", layer: 11, kind: .mlp))
        XCTAssertEqual(Component.parse(label: "L1N234"), Component(label: "L1N234", layer: 1, kind: .neuron, index: 234))
        XCTAssertEqual(Component.parse(label: "bias", layerCount: 2), Component(label: "bias", layer: 2, kind: .bias))
    }

    func testOtherLabelsDoNotParse() {
        for label in ["", "L", "LH3", "L3H", "L3X5", "Lx3H5", "mlp_out", "-1_mlp_out", "L-1H2", "head", "L٣H5"] {
            XCTAssertNil(Component.parse(label: label), label)
        }
    }

    func testBiasSitsOnePastTheDeepestLayer() {
        let parsed = Component.parse(labels: ["L0H0", "L1H0", "1_mlp_out", "embed", "bias"])
        XCTAssertEqual(parsed.last??.layer, 2)
    }
}
