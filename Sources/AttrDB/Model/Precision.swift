/// How a run's values are stored: float32, or 16 bits a value (`ingest --precision`).
///
/// A run has one precision, recorded in `run.precision` (schema/README.md); every reader decodes
/// to float32, so only the store's size and the values' rounding differ.
public enum Precision: String, Sendable, CaseIterable {
    /// IEEE-754 binary32, as the input gave it: 4 bytes a value.
    case f32
    /// IEEE-754 binary16 (5 exponent bits, 10 mantissa bits, subnormals down to 2⁻²⁴), rounded to
    /// nearest even: 2 bytes a value, about 3 significant digits, finite up to 65 504.
    case f16
    /// bfloat16, the top 16 bits of float32 rounded to nearest even: 2 bytes a value, float32's
    /// range with about 2 significant digits.
    case bf16

    /// Bytes one stored value takes in a matrix.
    public var bytesPerValue: Int { self == .f32 ? 4 : 2 }
}
