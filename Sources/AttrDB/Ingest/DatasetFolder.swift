import Foundation

/// A dataset folder as a Python experiment writes it: `attributions.npy` and `axes.json`, and when
/// present `losses.csv`, `resid_norms.csv` and `wov_norms.csv`.
struct DatasetFolder: AttributionSource {
    let axes: Axes
    let array: NPYArray
    let statistics: Statistics

    static func open(_ folder: String, array arrayPath: String? = nil) throws -> DatasetFolder {
        let base = URL(fileURLWithPath: folder)
        let axesPath = base.appendingPathComponent("axes.json").path
        guard let data = FileManager.default.contents(atPath: axesPath) else {
            throw IngestError(file: axesPath, message: "missing: a dataset folder needs axes.json beside attributions.npy")
        }
        let axes = try Axes.parse(data, file: axesPath)
        let npyPath = arrayPath ?? base.appendingPathComponent("attributions.npy").path
        guard FileManager.default.fileExists(atPath: npyPath) else {
            throw IngestError(file: npyPath, message: "missing: a dataset folder needs attributions.npy")
        }
        let array = try NPYArray(path: npyPath)
        try NPZSource.check(array, against: axes, arrayName: npyPath, axesName: axesPath)
        var statistics = Statistics()
        let optional = { (name: String) -> String? in
            let path = base.appendingPathComponent(name).path
            return FileManager.default.fileExists(atPath: path) ? path : nil
        }
        if let path = optional("losses.csv") { statistics.losses = try StatisticsReader.losses(path: path) }
        if let path = optional("resid_norms.csv") { statistics.residNorms = try StatisticsReader.residNorms(path: path) }
        if let path = optional("wov_norms.csv") { statistics.wovNorms = try StatisticsReader.wovNorms(path: path) }
        return DatasetFolder(axes: axes, array: array, statistics: statistics)
    }

    func fill(checkpoint index: Int, into buffer: UnsafeMutableBufferPointer<Float>) throws {
        array.componentMajorSlice(checkpoint: index, into: buffer)
    }
}

/// An `.npz` holding the attributions (member `attributions`, or its only array) and the axes as
/// a JSON string member `axes`, or an `axes.json` beside it.
struct NPZSource: AttributionSource {
    let axes: Axes
    let array: NPYArray
    let archive: NPZArchive
    var statistics: Statistics { Statistics() }

    static func open(_ path: String) throws -> NPZSource {
        let archive = try NPZArchive(path: path)
        let members = archive.memberNames
        let arrayName = members.contains { $0 == "attributions" || $0 == "attributions.npy" } ? "attributions"
            : members.filter { $0 != "axes" && $0 != "axes.npy" }.count == 1 ? members.first { $0 != "axes" && $0 != "axes.npy" } ?? "attributions" : "attributions"
        let axes: Axes
        if members.contains(where: { $0 == "axes" || $0 == "axes.npy" }) {
            axes = try Axes.parse(Data(try archive.string(named: "axes").utf8), file: "\(path) (member axes)")
        } else {
            let beside = URL(fileURLWithPath: path).deletingLastPathComponent().appendingPathComponent("axes.json").path
            guard let data = FileManager.default.contents(atPath: beside) else {
                throw IngestError(file: path, expected: "an 'axes' member holding the axes as a JSON string, or axes.json beside the file", found: "members \(members.joined(separator: ", ")) and no axes.json")
            }
            axes = try Axes.parse(data, file: beside)
        }
        // The shape is checked against the axes from the member's header, before its data is inflated.
        let array = try archive.array(named: arrayName) { header in
            try check(shape: header.shape, against: axes, arrayName: "\(path) (member \(arrayName))", axesName: "axes")
        }
        return NPZSource(axes: axes, array: array, archive: archive)
    }

    func fill(checkpoint index: Int, into buffer: UnsafeMutableBufferPointer<Float>) throws {
        array.componentMajorSlice(checkpoint: index, into: buffer)
    }

    /// The array's shape must be [checkpoints, coefficients, components] as the axes list them.
    static func check(_ array: NPYArray, against axes: Axes, arrayName: String, axesName: String) throws {
        try check(shape: array.shape, against: axes, arrayName: arrayName, axesName: axesName)
    }

    static func check(shape: [Int], against axes: Axes, arrayName: String, axesName: String) throws {
        let expected = [axes.checkpointSteps.count, axes.coefficients.count, axes.components.count]
        let found = shape.count == 2 ? [shape[0], 1, shape[1]] : shape
        guard found == expected else {
            throw IngestError(file: arrayName, expected: "shape (\(expected.map(String.init).joined(separator: ", "))) = (checkpoints, coefficients, components) from \(axesName)", found: "shape (\(shape.map(String.init).joined(separator: ", ")))")
        }
    }
}
