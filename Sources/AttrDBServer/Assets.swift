import Hummingbird

/// The pages and their script and style, inside the binary (no files beside it, no network):
/// the constants are in `Assets/`. The pages are static; the script fills them from the JSON API
/// with `textContent` and SVG attributes only, never HTML, so a stored name shows as text.
enum Assets {
    /// `/assets/NAME`: the only files served besides the pages.
    static let files: [String: (body: String, type: String)] = [
        "app.js": (appJS, "text/javascript; charset=utf-8"),
        "style.css": (styleCSS, "text/css; charset=utf-8"),
        "icon.svg": (iconSVG, "image/svg+xml"),
    ]

    static func response(_ text: String, contentType: String) -> Response {
        APIResponse.response(Array(text.utf8), contentType: contentType)
    }
}
