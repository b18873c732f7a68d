package main

import (
	"bytes"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/entracert/terraform-provider-entracert/internal/testfixtures"
	"github.com/entracert/terraform-provider-entracert/internal/tfenv"
)

// installTerraform is what to do when the terraform binary is missing (the same advice as scripts/check-terraform).
const installTerraform = `the terraform binary was not found (looked at TF_ACC_TERRAFORM_PATH, then PATH).
Install Terraform 1.11 or later, then run this again:
  - https://developer.hashicorp.com/terraform/install
  - Debian/Ubuntu: add HashiCorp's apt repository (https://apt.releases.hashicorp.com) and ` + "`apt-get install terraform`" + `
  - or download the zip for your platform and put terraform on PATH, or set TF_ACC_TERRAFORM_PATH`

// requiredProviders is added to an example that does not declare the provider's source itself (the resource and
// data-source snippets): without it Terraform looks for hashicorp/entracert.
const requiredProviders = `terraform {
  required_providers {
    entracert = {
      source = "entracert/entracert"
    }
  }
}
`

// fileFunction finds file("..."), filebase64("..."), filesha256("...") and the like with a literal path, so an
// example can name the user's own files (client.pfx, contoso.p7b) and still be validated.
var fileFunction = regexp.MustCompile(`\bfile(?:base64|sha256|sha512|sha1|md5|base64sha256|base64sha512)?\(\s*"([^"$]*|\$\{path\.module\}/[^"$]*)"\s*\)`)

// TestExamples runs `terraform validate` and `terraform fmt -check` on every directory under examples/ that holds
// .tf files, against a provider built from this tree and installed with dev_overrides: no terraform init, no
// registry, no network. It needs the real terraform binary and fails, rather than skips, without it. The examples
// are validated in parallel (up to go test's -parallel at once), each in its own copy and data directory: one by
// one, on a loaded machine, they took ten minutes.
func TestExamples(t *testing.T) {
	t.Parallel()
	tf := terraformBinary(t)

	dirs := exampleDirs(t, "examples")
	if len(dirs) == 0 {
		t.Fatal("no directory with .tf files under examples/")
	}
	cliConfig := devOverridesConfig(t)
	identityImports := terraformAtLeast(t, tf, terraformEnv(cliConfig, t.TempDir()), 1, 12)
	for _, dir := range dirs {
		t.Run(filepath.ToSlash(dir), func(t *testing.T) {
			t.Parallel()
			validateExample(t, tf, cliConfig, dir, importByIdentity)
		})
		if !fileExists(filepath.Join(dir, importByIdentity)) {
			continue
		}
		// An import block by identity replaces the one by ID (two would import the resource twice).
		t.Run(filepath.ToSlash(filepath.Join(dir, importByIdentity)), func(t *testing.T) {
			if !identityImports {
				t.Skipf("%s needs Terraform or OpenTofu 1.12 or later (import by identity); %s is older", importByIdentity, tf)
			}
			t.Parallel()
			validateExample(t, tf, cliConfig, dir, importByStringID, "import-block.tf")
		})
	}
}

// providerBuild is the provider built once for TestExamples and TestQueryExamples, in a directory TestMain removes.
var providerBuild struct {
	once sync.Once
	dir  string
	err  error
}

func TestMain(m *testing.M) {
	code := m.Run()
	if providerBuild.dir != "" {
		_ = os.RemoveAll(providerBuild.dir)
	}
	os.Exit(code)
}

