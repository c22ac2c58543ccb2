/// `KEY=VALUE` as `attrdb tag` sets tags and `attrdb runs --tag` selects by them.
enum TagText {
    /// The key before the first equals sign (not empty) and the value after it (may be empty).
    static func parse(_ text: String) -> (key: String, value: String)? {
        guard let equals = text.firstIndex(of: "="), equals != text.startIndex else { return nil }
        return (String(text[..<equals]), String(text[text.index(after: equals)...]))
    }

    static func malformed(_ text: String) -> String {
        "'\(text)' is not KEY=VALUE (a non-empty key, an equals sign, then the value)."
    }
}
