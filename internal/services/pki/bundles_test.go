package pki

import (
	"encoding/pem"
	"os"
	"path/filepath"
	"testing"
)

// Fixture reads a file of testdata/ (copied from the project's shared fixtures).
func Fixture(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// PEMDER returns the DER of the first PEM block of a testdata file.
func PEMDER(t *testing.T, name string) []byte {
	t.Helper()
	block, _ := pem.Decode(Fixture(t, name))
	if block == nil {
		t.Fatalf("%s: no PEM block", name)
	}
	return block.Bytes
}
