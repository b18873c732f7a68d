package main

import (
	"bufio"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"fmt"
	"math/big"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"

	"github.com/entracert/terraform-provider-entracert/internal/graph"
	"github.com/entracert/terraform-provider-entracert/internal/graphemu"
	"github.com/entracert/terraform-provider-entracert/internal/pkcs"
	"github.com/entracert/terraform-provider-entracert/internal/provider"
	"github.com/entracert/terraform-provider-entracert/internal/testfixtures"
	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	pkcs12 "software.sslmate.com/src/go-pkcs12"
)

const (
	connectors   = 5
	certificates = 50
	pfxPassword  = "bench-password"
)

const requiredProviders = `terraform {
  required_providers {
    entracert = { source = "entracert/entracert" }
  }
}
`

// manyCertificates seeds connectors, writes 50 distinct PFX files and a configuration spreading them over the
// connectors; it returns the workspace (initialised) and the env.
func (b *bench) manyCertificates(opts graphemu.Options) (*env, *workspace, error) {
	return b.certificatesOnConnectors(opts, connectors, certificates)
}

// certificatesOnConnectors is manyCertificates for any number of connectors and certificates.
func (b *bench) certificatesOnConnectors(opts graphemu.Options, connectors, certificates int) (*env, *workspace, error) {
	e, err := newEnv(opts)
	if err != nil {
		return nil, nil, err
	}
	var ids []string
	for i := 0; i < connectors; i++ {
		c, err := e.graph.CreateAPIConnector(background, graph.NewAPIConnector{
			DisplayName: fmt.Sprintf("bench connector %d", i), TargetURL: "https://api.contoso.example/endpoint",
			Username: "bench", Password: "bench",
		})
		if err != nil {
			return nil, nil, err
		}
		ids = append(ids, c.ID)
	}
	var cfg strings.Builder
	cfg.WriteString(requiredProviders + e.providerBlock() + "locals {\n  certs = {\n")
	files := map[string][]byte{}
	for i := 0; i < certificates; i++ {
		pfx, err := newPFX(fmt.Sprintf("bench client %02d", i))
		if err != nil {
			return nil, nil, err
		}
		name := fmt.Sprintf("certs/c%04d.pfx", i)
		files[name] = pfx
		fmt.Fprintf(&cfg, "    c%04d = { connector = %q, file = %q }\n", i, ids[i%connectors], name)
	}
	cfg.WriteString(`  }
}

resource "entracert_api_connector_client_certificate" "c" {
  for_each         = local.certs
  api_connector_id = each.value.connector
  pkcs12_value_wo  = filebase64(each.value.file)
  password_wo      = "` + pfxPassword + `"
}
`)
	w, err := newWorkspace(b.terraform, cfg.String())
	if err != nil {
		return nil, nil, err
	}
	for name, data := range files {
		if err := w.write(name, data); err != nil {
			return nil, nil, err
		}
	}
	return e, w, nil
}

// Scenario 1: apply of 50 client certificates over 5 connectors.
func (b *bench) applyManyCertificates() result {
	r := result{Scenario: "1 apply 50 certificates / 5 connectors (-parallelism=10)"}
	e, w, err := b.manyCertificates(graphemu.Options{})
	if err != nil {
		r.Error = err.Error()
		return r
	}
	e.emu.SetLatency(b.latency)
	e.emu.ResetJournal()
	start := time.Now()
	err = w.run("apply", "-auto-approve", "-input=false", "-no-color", "-parallelism=10")
	timed(&r, start)
	r.Requests = requestsByMethod(e.emu.Journal())
	if err != nil {
		r.Error = err.Error()
		return r
	}
	dup, total := certificateCounts(e)
	r.Extra = map[string]any{"certificates_on_connectors": total, "duplicates": dup}
	r.OK = total == certificates && dup == 0
	b.many = w
	b.manyEnv = e
	return r
}

// Scenario 2: a plan (refresh) of the same.
func (b *bench) refreshManyCertificates() result {
	r := result{Scenario: "2 plan (refresh) of the 50 certificates"}
	if b.many == nil {
		r.Error = "needs scenario 1"
		return r
	}
	e := b.manyEnv
	e.emu.ResetJournal()
	start := time.Now()
	err := b.many.run("plan", "-input=false", "-no-color", "-detailed-exitcode")
	timed(&r, start)
	r.Requests = requestsByMethod(e.emu.Journal())
	if err != nil {
		r.Error = err.Error() // exit code 2 means the plan was not empty
		return r
	}
	r.Extra = map[string]any{"floor_gets": connectors}
	r.OK = true
	return r
}

