package pki

import (
	"errors"
	"net"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/entracert/terraform-provider-entracert/internal/clients"
	"github.com/entracert/terraform-provider-entracert/internal/download"
	"github.com/entracert/terraform-provider-entracert/internal/testfixtures"
)

// countingServer is an httptest server on loopback that counts the connections made to it.
func countingServer(t *testing.T, h http.Handler) (*httptest.Server, *atomic.Int32) {
	t.Helper()
	var conns atomic.Int32
	srv := httptest.NewUnstartedServer(h)
	srv.Config.ConnState = func(_ net.Conn, s http.ConnState) {
		if s == http.StateNew {
			conns.Add(1)
		}
	}
	srv.Start()
	t.Cleanup(srv.Close)
	return srv, &conns
}

func wantRefused(t *testing.T, err error, words ...string) {
	t.Helper()
	var ie *detailedError
	if !errors.As(err, &ie) {
		t.Fatalf("got %v, want a refusal on upload_url", err)
	}
	if ie.Attribute.String() != "upload_url" || ie.Summary != "Cannot download upload_url" {
		t.Errorf("refusal on %s: %q", ie.Attribute, ie.Summary)
	}
	for _, w := range append(words, "no request was sent to it", "Publish the .p7b") {
		if !strings.Contains(ie.Detail, w) {
			t.Errorf("detail %q lacks %q", ie.Detail, w)
		}
	}
	if strings.Contains(ie.Detail, "s3cr3t") {
		t.Errorf("detail shows the URL's query: %q", ie.Detail)
	}
}

func TestRefusedReason(t *testing.T) {
	for addr, want := range map[string]string{
		"169.254.169.254": "metadata", "169.254.1.1": "link-local", "fe80::1": "link-local",
		"10.1.2.3": "private", "172.16.0.1": "private", "192.168.1.1": "private", "fd00::1": "private",
		"100.64.0.1": "carrier-grade NAT", "127.0.0.1": "loopback", "::1": "loopback", "::ffff:127.0.0.1": "loopback",
		"0.0.0.0": "unspecified", "::": "unspecified", "224.0.0.1": "multicast", "ff02::1": "multicast",
		"255.255.255.255": "broadcast", "::ffff:10.0.0.1": "private",
		"20.190.160.1": "", "2603:1030::1": "", "100.128.0.1": "", "172.32.0.1": "",
	} {
		got := refusedReason(netip.MustParseAddr(addr))
		if (want == "") != (got == "") || !strings.Contains(got, want) {
			t.Errorf("refusedReason(%s) = %q, want %q", addr, got, want)
		}
	}
}

