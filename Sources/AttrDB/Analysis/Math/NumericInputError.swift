/// Why a numeric kernel (clustering, concentration, fits, profile summaries) refused its input.
///
/// The kernels check their input once, up front, and say what was wrong in a sentence; the
/// command line shows that sentence as it is.
///
/// ```swift
/// do { _ = try kMeans(profiles, k: 20, seed: 1) }
/// catch let error as NumericInputError { message = error.description }  // "k-means: asked for 20 clusters of 13 profiles; …"
/// ```
public struct NumericInputError: UserFacingError, Equatable {
    /// The kernel that refused, in words: "k-means", "Gini coefficient", …
    public var kernel: String
    /// What was wrong with the input.
    public var message: String

    /// An error from `kernel`, explained by `message`.
    public init(kernel: String, message: String) {
        self.kernel = kernel
        self.message = message
    }

    /// "kernel: message", for standard error.
    public var description: String { "\(kernel): \(message)" }
}

/// Checks that `profiles` is a non-empty rectangle of finite numbers; returns its dimension.
func checkedDimension(of profiles: [[Double]], kernel: String) throws -> Int {
    guard let first = profiles.first else {
        throw NumericInputError(kernel: kernel, message: "no profiles to work on")
    }
    let dimension = first.count
    guard dimension > 0 else {
        throw NumericInputError(kernel: kernel, message: "profiles have no values")
    }
    for (row, profile) in profiles.enumerated() {
        guard profile.count == dimension else {
            throw NumericInputError(
                kernel: kernel,
                message: "profile \(row) has \(profile.count) values, profile 0 has \(dimension)")
        }
        if let column = profile.firstIndex(where: { !$0.isFinite }) {
            throw NumericInputError(
                kernel: kernel, message: "profile \(row) has a non-finite value (\(profile[column])) at \(column)")
        }
    }
    return dimension
}
