package main

import (
	"encoding/pem"
	"errors"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"runtime/pprof"
	"strings"
	"time"

	"github.com/entracert/terraform-provider-entracert/internal/graph"
	"github.com/entracert/terraform-provider-entracert/internal/graphemu"
	"github.com/entracert/terraform-provider-entracert/internal/pkcs"
	"github.com/smallstep/pkcs7"
)

const (
	scaleBundleCAs     = pkcs.MaxBundleCAs // CAs in the .p7b of the upload plan
	scaleConnectors    = 50
	scaleCertificates  = 500 // client certificates of the 1,000-resource plan, over scaleConnectors
	scalePKIs          = 2
	scaleCAResources   = 500 // CA resources of the 1,000-resource plan, over scalePKIs
	scalePlanArguments = "-parallelism=10"
)

// Scenario 9: where the time of `terraform plan` goes at scale. Two configurations, each applied first without
// latency (not measured), then planned with nothing to change, with the emulator's latency (the upload also before
// its apply: the plan that downloads and parses the file):
//   - one entracert_certificate_based_auth_pki_upload of a .p7b holding 250 CAs (Graph's maximum per file);
//   - 1,000 resources: 500 entracert_api_connector_client_certificate over 50 connectors and 500
//     entracert_certificate_based_auth_certificate_authority over 2 PKIs.
//
// Reported per plan: wall time, requests, and this process's CPU (the provider and the emulator). With
// -profiledir, each plan's CPU profile is written there (upload_new_plan.pprof, upload_plan.pprof, mixed_plan.pprof);
// not with -cpuprofile, which profiles the whole run instead.
func (b *bench) planAtScale() result {
	r := result{Scenario: fmt.Sprintf("9 plan at scale: an upload of %d CAs; %d certificates + %d CA resources",
		scaleBundleCAs, scaleCertificates, scaleCAResources), Requests: map[string]int{}, Extra: map[string]any{}}
	start := time.Now()
	for _, p := range []struct {
		name      string
		resources int
		setup     func() (*env, *workspace, error)
		fresh     bool // also the plan that creates it all
	}{
		{"upload", 1, b.uploadOf250CAs, true},
		{"mixed", scaleCertificates + scaleCAResources, b.mixedResources, false},
	} {
		e, w, err := p.setup()
		if err != nil {
			r.Error = p.name + ": " + err.Error()
			return r
		}
		err = b.measurePlan(&r, p.name, p.resources, e, w, p.fresh)
		e.srv.Close()
		w.close()
		if err != nil {
			r.Error = p.name + " plan: " + err.Error()
			return r
		}
	}
	timed(&r, start)
	r.OK = true
	return r
}

// measurePlan times (and with -profiledir profiles) plans of w's configuration with the emulator's latency: with
// fresh, the plan that creates everything first (named name+"_new"); then, after an apply without latency, a plan
// that must find nothing to change.
func (b *bench) measurePlan(r *result, name string, resources int, e *env, w *workspace, fresh bool) error {
	if fresh {
		if err := b.timePlan(r, name+"_new", resources, e, w, true); err != nil {
			return err
		}
	}
	e.emu.SetLatency(0)
	if err := w.run("apply", "-auto-approve", "-input=false", "-no-color", "-parallelism=20"); err != nil {
		return fmt.Errorf("setting up: %w", err)
	}
	return b.timePlan(r, name, resources, e, w, false)
}

// timePlan runs one measured plan; changes says whether it must find something to do (exit code 2) or nothing.
func (b *bench) timePlan(r *result, name string, resources int, e *env, w *workspace, changes bool) error {
	e.emu.SetLatency(b.latency)
	e.emu.ResetJournal()
	var profile *os.File
	if b.profileDir != "" {
		f, err := os.Create(filepath.Join(b.profileDir, name+"_plan.pprof")) //nolint:gosec // -profiledir, given by who runs the bench
		if err != nil {
			return err
		}
		if pprof.StartCPUProfile(f) == nil { // fails while -cpuprofile profiles the whole run
			profile = f
		} else if err := f.Close(); err != nil {
			return err
		}
	}
	profiling := profile != nil
	cpu0 := processCPU()
	start := time.Now()
	err := w.run("plan", "-input=false", "-no-color", "-detailed-exitcode", scalePlanArguments)
	took := time.Since(start)
	cpu := processCPU() - cpu0
	if profiling {
		pprof.StopCPUProfile()
		if cerr := profile.Close(); cerr != nil && err == nil {
			err = cerr
		}
	}
	var exit *exec.ExitError
	switch {
	case changes && errors.As(err, &exit) && exit.ExitCode() == 2:
	case changes && err == nil:
		return fmt.Errorf("the plan of %s found nothing to create", name)
	case err != nil:
		return err // exit code 2 where nothing should change, or a failure
	}
	for k, v := range requestsByMethod(e.emu.Journal()) {
		r.Requests[name+"_"+k] = v
	}
	r.Extra[name+"_wall"] = took.Round(time.Millisecond).String()
	r.Extra[name+"_cpu"] = cpu.Round(time.Millisecond).String()
	r.Extra[name+"_cpu_per_resource"] = (cpu / time.Duration(resources)).Round(time.Microsecond).String()
	r.Extra[name+"_profiled"] = profiling
	return nil
}

