import ArgumentParser
import AttrDB

/// A mistyped command name, found before parsing. swift-argument-parser reads `attrdb capacty --run m`
/// as the root command with an unknown option (and suggests `--db`), and `attrdb help capacty` as a
/// request for the top-level help (exit 0); this names the command and the closest real ones instead.
struct UnknownCommand: Error, CustomStringConvertible {
    let name: String
    let suggestions: [String]

    var description: String {
        let hint = suggestions.isEmpty ? "" : " Did you mean " + suggestions.map { "'\($0)'" }.joined(separator: " or ") + "?"
        return "Unknown command '\(name)'.\(hint)\nSee 'attrdb --help' for the commands."
    }

    /// The root's options that take a value, so that `attrdb --db x.sqlite capacity` reads `x.sqlite`
    /// as the value, not as the command.
    static let rootOptionsWithValues: Set<String> = ["--db", "--busy-timeout"]

    /// The unknown command in `arguments` (without the program's name), if the first word that is
    /// not an option (or the word after `help`) is not one of `commands`.
    static func find(in arguments: [String], commands: [String]) -> UnknownCommand? {
        var words: [String] = []
        var index = arguments.startIndex
        while index < arguments.endIndex, words.count < 2 {
            let argument = arguments[index]
            if argument == "--" { break }
            if rootOptionsWithValues.contains(argument) {
                index += 2
                continue
            }
            if !argument.hasPrefix("-") {
                words.append(argument)
                if argument != "help" { break }
            }
            index += 1
        }
        guard let name = words.last, name != "help" || words.count == 1, !commands.contains(name) else { return nil }
        return UnknownCommand(name: name, suggestions: closest(to: name, in: commands))
    }

    /// The commands nearest by edit distance, all that tie, when near enough to be a typo: two edits
    /// (a swapped pair of letters is two), or a third of the typed name's letters if more.
    static func closest(to name: String, in commands: [String]) -> [String] {
        let typed = Array(name.lowercased())
        let distances = commands.map { ($0, Suggestions.editDistance(typed, Array($0.lowercased()))) }
        guard let best = distances.map(\.1).min(), best <= max(2, typed.count / 3) else { return [] }
        return distances.filter { $0.1 == best }.map(\.0)
    }
}
