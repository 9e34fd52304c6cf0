"""Pure presentation logic: snapshots in, rows, trees and figures out. No Textual here."""
