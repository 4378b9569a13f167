package benchmarks

import (
	"embed"
	"io/fs"
)

// builtin holds the packs that ship with stance.
//
//go:embed controls cis_aws cis_azure
var builtin embed.FS

// Builtin returns the packs embedded in the binary.
func Builtin() fs.FS { return builtin }
