package gcp

import (
	"bytes"
	"testing"

	"github.com/stance-cspm/stance/internal/gcpasset"
)

func TestWriteIsDeterministic(t *testing.T) {
	var a, b bytes.Buffer
	if _, err := Write(&a, Config{Seed: 7, Assets: 500, Projects: 5}); err != nil {
		t.Fatal(err)
	}
	if _, err := Write(&b, Config{Seed: 7, Assets: 500, Projects: 5}); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(a.Bytes(), b.Bytes()) {
		t.Error("two estates from the same seed differ")
	}
}

func TestWriteDecodesAsExport(t *testing.T) {
	var buf bytes.Buffer
	n, err := Write(&buf, Config{Seed: 1, Assets: 2000, Projects: 10})
	if err != nil {
		t.Fatal(err)
	}
	if n != 2000 {
		t.Fatalf("wrote %d records, want 2000", n)
	}
	types := map[string]int{}
	policies := 0
	dec, err := gcpasset.Decode(&buf, func(a *gcpasset.Asset) error {
		if a.IAMPolicy != nil {
			policies++
			return nil
		}
		types[a.AssetType]++
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if dec.Assets != 2000 {
		t.Errorf("decoded %d assets, want 2000", dec.Assets)
	}
	if types[gcpasset.TypeProject] != 10 {
		t.Errorf("projects = %d, want 10", types[gcpasset.TypeProject])
	}
	if len(types) != 8 {
		t.Errorf("asset types = %v, want 8 types", types)
	}
	if policies == 0 {
		t.Error("no IAM policy record")
	}
}
