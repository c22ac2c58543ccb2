import XCTest
@testable import AttrDB

/// `Capacity.groupsOf(_:by: .layer)` finds each layer's members and name in one pass over the
/// components: the same groups as a pass per layer gives, whatever order the layers come in.
final class CapacityGroupsTests: XCTestCase {
    func testLayersFoundInOnePassAreThoseOfAPassPerLayer() {
        var generator = SeededGenerator(seed: 3)
        let kinds: [ComponentKind] = [.neuron, .attnHead, .mlp]
        var components = [Component(label: "embed", layer: -1, kind: .embed), Component(label: "pos_embed", layer: 5, kind: .posEmbed),
                          Component(label: "bias", layer: 9, kind: .bias), Component(label: "pos", layer: -2, kind: .posEmbed)]
        components += (0..<300).map { i in
            Component(label: "c\(i)", layer: Int.random(in: 0..<7, using: &generator), kind: kinds[Int.random(in: 0..<3, using: &generator)])
        }
        components.shuffle(using: &generator)
        let groups = Capacity.groupsOf(components, by: .layer)
        let layers = Set(components.map(\.layer)).sorted()
        XCTAssertEqual(groups.map(\.key), layers.map { CapacityGroup.layer($0) })
        for (group, layer) in zip(groups, layers) {
            XCTAssertEqual(group.members, components.indices.filter { components[$0].layer == layer }, "layer \(layer)")
        }
        // Layers -1 and -2 would both read `embed`: they keep their numbers; 9 (only the bias) is `bias`.
        XCTAssertEqual(groups.map(\.name), layers.map { $0 == 9 ? "bias" : "layer \($0)" })
        XCTAssertEqual(groups.map(\.name), layers.map { layer in
            let name = Capacity.layerName(layer, in: components)
            return name == "embed" ? "layer \(layer)" : name
        })
    }
}
