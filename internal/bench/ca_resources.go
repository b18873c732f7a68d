package main

import (
	"encoding/pem"
	"fmt"
	"strings"
	"syscall"
	"time"

	"github.com/entracert/terraform-provider-entracert/internal/graphemu"
)

// caResources is how many entracert_certificate_based_auth_certificate_authority resources scenario 8 manages on one
// PKI.
const caResources = 250

// Scenario 8: 250 CA resources on one PKI, through terraform (-parallelism=10): apply, refresh (plan) and destroy,
// with the emulator's latency; and the same apply without latency on a second PKI, Terraform's own time for the
// plan. Requests are the emulator's journal (a $batch counts once, its items apart); CPU is this process's, which
// serves the provider and the emulator (terraform runs in processes of its own).
func (b *bench) caResourcesOnOnePKI() result {
	r := result{Scenario: fmt.Sprintf("8 apply, refresh, destroy %d CA resources / 1 PKI (-parallelism=10)", caResources),
		Requests: map[string]int{}, Extra: map[string]any{}}
	e, err := newEnv(graphemu.Options{})
	if err != nil {
		r.Error = err.Error()
		return r
	}
	defer e.srv.Close()
	cas, err := benchCertificateAuthorities(caResources)
	if err != nil {
		r.Error = err.Error()
		return r
	}
	config := func(pkiID string) string {
		var cfg strings.Builder
		cfg.WriteString(requiredProviders + e.providerBlock() + "locals {\n  cas = {\n")
		for i, ca := range cas {
			fmt.Fprintf(&cfg, "    ca%03d = %q\n", i, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: ca.Certificate}))
		}
		fmt.Fprintf(&cfg, `  }
}

resource "entracert_certificate_based_auth_certificate_authority" "ca" {
  for_each    = local.cas
  pki_id      = %q
  certificate = each.value
}
`, pkiID)
		return cfg.String()
	}

	// Terraform's own time: the same apply with no latency, on a PKI of its own.
	base, err := e.graph.CreatePKI(background, "bench CA resources, no latency")
	if err != nil {
		r.Error = err.Error()
		return r
	}
	bw, err := newWorkspace(b.terraform, config(base.ID))
	if err != nil {
		r.Error = err.Error()
		return r
	}
	defer bw.close()
	start := time.Now()
	if err := bw.run("apply", "-auto-approve", "-input=false", "-no-color", "-parallelism=10"); err != nil {
		r.Error = "apply without latency: " + err.Error()
		return r
	}
	baseline := time.Since(start)

	p, err := e.graph.CreatePKI(background, "bench CA resources")
	if err != nil {
		r.Error = err.Error()
		return r
	}
	w, err := newWorkspace(b.terraform, config(p.ID))
	if err != nil {
		r.Error = err.Error()
		return r
	}
	defer w.close()
	e.emu.SetLatency(b.latency)

	type step struct {
		name string
		args []string
		goal int
	}
	ok := true
	for _, s := range []step{
		{"apply", []string{"apply", "-auto-approve", "-input=false", "-no-color", "-parallelism=10"}, 30},
		{"refresh", []string{"plan", "-input=false", "-no-color", "-detailed-exitcode", "-parallelism=10"}, 3},
		{"destroy", []string{"destroy", "-auto-approve", "-input=false", "-no-color", "-parallelism=10"}, 30},
	} {
		e.emu.ResetJournal()
		cpu0 := processCPU()
		start := time.Now()
		err := w.run(s.args...)
		took := time.Since(start)
		cpu := processCPU() - cpu0
		if err != nil {
			r.Error = s.name + ": " + err.Error()
			return r
		}
		n, batched := 0, 0
		shapes := map[string]int{}
		var sizes []int // writes per round, in the order sent: the journal lists a batch's items before the batch
		items := 0
		for _, en := range e.emu.Journal() {
			shapes[requestShape(en)]++
			if en.InBatch {
				batched++
				items++
				continue
			}
			switch {
			case en.Path == "/$batch":
				sizes = append(sizes, items)
				items = 0
			case (en.Method == "POST" || en.Method == "DELETE") && strings.Contains(en.Path, "/certificateAuthorities"):
				sizes = append(sizes, 1) // a round of one write goes out as a plain request
			}
			n++
		}
		r.Extra[s.name+"_round_sizes"] = sizes
		r.Extra[s.name+"_by_request"] = shapes
		r.Requests[s.name+"_http"] = n
		r.Requests[s.name+"_batch_items"] = batched
		r.Extra[s.name+"_wall"] = took.Round(time.Millisecond).String()
		r.Extra[s.name+"_cpu_per_resource"] = (cpu / caResources).Round(time.Microsecond).String()
		r.Extra[s.name+"_goal_http"] = s.goal
		ok = ok && n <= s.goal
		if s.name == "apply" {
			r.Extra["apply_no_latency_wall"] = baseline.Round(time.Millisecond).String()
			r.Extra["apply_wall_over_no_latency"] = fmt.Sprintf("%.2fx", took.Seconds()/baseline.Seconds())
			timed(&r, start)
		}
	}
	left, err := e.graph.ListCertificateAuthorities(background, p.ID)
	if err != nil || len(left) != 0 {
		r.Error = fmt.Sprintf("after destroy the PKI holds %d CAs (%v)", len(left), err)
		return r
	}
	r.OK = ok
	return r
}

// processCPU is the user and system CPU this process has used.
func processCPU() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// requestShape is a journal entry as "METHOD path" with IDs replaced by {id}, "(in $batch)" for batch items.
func requestShape(en graphemu.JournalEntry) string {
	parts := strings.Split(en.Path, "/")
	for i, p := range parts {
		if len(p) >= 32 && strings.Count(p, "-") == 4 {
			parts[i] = "{id}"
		}
	}
	s := en.Method + " " + strings.Join(parts, "/")
	if en.InBatch {
		s += " (in $batch)"
	}
	return s
}