func TestFetchBundleRefusesAddressesGraphCannotReach(t *testing.T) {
	t.Parallel()
	ctx := t.Context()
	strict := download.ForGraphEndpoint("https://graph.microsoft.com") // a provider for real Graph
	hash := testfixtures.ContosoSHA256

	// Metadata and private literals: refused before any connection is attempted (no listener needed).
	_, err := fetchBundle(ctx, strict, "http://169.254.169.254/latest/meta-data/?sig=s3cr3t", hash)
	wantRefused(t, err, "169.254.169.254", "metadata", "http://169.254.169.254/latest/meta-data/?…")
	_, err = fetchBundle(ctx, strict, "https://10.20.30.40/contoso.p7b", hash)
	wantRefused(t, err, "10.20.30.40", "private")
	_, err = fetchBundle(ctx, strict, "http://[fd12::1]:8080/contoso.p7b", hash)
	wantRefused(t, err, "private")

	// A loopback listener, endpoint not loopback: refused, zero connections made.
	file, fileConns := countingServer(t, http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		_, _ = w.Write(testfixtures.Bytes("contoso-pki.p7b"))
	}))
	_, err = fetchBundle(ctx, strict, file.URL+"/contoso.p7b", hash)
	wantRefused(t, err, "loopback")
	// A name that resolves to loopback is refused at connect time, after resolution.
	_, err = fetchBundle(ctx, strict, strings.Replace(file.URL, "127.0.0.1", "localhost", 1)+"/contoso.p7b", hash)
	wantRefused(t, err, "loopback")
	if n := fileConns.Load(); n != 0 {
		t.Errorf("%d connections to a refused loopback address", n)
	}

	// The same file when it is the loopback emulator's address: allowed.
	if _, err := fetchBundle(ctx, download.ForGraphEndpoint(file.URL), file.URL+"/contoso.p7b", hash); err != nil {
		t.Fatalf("loopback allowed: %v", err)
	}

	// Redirects are checked on every hop: a loopback redirect to metadata, and to a private name.
	redirector, redirConns := countingServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		to := "http://169.254.169.254/latest/meta-data/iam"
		if r.URL.Path == "/to-name" {
			to = "http://localhost:1/x.p7b"
		}
		http.Redirect(w, r, to, http.StatusFound)
	}))
	_, err = fetchBundle(ctx, strict, redirector.URL+"/to-metadata", hash)
	wantRefused(t, err, "loopback")
	if n := redirConns.Load(); n != 0 {
		t.Errorf("endpoint not loopback: %d connections to the loopback redirector", n)
	}
	_, err = fetchBundle(ctx, download.ForGraphEndpoint(redirector.URL), redirector.URL+"/to-metadata", hash)
	wantRefused(t, err, "redirects to http://169.254.169.254/latest/meta-data/iam", "metadata")
	_, err = fetchBundle(ctx, strict, "http://localhost:1/", hash)
	wantRefused(t, err, "loopback")
}

// A provider instance's policy allows its own loopback emulator's address and no other loopback address, and two
// instances with different endpoints, downloading at once, never lend each other their allowance.
func TestDownloadPolicyAllowsOnlyItsOwnEmulator(t *testing.T) {
	t.Parallel()
	serve := func(w http.ResponseWriter, _ *http.Request) { _, _ = w.Write(testfixtures.Bytes("contoso-pki.p7b")) }
	emulatorA, connsA := countingServer(t, http.HandlerFunc(serve))
	emulatorB, connsB := countingServer(t, http.HandlerFunc(serve))
	clientA := &clients.Client{Downloads: download.ForGraphEndpoint(emulatorA.URL)}
	clientB := &clients.Client{Downloads: download.ForGraphEndpoint(emulatorB.URL)}
	ctx := t.Context()

	var wg sync.WaitGroup
	for range 4 {
		wg.Add(2)
		go func() {
			defer wg.Done()
			if _, err := fetchBundle(ctx, clientA.Downloads, emulatorA.URL+"/contoso.p7b", testfixtures.ContosoSHA256); err != nil {
				t.Errorf("A from its own emulator: %v", err)
			}
			_, err := fetchBundle(ctx, clientA.Downloads, emulatorB.URL+"/contoso.p7b", testfixtures.ContosoSHA256)
			wantRefused(t, err, "loopback")
		}()
		go func() {
			defer wg.Done()
			if _, err := fetchBundle(ctx, clientB.Downloads, emulatorB.URL+"/contoso.p7b", testfixtures.ContosoSHA256); err != nil {
				t.Errorf("B from its own emulator: %v", err)
			}
			_, err := fetchBundle(ctx, clientB.Downloads, emulatorA.URL+"/contoso.p7b", testfixtures.ContosoSHA256)
			wantRefused(t, err, "loopback")
		}()
	}
	wg.Wait()
	// Each emulator saw only its own provider's downloads: at most one connection per download, none refused ones.
	if a, b := connsA.Load(), connsB.Load(); a == 0 || b == 0 || a > 4 || b > 4 {
		t.Errorf("connections: %d to A, %d to B; want 1 to 4 each (4 allowed downloads each, none refused)", a, b)
	}
	// An unconfigured provider (nil client) allows no loopback address at all.
	var unconfigured *clients.Client
	_, err := fetchBundle(ctx, unconfigured.DownloadPolicy(), emulatorA.URL+"/contoso.p7b", testfixtures.ContosoSHA256)
	wantRefused(t, err, "loopback")
}
