// Command bench measures Graph requests and time per plan and apply: it runs the real terraform binary against
// the in-process Graph emulator with latency injected, and reports from the emulator's journal and the clock.
//
//	go run ./internal/bench [-latency 50ms] [-scenarios 1,2,3,4,5,6,7,8,9] [-cpuprofile f] [-profiledir dir]
package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"net/http/httptest"
	"os"
	"runtime/pprof"
	"sort"
	"strings"
	"time"

	"github.com/entracert/terraform-provider-entracert/internal/graph"
	"github.com/entracert/terraform-provider-entracert/internal/graphemu"
)

// result is one scenario's figures: printed as a table row and as one JSON line.
type result struct {
	Scenario string         `json:"scenario"`
	OK       bool           `json:"ok"`
	Wall     string         `json:"wall"`
	WallMS   int64          `json:"wall_ms"`
	Requests map[string]int `json:"requests,omitempty"`
	Extra    map[string]any `json:"extra,omitempty"`
	Error    string         `json:"error,omitempty"`
}

func main() {
	latency := flag.Duration("latency", 50*time.Millisecond, "latency the emulator adds to every request")
	scenarios := flag.String("scenarios", "1,2,3,4,5,6,7,8,9", "which scenarios to run")
	verbose := flag.Bool("v", false, "show the in-process provider's logs")
	cpuProfile := flag.String("cpuprofile", "", "write a CPU profile of this process (the provider and the emulator) to this file")
	profileDir := flag.String("profiledir", "", "scenario 9: write the CPU profile of each measured plan into this directory (not with -cpuprofile)")
	flag.Parse()
	if *cpuProfile != "" {
		f, err := os.Create(*cpuProfile)
		if err != nil {
			fmt.Fprintln(os.Stderr, "error:", err)
			os.Exit(1)
		}
		if err := pprof.StartCPUProfile(f); err != nil {
			fmt.Fprintln(os.Stderr, "error:", err)
			os.Exit(1)
		}
		defer pprof.StopCPUProfile()
	}
	progress := os.Stderr
	if !*verbose {
		// The provider runs in this process and logs to stderr; keep that out of the report.
		if devnull, err := os.OpenFile(os.DevNull, os.O_WRONLY, 0); err == nil {
			os.Stderr = devnull
		}
	}

	tf, err := findTerraform()
	if err != nil {
		fmt.Fprintln(progress, "error:", err)
		os.Exit(1)
	}
	want := map[string]bool{}
	for _, s := range strings.Split(*scenarios, ",") {
		want[strings.TrimSpace(s)] = true
	}
	var results []result
	run := func(id string, f func() result) {
		if !want[id] {
			return
		}
		fmt.Fprintf(progress, "running scenario %s...\n", id)
		r := f()
		results = append(results, r)
		line, _ := json.Marshal(r)
		fmt.Println(string(line))
	}
	b := &bench{terraform: tf, latency: *latency, profileDir: *profileDir}
	run("1", b.applyManyCertificates)
	run("2", b.refreshManyCertificates)
	run("3", b.pkiUpload)
	run("4", b.applyUnderThrottling)
	run("5", b.startup)
	run("6", b.refreshLarge)        // refresh_large.go
	run("7", b.caBatching)          // ca_scenarios.go
	run("8", b.caResourcesOnOnePKI) // ca_resources.go
	run("9", b.planAtScale)         // plan_scale.go
	printTable(results)
	for _, r := range results {
		if !r.OK {
			pprof.StopCPUProfile() // no-op without -cpuprofile; os.Exit skips the deferred stop
			os.Exit(1)
		}
	}
}

type bench struct {
	terraform  string
	latency    time.Duration
	profileDir string // scenario 9's plan profiles (-profiledir)
	// state of scenarios 1 and 2, which share one emulator and working directory
	many    *workspace
	manyEnv *env
}

// env is an emulator on loopback with a Graph client for seeding and checks.
type env struct {
	emu      *graphemu.Emulator
	srv      *httptest.Server
	graph    *graph.Client
	token    string
	endpoint string
}

func newEnv(opts graphemu.Options) (*env, error) {
	opts.Token = "bench-token"
	emu := graphemu.New(opts)
	srv := httptest.NewServer(emu)
	g, err := graph.New(graph.Options{Endpoint: srv.URL, Credential: graph.StaticToken(opts.Token),
		Scopes: []string{"https://graph.microsoft.com/.default"}, UserAgent: "entracert-bench"})
	if err != nil {
		srv.Close()
		return nil, err
	}
	return &env{emu: emu, srv: srv, graph: g, token: opts.Token, endpoint: srv.URL}, nil
}

func (e *env) providerBlock() string {
	return fmt.Sprintf("provider \"entracert\" {\n  graph_endpoint = %q\n  access_token   = %q\n}\n", e.endpoint, e.token)
}

// requestsByMethod counts journal entries per method, plus uploads separately.
func requestsByMethod(j []graphemu.JournalEntry) map[string]int {
	out := map[string]int{}
	for _, e := range j {
		out[e.Method]++
		if strings.HasSuffix(e.Path, "/uploadClientCertificate") || strings.HasSuffix(e.Path, "/upload") {
			out["upload"]++
			if e.Status >= 200 && e.Status < 300 {
				out["upload_accepted"]++
			}
		}
		if e.Status == 429 {
			out["429"]++
		}
	}
	return out
}

func printTable(rs []result) {
	fmt.Println()
	fmt.Printf("%-58s %-4s %10s  %s\n", "scenario", "ok", "wall", "figures")
	for _, r := range rs {
		var parts []string
		keys := make([]string, 0, len(r.Requests))
		for k := range r.Requests {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			parts = append(parts, fmt.Sprintf("%s=%d", k, r.Requests[k]))
		}
		ekeys := make([]string, 0, len(r.Extra))
		for k := range r.Extra {
			ekeys = append(ekeys, k)
		}
		sort.Strings(ekeys)
		for _, k := range ekeys {
			parts = append(parts, fmt.Sprintf("%s=%v", k, r.Extra[k]))
		}
		if r.Error != "" {
			parts = append(parts, "error="+r.Error)
		}
		fmt.Printf("%-58s %-4v %10s  %s\n", r.Scenario, r.OK, r.Wall, strings.Join(parts, " "))
	}
}

func timed(r *result, start time.Time) {
	d := time.Since(start)
	r.Wall = d.Round(time.Millisecond).String()
	r.WallMS = d.Milliseconds()
}

var background = context.Background()
