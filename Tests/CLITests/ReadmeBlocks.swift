import Foundation

/// The code blocks of a Markdown file that the README test runs, in order.
///
/// A block runs when its fence names `sh`, `bash`, `console` (only its `$ ` lines, the rest is shown
/// output) or `python`. A block preceded by the line `<!-- no-run: REASON -->` (blank lines between
/// allowed) is left out: the reason says why, e.g. it builds the project or installs a package.
struct ReadmeBlock: Equatable {
    enum Language: String { case shell, python }

    /// The 1-based line of the opening fence.
    var line: Int
    var language: Language
    var code: String

    static let marker = "<!-- no-run:"

    /// The blocks to run in `markdown`; a fence left open is an error naming its line.
    static func parse(_ markdown: String) throws -> [ReadmeBlock] {
        var blocks: [ReadmeBlock] = []
        var open: (line: Int, info: String, skipped: Bool)?
        var body: [String] = []
        var skipNext = false
        for (offset, text) in markdown.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = String(text)
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if let fence = open {
                guard trimmed == "```" else { body.append(line); continue }
                if !fence.skipped, let block = block(info: fence.info, line: fence.line, body: body) { blocks.append(block) }
                open = nil
                body = []
            } else if trimmed.hasPrefix("```") {
                open = (offset + 1, String(trimmed.dropFirst(3)).trimmingCharacters(in: .whitespaces), skipNext)
                skipNext = false
            } else if trimmed.hasPrefix(marker) {
                skipNext = true
            } else if !trimmed.isEmpty {
                skipNext = false
            }
        }
        if let open { throw ParseError(line: open.line) }
        return blocks
    }

    struct ParseError: Error, CustomStringConvertible {
        var line: Int
        var description: String { "README.md:\(line): a code fence that is never closed" }
    }

    private static func block(info: String, line: Int, body: [String]) -> ReadmeBlock? {
        switch info.split(separator: " ").first.map(String.init) ?? "" {
        case "sh", "bash": return ReadmeBlock(line: line, language: .shell, code: body.joined(separator: "\n"))
        case "console":
            let commands = body.filter { $0.hasPrefix("$ ") }.map { String($0.dropFirst(2)) }
            return ReadmeBlock(line: line, language: .shell, code: commands.joined(separator: "\n"))
        case "python": return ReadmeBlock(line: line, language: .python, code: body.joined(separator: "\n"))
        default: return nil
        }
    }
}
