package benchmarks

import (
	"embed"
	"io/fs"

	// The built-in packs read AWS, Azure and GCP tables, and Load checks
	// that every table a control names is registered: importing the table
	// packages here keeps Builtin loadable in every program that uses it.
	_ "github.com/stance-cspm/stance/tables/aws"
	_ "github.com/stance-cspm/stance/tables/azure"
	_ "github.com/stance-cspm/stance/tables/gcp"
)

// builtin holds the packs that ship with stance.
//
//go:embed controls cis_aws cis_azure cis_gcp
var builtin embed.FS

// Builtin returns the packs embedded in the binary.
func Builtin() fs.FS { return builtin }
