package acctest

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/go-hclog"
	"github.com/hashicorp/go-plugin"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6/tf6server"
)

// CLI runs the terraform binary of the acceptance tests (TF_ACC_TERRAFORM_PATH, else PATH) in a working directory of
// its own, with this Env's provider served in-process as terraform-plugin-testing serves it (reattach), for the
// commands terraform-plugin-testing does not drive, such as `terraform query -generate-config-out`. Each command
// gets a provider server of its own, as in terraform-plugin-testing.
type CLI struct {
	Dir     string
	bin     string
	factory func() (tfprotov6.ProviderServer, error)
}

// cliTimeout bounds one terraform command (the provider answers from the emulator, on the fake clock).
const cliTimeout = 5 * time.Minute

// NewCLI makes a working directory holding main.tf with ProviderConfig (the provider's source and block).
func (e *Env) NewCLI(t *testing.T) *CLI {
	t.Helper()
	if err := checkTerraform(); err != nil {
		t.Fatal(err)
	}
	c := &CLI{Dir: t.TempDir(), bin: os.Getenv("TF_ACC_TERRAFORM_PATH"), factory: e.ProtoV6ProviderFactories["entracert"]}
	c.WriteFile(t, "main.tf", e.ProviderConfig())
	return c
}

// WriteFile writes a file of the working directory.
func (c *CLI) WriteFile(t *testing.T, name, content string) {
	t.Helper()
	if err := os.WriteFile(filepath.Join(c.Dir, name), []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
}

// ReadFile reads a file of the working directory.
func (c *CLI) ReadFile(t *testing.T, name string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(c.Dir, name)) //nolint:gosec // a file of the test's own working directory
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// Run runs terraform with args in the working directory and returns its stdout and stderr together; err is the
// command's failure (a non-zero exit status included).
func (c *CLI) Run(t *testing.T, args ...string) (string, error) {
	t.Helper()
	ctx, cancel := context.WithCancel(t.Context())
	reattach, stopped, err := c.serve(ctx, t)
	if err != nil {
		cancel()
		t.Fatalf("serving the provider for terraform %s: %v", args[0], err)
	}
	defer func() {
		cancel()
		select {
		case <-stopped:
		case <-time.After(30 * time.Second):
			t.Errorf("the provider server of terraform %s did not stop", args[0])
		}
	}()
	cmdCtx, stop := context.WithTimeout(t.Context(), cliTimeout)
	defer stop()
	cmd := exec.CommandContext(cmdCtx, c.bin, args...)
	cmd.Dir = c.Dir
	cmd.Env = append(terraformEnviron(), "TF_REATTACH_PROVIDERS="+reattach, "TF_IN_AUTOMATION=1", "CHECKPOINT_DISABLE=1",
		"TF_DATA_DIR="+filepath.Join(c.Dir, ".terraform"))
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	err = cmd.Run()
	return out.String(), err
}

// MustRun is Run that fails the test when the command fails.
func (c *CLI) MustRun(t *testing.T, args ...string) string {
	t.Helper()
	out, err := c.Run(t, args...)
	if err != nil {
		t.Fatalf("terraform %s failed: %v\n%s", strings.Join(args, " "), err, out)
	}
	return out
}

// terraformEnviron is this process's environment without the TF_* settings of the test run (TF_ACC, TF_LOG, ...).
func terraformEnviron() []string {
	var env []string
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "TF_") {
			env = append(env, kv)
		}
	}
	return env
}

// serve starts a provider server in debug mode and returns its TF_REATTACH_PROVIDERS value; stopped is closed once
// it has stopped after ctx ends.
func (c *CLI) serve(ctx context.Context, t *testing.T) (reattach string, stopped chan struct{}, err error) {
	srv, err := c.factory()
	if err != nil {
		return "", nil, err
	}
	configCh := make(chan *plugin.ReattachConfig)
	stopped = make(chan struct{})
	go func() {
		_ = tf6server.Serve(ProviderSource(), func() tfprotov6.ProviderServer { return srv },
			tf6server.WithDebug(ctx, configCh, stopped),
			tf6server.WithGoPluginLogger(hclog.NewNullLogger()),
			tf6server.WithLoggingSink(t), // as terraform-plugin-testing: TF_LOG and TF_ACC_LOG_PATH decide, silent by default
			tf6server.WithoutLogStderrOverride())
	}()
	var cfg *plugin.ReattachConfig
	select {
	case cfg = <-configCh:
	case <-time.After(30 * time.Second):
		return "", nil, fmt.Errorf("the provider server did not start")
	}
	type addr struct{ Network, String string }
	b, err := json.Marshal(map[string]any{ProviderSource(): map[string]any{
		"Protocol": string(cfg.Protocol), "ProtocolVersion": cfg.ProtocolVersion, "Pid": cfg.Pid, "Test": cfg.Test,
		"Addr": addr{Network: cfg.Addr.Network(), String: cfg.Addr.String()},
	}})
	return string(b), stopped, err
}

// Version is the CLI's version (Terraform's or OpenTofu's), as major, minor and patch.
func (c *CLI) Version(t *testing.T) [3]int {
	t.Helper()
	ctx, cancel := context.WithTimeout(t.Context(), time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, c.bin, "version", "-json")
	cmd.Env = append(terraformEnviron(), "CHECKPOINT_DISABLE=1")
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("%s version -json: %v", c.bin, err)
	}
	m := regexp.MustCompile(`"terraform_version":\s*"(\d+)\.(\d+)\.(\d+)`).FindStringSubmatch(string(out))
	if m == nil {
		t.Fatalf("%s version -json printed no terraform_version:\n%s", c.bin, out)
	}
	var v [3]int
	for i := range v {
		v[i], _ = strconv.Atoi(m[i+1])
	}
	return v
}
