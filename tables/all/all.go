// Package all registers the tables of every provider. Code that loads
// benchmark packs must see every table that a control may read, because
// the pack loader rejects a control whose table is not registered: import
// this package for its side effect rather than one provider's package.
package all

import (
	_ "github.com/stance-cspm/stance/tables/aws"   // AWS tables
	_ "github.com/stance-cspm/stance/tables/azure" // Azure tables
	_ "github.com/stance-cspm/stance/tables/gcp"   // GCP tables
)