// devOverridesConfig builds the provider from this tree (once per test binary) and returns a CLI configuration
// file that installs it with dev_overrides.
func devOverridesConfig(t *testing.T) string {
	t.Helper()
	providerBuild.once.Do(func() {
		dir, err := os.MkdirTemp("", "entracert-examples-plugin") //nolint:usetesting // shared by every test of the binary, outlives each t
		if err != nil {
			providerBuild.err = err
			return
		}
		providerBuild.dir = dir
		build := exec.Command(goBinary(), "build", "-o", filepath.Join(dir, "terraform-provider-entracert"), ".")
		if out, err := build.CombinedOutput(); err != nil {
			providerBuild.err = fmt.Errorf("go build of the provider failed: %w\n%s", err, out)
		}
	})
	if providerBuild.err != nil {
		t.Fatal(providerBuild.err)
	}
	cliConfig := filepath.Join(t.TempDir(), "terraform.rc")
	writeFile(t, cliConfig, fmt.Sprintf(`provider_installation {
  dev_overrides {
    "entracert/entracert" = %q
  }
  direct {}
}
`, filepath.ToSlash(providerBuild.dir)))
	return cliConfig
}

// The import examples tfplugindocs renders (v0.22 and later).
const (
	importByStringID = "import-by-string-id.tf"
	importByIdentity = "import-by-identity.tf"
)

// validateExample runs `terraform fmt -check` and `terraform validate` on a copy of dir without the files named
// in leaveOut, with its own data directory.
func validateExample(t *testing.T, tf, cliConfig, dir string, leaveOut ...string) {
	t.Helper()
	work := t.TempDir()
	env := terraformEnv(cliConfig, t.TempDir())
	copyDir(t, dir, work, leaveOut...)
	addRequiredProviders(t, work)
	addStandInFiles(t, work)

	if out, err := runTerraform(tf, work, env, "fmt", "-check", "-diff", "-recursive"); err != nil {
		t.Errorf("%s is not formatted (run `terraform fmt -recursive examples/` or `make docs`):\n%s", dir, out)
	}
	out, err := runTerraform(tf, work, env, "validate", "-no-color")
	if err != nil {
		hint := ""
		if strings.Contains(out, "Missing required provider") {
			hint = "\nAn example may use only the entracert provider and Terraform's built-ins: any other provider " +
				"would need terraform init and the registry."
		}
		t.Fatalf("terraform validate failed in %s: %v\n%s%s", dir, err, out, hint)
	}
}

// terraformAtLeast reports whether tf (Terraform or OpenTofu) is version major.minor or later.
func terraformAtLeast(t *testing.T, tf string, env []string, major, minor int) bool {
	t.Helper()
	out, err := runTerraform(tf, t.TempDir(), env, "version", "-json")
	if err != nil {
		t.Fatalf("%s version -json: %v\n%s", tf, err, out)
	}
	m := regexp.MustCompile(`"terraform_version":\s*"(\d+)\.(\d+)\.`).FindStringSubmatch(out)
	if m == nil {
		t.Fatalf("%s version -json printed no terraform_version:\n%s", tf, out)
	}
	gotMajor, _ := strconv.Atoi(m[1])
	gotMinor, _ := strconv.Atoi(m[2])
	return gotMajor > major || gotMajor == major && gotMinor >= minor
}

func terraformBinary(t *testing.T) string {
	t.Helper()
	if p := os.Getenv("TF_ACC_TERRAFORM_PATH"); p != "" {
		if st, err := os.Stat(p); err == nil && !st.IsDir() {
			return p
		}
		t.Fatalf("TF_ACC_TERRAFORM_PATH=%s: no such file.\n%s", p, installTerraform)
	}
	p, err := exec.LookPath("terraform")
	if err != nil {
		t.Fatal(installTerraform)
	}
	return p
}

// goBinary prefers the go that runs this test, so the provider is built with the same toolchain.
func goBinary() string {
	if root := os.Getenv("GOROOT"); root != "" {
		if p := filepath.Join(root, "bin", "go"); fileExists(p) {
			return p
		}
	}
	return "go"
}

// terraformEnv is the environment for terraform: this test's CLI configuration, no checkpoint call, and nothing
// from the caller's TF_* settings that could change what validate sees.
func terraformEnv(cliConfig, dataDir string) []string {
	var env []string
	for _, kv := range os.Environ() {
		if strings.HasPrefix(kv, "TF_") {
			continue
		}
		env = append(env, kv)
	}
	env = append(env, tfenv.LeanGC()...)
	return append(env,
		"TF_CLI_CONFIG_FILE="+cliConfig,
		"TF_DATA_DIR="+dataDir,
		"TF_IN_AUTOMATION=1",
		"CHECKPOINT_DISABLE=1",
	)
}

