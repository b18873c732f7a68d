package main

import (
	"io/fs"
	"path/filepath"
	"sort"
	"strings"
	"testing"
)

// TestQueryExamples runs `terraform fmt -check` and `terraform validate -query` on every directory under examples/
// that holds .tfquery.hcl files (list blocks of `terraform query`), as TestExamples does for .tf files. List blocks
// exist from Terraform 1.14 on: with an older Terraform, or OpenTofu, the test skips and says so.
func TestQueryExamples(t *testing.T) {
	t.Parallel()
	tf := terraformBinary(t)
	dirs := queryExampleDirs(t, "examples")
	if len(dirs) == 0 {
		t.Fatal("no directory with .tfquery.hcl files under examples/")
	}
	cliConfig := devOverridesConfig(t)
	if !terraformAtLeast(t, tf, terraformEnv(cliConfig, t.TempDir()), 1, 14) {
		t.Skipf("list blocks (.tfquery.hcl) need Terraform 1.14 or later; %s is older (or OpenTofu)", tf)
	}
	for _, dir := range dirs {
		t.Run(filepath.ToSlash(dir), func(t *testing.T) {
			t.Parallel()
			work := t.TempDir()
			env := terraformEnv(cliConfig, t.TempDir())
			copyDir(t, dir, work)
			addRequiredProviders(t, work)
			if out, err := runTerraform(tf, work, env, "fmt", "-check", "-diff", "-recursive"); err != nil {
				t.Errorf("%s is not formatted (run `terraform fmt -recursive examples/` with Terraform 1.14 or later):\n%s", dir, out)
			}
			if out, err := runTerraform(tf, work, env, "validate", "-query", "-no-color"); err != nil {
				t.Fatalf("terraform validate -query failed in %s: %v\n%s", dir, err, out)
			}
		})
	}
}

// queryExampleDirs lists every directory under root that holds at least one .tfquery.hcl file, sorted.
func queryExampleDirs(t *testing.T, root string) []string {
	t.Helper()
	seen := map[string]bool{}
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && strings.HasPrefix(d.Name(), ".") && p != root {
			return filepath.SkipDir
		}
		if !d.IsDir() && strings.HasSuffix(p, ".tfquery.hcl") {
			seen[filepath.Dir(p)] = true
		}
		return nil
	})
	if err != nil {
		t.Fatalf("listing %s: %v", root, err)
	}
	dirs := make([]string, 0, len(seen))
	for d := range seen {
		dirs = append(dirs, d)
	}
	sort.Strings(dirs)
	return dirs
}
