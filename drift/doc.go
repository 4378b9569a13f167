// Package drift compares the estate at two moments: the resources added,
// removed and changed, and for a changed resource each field that changed,
// as a JSON path with its old and new values. It reads the history tables
// of the store and leaves out the fields that each table lists in
// IgnoreInDrift.
package drift