func runTerraform(tf, dir string, env []string, args ...string) (string, error) {
	cmd := exec.Command(tf, args...)
	cmd.Dir = dir
	cmd.Env = env
	var out bytes.Buffer
	cmd.Stdout = &out
	cmd.Stderr = &out
	err := cmd.Run()
	return out.String(), err
}

// exampleDirs lists every directory under root that holds at least one .tf file, sorted.
func exampleDirs(t *testing.T, root string) []string {
	t.Helper()
	seen := map[string]bool{}
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && (d.Name() == ".terraform" || strings.HasPrefix(d.Name(), ".") && p != root) {
			return filepath.SkipDir
		}
		if !d.IsDir() && strings.HasSuffix(p, ".tf") {
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

// copyDir copies the files of one example (not its subdirectories, which are examples of their own, nor
// anything Terraform left behind).
func copyDir(t *testing.T, from, to string, leaveOut ...string) {
	t.Helper()
	entries, err := os.ReadDir(from)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		name := e.Name()
		if e.IsDir() || strings.HasPrefix(name, ".terraform") || strings.HasPrefix(name, "terraform.tfstate") || slices.Contains(leaveOut, name) {
			continue
		}
		b, err := os.ReadFile(filepath.Join(from, name))
		if err != nil {
			t.Fatal(err)
		}
		writeFile(t, filepath.Join(to, name), string(b))
	}
}

func addRequiredProviders(t *testing.T, dir string) {
	t.Helper()
	for _, f := range tfFiles(t, dir) {
		if strings.Contains(readFile(t, f), "required_providers") {
			return
		}
	}
	writeFile(t, filepath.Join(dir, "zz_required_providers_examples_test.tf"), requiredProviders)
}

// addStandInFiles creates the files an example reads with file functions but does not ship (a user's PFX or
// .p7b): validate evaluates those calls and would fail on a missing file. PFX and .p7b names get real fixtures.
func addStandInFiles(t *testing.T, dir string) {
	t.Helper()
	for _, f := range tfFiles(t, dir) {
		for _, m := range fileFunction.FindAllStringSubmatch(readFile(t, f), -1) {
			rel := strings.TrimPrefix(m[1], "${path.module}/")
			if filepath.IsAbs(rel) || strings.Contains(rel, "..") {
				t.Errorf("%s reads %q: an example should read files beside it", filepath.Base(f), m[1])
				continue
			}
			p := filepath.Join(dir, filepath.FromSlash(rel))
			if fileExists(p) {
				continue
			}
			content := []byte("stand-in written by TestExamples\n")
			switch strings.ToLower(filepath.Ext(rel)) {
			case ".pfx", ".p12":
				content = testfixtures.Bytes("client-aes.pfx")
			case ".p7b", ".p7c":
				content = testfixtures.Bytes("contoso-pki.p7b")
			case ".pem", ".crt", ".cer":
				// A CA certificate for the trust-store examples, a user certificate for the functions' examples.
				content = testfixtures.Bytes("root-ca.pem")
				if strings.Contains(rel, "functions") {
					content = testfixtures.Bytes("client.pem")
				}
			}
			if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(p, content, 0o600); err != nil {
				t.Fatal(err)
			}
		}
	}
}

func tfFiles(t *testing.T, dir string) []string {
	t.Helper()
	files, err := filepath.Glob(filepath.Join(dir, "*.tf"))
	if err != nil {
		t.Fatal(err)
	}
	return files
}

func readFile(t *testing.T, p string) string {
	t.Helper()
	b, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func writeFile(t *testing.T, p, content string) {
	t.Helper()
	if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}

func fileExists(p string) bool {
	st, err := os.Stat(p)
	return err == nil && !st.IsDir()
}
