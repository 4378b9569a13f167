package benchmarks

import (
	"embed"
	"io/fs"

	// The built-in packs read the tables of every provider, and Load checks
	// that every table a control names is registered, so importing them
	// here keeps Builtin loadable in every program that uses it.
	_ "github.com/stance-cspm/stance/tables/all"
)

// builtin holds the packs that ship with stance.
//
//go:embed controls cis_aws cis_azure cis_gcp
var builtin embed.FS

// Builtin returns the packs embedded in the binary.
func Builtin() fs.FS { return builtin }
