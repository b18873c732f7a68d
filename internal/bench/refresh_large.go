package main

import (
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/entracert/terraform-provider-entracert/internal/graphemu"
)

const (
	largeConnectors   = 100
	largeCertificates = 1000
)

// Scenario 6: a plan (refresh) of 1,000 certificates on 100 connectors. The read cache lasts the whole operation,
// so each connector costs at most one GET however long the refresh runs; the apply that sets it up runs without
// latency and is not measured.
func (b *bench) refreshLarge() result {
	r := result{Scenario: fmt.Sprintf("6 plan (refresh) of %d certificates / %d connectors", largeCertificates, largeConnectors)}
	e, w, err := b.certificatesOnConnectors(graphemu.Options{}, largeConnectors, largeCertificates)
	if err != nil {
		r.Error = err.Error()
		return r
	}
	defer e.srv.Close()
	defer w.close()
	if err := w.run("apply", "-auto-approve", "-input=false", "-no-color", "-parallelism=20"); err != nil {
		r.Error = "setting up: " + err.Error()
		return r
	}
	e.emu.SetLatency(b.latency)
	e.emu.ResetJournal()
	start := time.Now()
	err = w.run("plan", "-input=false", "-no-color", "-detailed-exitcode")
	timed(&r, start)
	j := e.emu.Journal()
	r.Requests = requestsByMethod(j)
	if err != nil {
		r.Error = err.Error() // exit code 2 means the plan was not empty
		return r
	}
	perConnector := map[string]int{}
	for _, en := range j {
		if en.Method == http.MethodGet && strings.Count(en.Path, "/") == 3 && strings.HasPrefix(en.Path, "/identity/apiConnectors/") {
			perConnector[en.Path]++
		}
	}
	most := 0
	for _, n := range perConnector {
		most = max(most, n)
	}
	r.Extra = map[string]any{"connectors_read": len(perConnector), "max_gets_per_connector": most, "floor_gets": largeConnectors}
	r.OK = most <= 1 && len(perConnector) == largeConnectors
	return r
}