// uploadOf250CAs is a PKI and the upload of a .p7b of 250 CAs, served by the emulator.
func (b *bench) uploadOf250CAs() (*env, *workspace, error) {
	cas, err := benchCertificateAuthorities(scaleBundleCAs)
	if err != nil {
		return nil, nil, err
	}
	var all []byte
	for _, ca := range cas {
		all = append(all, ca.Certificate...)
	}
	p7b, err := pkcs7.DegenerateCertificate(all)
	if err != nil {
		return nil, nil, err
	}
	dir, err := os.MkdirTemp("", "entracert-bench-files-")
	if err != nil {
		return nil, nil, err
	}
	if err := os.WriteFile(filepath.Join(dir, "bundle.p7b"), p7b, 0o600); err != nil {
		return nil, nil, err
	}
	// The emulator reads the file during the setup's upload job; the plan downloads it again itself.
	e, err := newEnv(graphemu.Options{Files: http.Dir(dir)})
	if err != nil {
		return nil, nil, err
	}
	cfg := requiredProviders + e.providerBlock() + pkiUploadConfig("bench PKI of 250 CAs", e.endpoint+"/files/bundle.p7b", p7b)
	w, err := newWorkspace(b.terraform, cfg)
	if err != nil {
		e.srv.Close()
		return nil, nil, err
	}
	return e, w, nil
}

// mixedResources is 500 client certificates over 50 connectors and 500 CA resources over 2 PKIs.
func (b *bench) mixedResources() (*env, *workspace, error) {
	e, err := newEnv(graphemu.Options{})
	if err != nil {
		return nil, nil, err
	}
	fail := func(err error) (*env, *workspace, error) {
		e.srv.Close()
		return nil, nil, err
	}
	var connectorIDs, pkiIDs []string
	for i := range scaleConnectors {
		c, err := e.graph.CreateAPIConnector(background, graph.NewAPIConnector{
			DisplayName: fmt.Sprintf("bench connector %d", i), TargetURL: "https://api.contoso.example/endpoint",
			Username: "bench", Password: "bench",
		})
		if err != nil {
			return fail(err)
		}
		connectorIDs = append(connectorIDs, c.ID)
	}
	for i := range scalePKIs {
		p, err := e.graph.CreatePKI(background, fmt.Sprintf("bench PKI %d", i))
		if err != nil {
			return fail(err)
		}
		pkiIDs = append(pkiIDs, p.ID)
	}
	cas, err := benchCertificateAuthorities(scaleCAResources)
	if err != nil {
		return fail(err)
	}
	var cfg strings.Builder
	cfg.WriteString(requiredProviders + e.providerBlock() + "locals {\n  certs = {\n")
	files := map[string][]byte{}
	for i := range scaleCertificates {
		pfx, err := newPFX(fmt.Sprintf("bench client %03d", i))
		if err != nil {
			return fail(err)
		}
		name := fmt.Sprintf("certs/c%04d.pfx", i)
		files[name] = pfx
		fmt.Fprintf(&cfg, "    c%04d = { connector = %q, file = %q }\n", i, connectorIDs[i%scaleConnectors], name)
	}
	cfg.WriteString("  }\n  cas = {\n")
	for i, ca := range cas {
		fmt.Fprintf(&cfg, "    ca%03d = { pki = %q, certificate = %q }\n", i, pkiIDs[i%scalePKIs], pemCertificate(ca.Certificate))
	}
	cfg.WriteString(`  }
}

resource "entracert_api_connector_client_certificate" "c" {
  for_each         = local.certs
  api_connector_id = each.value.connector
  pkcs12_value_wo  = filebase64(each.value.file)
  password_wo      = "` + pfxPassword + `"
}

resource "entracert_certificate_based_auth_certificate_authority" "ca" {
  for_each    = local.cas
  pki_id      = each.value.pki
  certificate = each.value.certificate
}
`)
	w, err := newWorkspace(b.terraform, cfg.String())
	if err != nil {
		return fail(err)
	}
	for name, data := range files {
		if err := w.write(name, data); err != nil {
			w.close()
			return fail(err)
		}
	}
	return e, w, nil
}

func pemCertificate(der []byte) string {
	return string(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}))
}
