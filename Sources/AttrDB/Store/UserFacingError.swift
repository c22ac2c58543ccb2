/// An error whose description is a whole sentence a person can act on: the command line prints it
/// as it is. Which exit status it gives is the command line's business (Sources/attrdb/ExitStatus.swift).
public protocol UserFacingError: Error, CustomStringConvertible {}