// Scenario 3: a PKI upload whose job lasts 5 s: polls, and how late the finish was noticed.
func (b *bench) pkiUpload() result {
	r := result{Scenario: "3 PKI upload, job of 5 s"}
	const job = 5 * time.Second
	dir, err := os.MkdirTemp("", "entracert-bench-files-")
	if err != nil {
		r.Error = err.Error()
		return r
	}
	defer os.RemoveAll(dir)
	p7b := testfixtures.Bytes("contoso-pki.p7b")
	if err := os.WriteFile(filepath.Join(dir, "contoso.p7b"), p7b, 0o600); err != nil {
		r.Error = err.Error()
		return r
	}
	e, err := newEnv(graphemu.Options{UploadDuration: job, Files: http.Dir(dir)})
	if err != nil {
		r.Error = err.Error()
		return r
	}
	defer e.srv.Close()
	cfg := requiredProviders + e.providerBlock() + pkiUploadConfig("bench PKI", e.endpoint+"/files/contoso.p7b", p7b)
	w, err := newWorkspace(b.terraform, cfg)
	if err != nil {
		r.Error = err.Error()
		return r
	}
	defer w.close()
	e.emu.SetLatency(b.latency)
	e.emu.ResetJournal()
	start := time.Now()
	err = w.run("apply", "-auto-approve", "-input=false", "-no-color")
	timed(&r, start)
	j := e.emu.Journal()
	r.Requests = requestsByMethod(j)
	if err != nil {
		r.Error = err.Error()
		return r
	}
	var uploadAt time.Time
	var pkiPath string
	for _, en := range j {
		if en.Method == "POST" && strings.HasSuffix(en.Path, "/upload") {
			uploadAt, pkiPath = en.Time, strings.TrimSuffix(en.Path, "/upload")
		}
	}
	polls, noticed := 0, time.Time{}
	jobEnd := uploadAt.Add(job)
	for _, en := range j {
		if en.Method == "GET" && en.Path == pkiPath && en.Time.After(uploadAt) {
			polls++
			if noticed.IsZero() && !en.Time.Before(jobEnd) {
				noticed = en.Time
			}
		}
	}
	late := noticed.Sub(jobEnd)
	r.Extra = map[string]any{"polls": polls, "noticed_late": late.Round(time.Millisecond).String(),
		"noticed_late_pct_of_job": fmt.Sprintf("%.0f%%", 100*late.Seconds()/job.Seconds())}
	r.OK = !noticed.IsZero()
	return r
}

// Scenario 4: scenario 1 with 20 % of requests answered 429 with Retry-After: 1.
func (b *bench) applyUnderThrottling() result {
	r := result{Scenario: "4 apply 50 certificates, 20% answered 429 Retry-After: 1"}
	e, w, err := b.manyCertificates(graphemu.Options{})
	if err != nil {
		r.Error = err.Error()
		return r
	}
	defer e.srv.Close()
	defer w.close()
	for _, p := range []string{"/identity/apiConnectors", "/identity/apiConnectors/*", "/identity/apiConnectors/*/uploadClientCertificate"} {
		e.emu.AddFault(graphemu.Fault{Path: p, Status: 429, RetryAfter: "1", Probability: 0.2})
	}
	e.emu.SetLatency(b.latency)
	e.emu.ResetJournal()
	start := time.Now()
	err = w.run("apply", "-auto-approve", "-input=false", "-no-color", "-parallelism=10")
	timed(&r, start)
	r.Requests = requestsByMethod(e.emu.Journal())
	if err != nil {
		r.Error = err.Error()
		return r
	}
	e.emu.ClearFaults()
	dup, total := certificateCounts(e)
	// The emulator keeps one entry per thumbprint, so a second upload Graph accepted is the duplicate to look for.
	twice := r.Requests["upload_accepted"] - certificates
	r.Extra = map[string]any{"certificates_on_connectors": total, "duplicates": dup, "uploaded_twice": twice}
	r.OK = total == certificates && dup == 0 && twice == 0
	return r
}

