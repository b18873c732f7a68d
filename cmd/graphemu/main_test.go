package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/entracert/terraform-provider-entracert/internal/testfixtures"
)

// lines collects what run prints, line by line, safely across goroutines.
type lines struct {
	mu      sync.Mutex
	buf     bytes.Buffer
	written chan struct{} // closed by the next Write
}

func (l *lines) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.written != nil {
		close(l.written)
		l.written = nil
	}
	return l.buf.Write(p)
}

// await returns what was written once done holds for it, waking on each write rather than polling; it fails the
// test when run ends or nothing satisfies done within 10 seconds.
func (l *lines) await(t *testing.T, ran <-chan error, stderr *lines, done func(out string) bool) string {
	t.Helper()
	bound := time.NewTimer(10 * time.Second)
	defer bound.Stop()
	for {
		l.mu.Lock()
		out := l.buf.String()
		if l.written == nil {
			l.written = make(chan struct{})
		}
		written := l.written
		l.mu.Unlock()
		if done(out) {
			return out
		}
		select {
		case <-written:
		case err := <-ran:
			t.Fatalf("run ended (%v) before the expected output; stdout %q stderr %q", err, out, stderr.String())
		case <-bound.C:
			t.Fatalf("no expected output after 10s; stdout %q stderr %q", out, stderr.String())
		}
	}
}

func (l *lines) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.buf.String()
}

// facts parses key=value lines; display_name runs to the end of the line.
func facts(out string) (map[string]string, [][2]string, [][2]string) {
	single := map[string]string{}
	var connectors, pkis [][2]string
	sc := bufio.NewScanner(strings.NewReader(out))
	for sc.Scan() {
		line := sc.Text()
		first, rest, _ := strings.Cut(line, " ")
		k, v, _ := strings.Cut(first, "=")
		name := strings.TrimPrefix(rest, "display_name=")
		switch k {
		case "api_connector_id":
			connectors = append(connectors, [2]string{v, name})
		case "pki_id":
			pkis = append(pkis, [2]string{v, name})
		default:
			single[k] = v
		}
	}
	return single, connectors, pkis
}

func call(t *testing.T, method, url, token string, body any) (int, map[string]any) {
	t.Helper()
	var rd io.Reader
	if body != nil {
		b, _ := json.Marshal(body)
		rd = bytes.NewReader(b)
	}
	req, err := http.NewRequest(method, url, rd)
	if err != nil {
		t.Fatal(err)
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, url, err)
	}
	defer resp.Body.Close()
	var m map[string]any
	_ = json.NewDecoder(resp.Body).Decode(&m)
	return resp.StatusCode, m
}

func TestRunSeedFilesAndShutdown(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "contoso.p7b"), testfixtures.Bytes("contoso-pki.p7b"), 0o644); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	var stdout, stderr lines
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, []string{"-listen", "127.0.0.1:0", "-token", "T0KEN", "-seed", "-files", dir, "-upload-duration", "50ms"}, &stdout, &stderr)
	}()

	single, connectors, pkis := facts(stdout.await(t, done, &stderr, func(out string) bool {
		_, _, pkis := facts(out)
		return len(pkis) > 0
	}))
	deadline := time.Now().Add(10 * time.Second)
	endpoint := single["graph_endpoint"]
	if !strings.HasPrefix(endpoint, "http://127.0.0.1:") || strings.HasSuffix(endpoint, ":0") {
		t.Fatalf("graph_endpoint = %q", endpoint)
	}
	if single["files_url"] != endpoint+"/files/" {
		t.Errorf("files_url = %q", single["files_url"])
	}
	if len(connectors) < 2 || len(pkis) != 1 {
		t.Fatalf("seeded %v / %v", connectors, pkis)
	}

	// The seeded objects are there, with the names printed.
	status, list := call(t, "GET", endpoint+"/v1.0/identity/apiConnectors", "T0KEN", nil)
	if status != 200 || len(testfixtures.As[[]any](t, list["value"])) != len(connectors) {
		t.Fatalf("list connectors: %d %v", status, list)
	}
	for _, c := range connectors {
		status, got := call(t, "GET", endpoint+"/v1.0/identity/apiConnectors/"+c[0], "T0KEN", nil)
		ac, _ := got["authenticationConfiguration"].(map[string]any)
		if status != 200 || got["displayName"] != c[1] || ac["@odata.type"] != "#microsoft.graph.basicAuthentication" {
			t.Errorf("connector %v: %d %v", c, status, got)
		}
	}
	if status, _ := call(t, "GET", endpoint+"/v1.0/identity/apiConnectors", "other", nil); status != 401 {
		t.Errorf("wrong token: %d", status)
	}

	// A PKI upload fetches its .p7b from the emulator's own /files/ and finishes after -upload-duration.
	pki := endpoint + "/v1.0/directory/publicKeyInfrastructure/certificateBasedAuthConfigurations/" + pkis[0][0]
	status, _ = call(t, "POST", pki+"/upload", "T0KEN", map[string]any{
		"uploadUrl": single["files_url"] + "contoso.p7b", "sha256FileHash": testfixtures.ContosoSHA256,
	})
	if status != 204 {
		t.Fatalf("upload: %d", status)
	}
	for {
		status, got := call(t, "GET", pki, "T0KEN", nil)
		if status != 200 {
			t.Fatalf("get PKI: %d", status)
		}
		if got["status"] == "succeeded" {
			if got["displayName"] != pkis[0][1] {
				t.Errorf("PKI name %v, printed %q", got["displayName"], pkis[0][1])
			}
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("PKI still %v", got["status"])
		}
		time.Sleep(20 * time.Millisecond)
	}
	if status, got := call(t, "GET", pki+"/certificateAuthorities", "T0KEN", nil); status != 200 || len(testfixtures.As[[]any](t, got["value"])) != 2 {
		t.Errorf("CAs: %d %v", status, got)
	}

	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("run: %v", err)
		}
	case <-time.After(15 * time.Second):
		t.Fatal("run did not return after cancel")
	}
	if resp, err := http.Get(endpoint + "/v1.0/identity/apiConnectors"); err == nil {
		_ = resp.Body.Close()
		t.Error("still serving after shutdown")
	}
}

func TestRunFlagErrors(t *testing.T) {
	for _, args := range [][]string{
		{"-nope"},
		{"-files", filepath.Join(t.TempDir(), "missing")},
		{"-listen", "127.0.0.1:0", "extra"},
		{"-upload-duration", "-1s"},
		{"-listen", "not an address"},
	} {
		var out, errOut lines
		if err := run(t.Context(), args, &out, &errOut); err == nil {
			t.Errorf("run %q: no error", args)
		}
	}
}
