package pki

import (
	"context"
	"errors"
	"net"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/entracert/terraform-provider-entracert/internal/clients"
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
	ctx := context.Background()
	strict := withDownloadPolicy(ctx, downloadPolicyFor(&clients.Client{}))
	hash := testfixtures.ContosoSHA256

	// Metadata and private literals: refused before any connection is attempted (no listener needed).
	_, err := fetchBundle(strict, "http://169.254.169.254/latest/meta-data/?sig=s3cr3t", hash)
	wantRefused(t, err, "169.254.169.254", "metadata", "http://169.254.169.254/latest/meta-data/?…")
	_, err = fetchBundle(strict, "https://10.20.30.40/contoso.p7b", hash)
	wantRefused(t, err, "10.20.30.40", "private")
	_, err = fetchBundle(strict, "http://[fd12::1]:8080/contoso.p7b", hash)
	wantRefused(t, err, "private")

	// A loopback listener, endpoint not loopback: refused, zero connections made.
	file, fileConns := countingServer(t, http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		_, _ = w.Write(testfixtures.Bytes("contoso-pki.p7b"))
	}))
	_, err = fetchBundle(strict, file.URL+"/contoso.p7b", hash)
	wantRefused(t, err, "loopback")
	// A name that resolves to loopback is refused at connect time, after resolution.
	_, err = fetchBundle(strict, strings.Replace(file.URL, "127.0.0.1", "localhost", 1)+"/contoso.p7b", hash)
	wantRefused(t, err, "loopback")
	if n := fileConns.Load(); n != 0 {
		t.Errorf("%d connections to a refused loopback address", n)
	}

	// The same file with a loopback emulator endpoint: allowed.
	loopback := withDownloadPolicy(ctx, downloadPolicyFor(&clients.Client{AllowLoopbackDownloads: true}))
	if _, err := fetchBundle(loopback, file.URL+"/contoso.p7b", hash); err != nil {
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
	_, err = fetchBundle(strict, redirector.URL+"/to-metadata", hash)
	wantRefused(t, err, "loopback")
	if n := redirConns.Load(); n != 0 {
		t.Errorf("endpoint not loopback: %d connections to the loopback redirector", n)
	}
	_, err = fetchBundle(loopback, redirector.URL+"/to-metadata", hash)
	wantRefused(t, err, "redirects to http://169.254.169.254/latest/meta-data/iam", "metadata")
	_, err = fetchBundle(strict, "http://localhost:1/", hash)
	wantRefused(t, err, "loopback")
}

func TestDownloadPolicyFallbackAllowsOnlyRegisteredEmulators(t *testing.T) {
	t.Parallel()
	emulator, _ := countingServer(t, http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		_, _ = w.Write(testfixtures.Bytes("contoso-pki.p7b"))
	}))
	other, otherConns := countingServer(t, http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		_, _ = w.Write(testfixtures.Bytes("contoso-pki.p7b"))
	}))
	AllowLoopbackDownloadsFrom(strings.TrimPrefix(emulator.URL, "http://"))
	ctx := context.Background() // no explicit policy
	if _, err := fetchBundle(ctx, emulator.URL+"/contoso.p7b", testfixtures.ContosoSHA256); err != nil {
		t.Fatalf("the registered emulator's address: %v", err)
	}
	_, err := fetchBundle(ctx, other.URL+"/contoso.p7b", testfixtures.ContosoSHA256)
	wantRefused(t, err, "loopback")
	if n := otherConns.Load(); n != 0 {
		t.Errorf("%d connections to an unregistered loopback address", n)
	}
}