// Scenario 5: provider start-up: launch to handshake of the built binary, its resident memory, and the
// time to serve the schema.
func (b *bench) startup() result {
	r := result{Scenario: "5 provider start-up"}
	dir, err := os.MkdirTemp("", "entracert-bench-bin-")
	if err != nil {
		r.Error = err.Error()
		return r
	}
	defer os.RemoveAll(dir)
	bin := filepath.Join(dir, "terraform-provider-entracert")
	if out, err := exec.CommandContext(background, "go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		r.Error = fmt.Sprintf("go build: %v: %s", err, out)
		return r
	}
	const runs = 5
	var total time.Duration
	var rssKB int
	for i := 0; i < runs; i++ {
		d, rss, err := launchToHandshake(bin)
		if err != nil {
			r.Error = err.Error()
			return r
		}
		total += d
		rssKB = max(rssKB, rss)
	}
	start := time.Now()
	srv := providerserver.NewProtocol6(provider.New("bench")())()
	resp, err := srv.GetProviderSchema(background, &tfprotov6.GetProviderSchemaRequest{})
	schemaTime := time.Since(start)
	if err != nil || len(resp.ResourceSchemas) == 0 {
		r.Error = fmt.Sprintf("schema: %v", err)
		return r
	}
	avg := total / runs
	r.Wall = avg.Round(time.Millisecond).String()
	r.WallMS = avg.Milliseconds()
	r.Extra = map[string]any{"launch_to_handshake_avg": avg.Round(time.Millisecond).String(), "rss_mb": rssKB / 1024,
		"schema_served_in_process": schemaTime.Round(time.Microsecond).String(), "resources": len(resp.ResourceSchemas)}
	r.OK = true
	return r
}

// launchToHandshake starts the provider as Terraform does and waits for go-plugin's handshake line.
func launchToHandshake(bin string) (time.Duration, int, error) {
	cmd := exec.CommandContext(background, bin)
	cmd.Env = append(os.Environ(),
		"TF_PLUGIN_MAGIC_COOKIE=d602bf8f470bc67ca7faa0386276bbdd4330efaf76d1a219cb4d6991ca9872b2",
		"PLUGIN_PROTOCOL_VERSIONS=6", "PLUGIN_MIN_PORT=10000", "PLUGIN_MAX_PORT=25000")
	out, err := cmd.StdoutPipe()
	if err != nil {
		return 0, 0, err
	}
	start := time.Now()
	if err := cmd.Start(); err != nil {
		return 0, 0, err
	}
	defer func() { _ = cmd.Process.Kill(); _ = cmd.Wait() }()
	line, err := bufio.NewReader(out).ReadString('\n')
	d := time.Since(start)
	if err != nil {
		return 0, 0, fmt.Errorf("no handshake from the provider: %w", err)
	}
	if !strings.Contains(line, "|6|") {
		return 0, 0, fmt.Errorf("no protocol 6 handshake from the provider: %q", line)
	}
	return d, residentKB(cmd.Process.Pid), nil
}

func residentKB(pid int) int {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0
	}
	for _, l := range strings.Split(string(b), "\n") {
		if strings.HasPrefix(l, "VmRSS:") {
			var kb int
			_, _ = fmt.Sscanf(strings.TrimSpace(strings.TrimPrefix(l, "VmRSS:")), "%d", &kb)
			return kb
		}
	}
	return 0
}

// certificateCounts reads every connector and counts certificates and duplicate thumbprints.
func certificateCounts(e *env) (duplicates, total int) {
	list, err := e.graph.ListAPIConnectors(background, "")
	if err != nil {
		return -1, -1
	}
	for _, c := range list {
		full, err := e.graph.GetAPIConnector(background, c.ID)
		if err != nil {
			return -1, -1
		}
		seen := map[string]bool{}
		for _, cert := range full.Certificates {
			if seen[cert.Thumbprint] {
				duplicates++
			}
			seen[cert.Thumbprint] = true
			total++
		}
	}
	return duplicates, total
}

// newPFX makes a fresh EC key and self-signed client certificate, valid from an hour ago for a year.
func newPFX(cn string) ([]byte, error) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, err
	}
	serial, _ := rand.Int(rand.Reader, big.NewInt(1<<62))
	tmpl := &x509.Certificate{
		SerialNumber: serial, Subject: pkix.Name{CommonName: cn},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().AddDate(1, 0, 0),
		KeyUsage: x509.KeyUsageDigitalSignature, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageClientAuth},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		return nil, err
	}
	cert, _ := x509.ParseCertificate(der)
	return pkcs12.Modern.Encode(key, cert, nil, pfxPassword)
}

// pkiUploadConfig is a PKI named name with one upload of the .p7b p7b, served at url.
func pkiUploadConfig(name, url string, p7b []byte) string {
	return fmt.Sprintf(`
resource "entracert_certificate_based_auth_pki" "p" {
  display_name = %q
}

resource "entracert_certificate_based_auth_pki_upload" "u" {
  pki_id           = entracert_certificate_based_auth_pki.p.id
  upload_url       = %q
  sha256_file_hash = %q
}
`, name, url, pkcs.SHA256Hex(p7b))
}
