package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"time"

	"github.com/entracert/terraform-provider-entracert/internal/provider"
	"github.com/hashicorp/go-hclog"
	"github.com/hashicorp/go-plugin"
	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6/tf6server"
)

const providerAddress = "registry.terraform.io/entracert/entracert"

func findTerraform() (string, error) {
	if p := os.Getenv("TF_ACC_TERRAFORM_PATH"); p != "" {
		return p, nil
	}
	p, err := exec.LookPath("terraform")
	if err != nil {
		return "", fmt.Errorf("terraform not found on PATH: install Terraform 1.11 or later (https://developer.hashicorp.com/terraform/install)")
	}
	return p, nil
}

// workspace is a Terraform working directory whose commands reach a provider served in this process,
// as terraform-plugin-testing does, so the emulator's journal sees every request the provider makes.
type workspace struct {
	dir       string
	terraform string
}

func newWorkspace(tf, config string) (*workspace, error) {
	dir, err := os.MkdirTemp("", "entracert-bench-")
	if err != nil {
		return nil, err
	}
	if err := os.WriteFile(filepath.Join(dir, "main.tf"), []byte(config), 0o600); err != nil {
		return nil, err
	}
	w := &workspace{dir: dir, terraform: tf}
	if err := w.run("init", "-input=false", "-no-color"); err != nil {
		return nil, err
	}
	return w, nil
}

func (w *workspace) write(name string, data []byte) error {
	if err := os.MkdirAll(filepath.Dir(filepath.Join(w.dir, name)), 0o700); err != nil {
		return err
	}
	return os.WriteFile(filepath.Join(w.dir, name), data, 0o600)
}

func (w *workspace) close() { _ = os.RemoveAll(w.dir) }

// run executes one terraform command against a fresh in-process provider server (one per command, as
// Terraform starts one provider process per command).
func (w *workspace) run(args ...string) error {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	reattach, stop, err := serveProvider(ctx)
	if err != nil {
		return err
	}
	defer stop()
	cmd := exec.CommandContext(ctx, w.terraform, args...)
	cmd.Dir = w.dir
	cmd.Env = append(os.Environ(), "TF_REATTACH_PROVIDERS="+reattach, "CHECKPOINT_DISABLE=1", "TF_IN_AUTOMATION=1")
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("terraform %v: %w\n%s", args, err, lastLines(out.String(), 30))
	}
	return nil
}

func serveProvider(ctx context.Context) (string, func(), error) {
	configCh := make(chan *plugin.ReattachConfig, 1)
	closeCh := make(chan struct{})
	ctx, cancel := context.WithCancel(ctx)
	errCh := make(chan error, 1)
	go func() {
		errCh <- tf6server.Serve(providerAddress, providerserver.NewProtocol6(provider.New("bench")()),
			tf6server.WithDebug(ctx, configCh, closeCh), tf6server.WithoutLogStderrOverride(),
			tf6server.WithGoPluginLogger(hclog.NewNullLogger()))
	}()
	select {
	case cfg := <-configCh:
		reattach := map[string]any{providerAddress: map[string]any{
			"Protocol": string(cfg.Protocol), "ProtocolVersion": cfg.ProtocolVersion, "Pid": cfg.Pid, "Test": true,
			"Addr": map[string]string{"Network": cfg.Addr.Network(), "String": cfg.Addr.String()},
		}}
		b, _ := json.Marshal(reattach)
		return string(b), func() { cancel(); <-closeCh }, nil
	case err := <-errCh:
		cancel()
		return "", nil, fmt.Errorf("serving the provider: %w", err)
	case <-time.After(30 * time.Second):
		cancel()
		return "", nil, fmt.Errorf("the provider server did not start")
	}
}

func lastLines(s string, n int) string {
	lines := bytes.Split([]byte(s), []byte("\n"))
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return string(bytes.Join(lines, []byte("\n")))
}
