package crlcheck_test

import (
	"encoding/pem"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/entracert/terraform-provider-entracert/internal/crlcheck"
	"github.com/entracert/terraform-provider-entracert/internal/download"
	"github.com/entracert/terraform-provider-entracert/internal/pkcs"
	"github.com/entracert/terraform-provider-entracert/internal/testfixtures"
)

func TestCheck(t *testing.T) {
	t.Parallel()
	now := time.Now().UTC().Truncate(time.Second)
	caDER, key := testfixtures.NewCA(t, "CRL Test CA", now, 0)
	otherDER, otherKey := testfixtures.NewCA(t, "Other CA", now, 0)
	ca, err := pkcs.ParseCertificate(caDER)
	if err != nil {
		t.Fatal(err)
	}
	good := testfixtures.NewCRL(t, caDER, key, now.Add(-time.Hour), now.Add(24*time.Hour), 7, 3)
	files := map[string][]byte{
		"/good.crl":    good,
		"/good.pem":    pem.EncodeToMemory(&pem.Block{Type: "X509 CRL", Bytes: good}),
		"/expired.crl": testfixtures.NewCRL(t, caDER, key, now.Add(-48*time.Hour), now.Add(-time.Hour), 6, 0),
		"/other.crl":   testfixtures.NewCRL(t, otherDER, otherKey, now.Add(-time.Hour), now.Add(24*time.Hour), 1, 0),
		"/noaki.crl":   testfixtures.NewCRLWithoutAKI(t, caDER, key, now.Add(-time.Hour), now.Add(24*time.Hour), 8),
		"/big.crl":     make([]byte, 2048),
		"/junk.crl":    []byte("not a CRL"),
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, ok := files[r.URL.Path]
		if !ok {
			http.NotFound(w, r)
			return
		}
		_, _ = w.Write(b)
	}))
	t.Cleanup(srv.Close)
	emulator := download.ForGraphEndpoint(srv.URL) // the test server stands where a loopback emulator would
	check := func(path string, limit int64) []crlcheck.Problem {
		return crlcheck.Check(t.Context(), emulator, crlcheck.CA{Subject: ca.Subject, SKI: ca.SubjectKeyIdentifier, DER: caDER, CRLURL: srv.URL + path}, limit, now)
	}
	for _, p := range []string{"/good.crl", "/good.pem"} {
		if got := check(p, crlcheck.MaxSize); len(got) != 0 {
			t.Errorf("%s: %+v, want no problem", p, got)
		}
	}
	for path, want := range map[string]string{
		"/expired.crl": "The CRL expired",
		"/other.crl":   "is not the CA's subject key identifier",
		"/noaki.crl":   "no authority key identifier",
		"/missing.crl": "404",
		"/junk.crl":    "no CRL",
	} {
		got := check(path, crlcheck.MaxSize)
		if len(got) == 0 || !strings.Contains(got[0].What, want) || !strings.Contains(got[len(got)-1].Entra, "fails every sign-in") {
			t.Errorf("%s: %+v, want a problem with %q", path, got, want)
		}
	}
	if got := check("/other.crl", crlcheck.MaxSize); len(got) != 2 || !strings.Contains(got[1].What, "not signed by this CA") {
		t.Errorf("wrong signer: %+v, want the AKI and the signature problems", got)
	}
	if got := check("/big.crl", 1024); len(got) != 1 || !strings.Contains(got[0].What, "larger than 1024 bytes, Entra's limit") {
		t.Errorf("too large: %+v", got)
	}

	// Refused without a request: https, private and link-local literals, and loopback under the strict policy.
	strict := download.Policy{}
	for url, want := range map[string]string{
		"https://crl.contoso.example/x.crl": "over http only",
		"http://10.1.2.3/x.crl":             "a private address",
		"http://169.254.169.254/x.crl":      "metadata",
		"ldap://crl.contoso.example/x":      "scheme",
	} {
		got := crlcheck.Check(t.Context(), strict, crlcheck.CA{CRLURL: url}, crlcheck.MaxSize, now)
		if len(got) != 1 || !strings.Contains(got[0].What, want) {
			t.Errorf("%s: %+v, want %q", url, got, want)
		}
	}
	if got := crlcheck.Check(t.Context(), strict, crlcheck.CA{CRLURL: srv.URL + "/good.crl"}, crlcheck.MaxSize, now); len(got) != 1 || !strings.Contains(got[0].What, "loopback") {
		t.Errorf("loopback under the strict policy: %+v", got)
	}
}

func TestMaxSizeFor(t *testing.T) {
	for env, want := range map[string]int64{"public": 20 << 20, "china": 20 << 20, "usgovernmentl4": 45 << 20, "usgovernmentl5": 45 << 20} {
		if got := crlcheck.MaxSizeFor(env); got != want {
			t.Errorf("MaxSizeFor(%s) = %d, want %d", env, got, want)
		}
	}
}
