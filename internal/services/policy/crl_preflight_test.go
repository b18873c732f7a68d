package policy

import (
	"crypto/ecdsa"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/entracert/terraform-provider-entracert/internal/clients"
	"github.com/entracert/terraform-provider-entracert/internal/crlcheck"
	"github.com/entracert/terraform-provider-entracert/internal/download"
	"github.com/entracert/terraform-provider-entracert/internal/pkcs"
	"github.com/entracert/terraform-provider-entracert/internal/testfixtures"
)

// Each CA whose CRL Entra could not use is one warning (never an error) on crl_validation.state, naming the CA
// (subject, thumbprint, SKI), the URL, what is wrong and what Entra does; an exempted CA and a CA without a CRL URL
// are not downloaded; a private-address or https URL is refused without a request.
func TestCRLPreflight(t *testing.T) {
	now := time.Now().UTC().Truncate(time.Second)
	var requests atomic.Int32
	files := map[string][]byte{}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		requests.Add(1)
		b, ok := files[r.URL.Path]
		if !ok {
			http.NotFound(w, r)
			return
		}
		_, _ = w.Write(b)
	}))
	t.Cleanup(srv.Close)
	type made struct {
		facts pkcs.CertificateAuthority
		ca    trustedCA
	}
	otherDER, otherKey := testfixtures.NewCA(t, "Other CA", now, 0)
	// build makes a CA whose CRL distribution point is on the test server, and the CRL it serves there (none: 404).
	build := func(name, crlPath string, crl func(der []byte, key *ecdsa.PrivateKey) []byte) made {
		der, key := testfixtures.NewCAWithCRL(t, name, srv.URL+crlPath, now)
		facts, err := pkcs.ParseCertificate(der)
		if err != nil {
			t.Fatal(err)
		}
		if crl != nil {
			files[crlPath] = crl(der, key)
		}
		return made{facts, trustedCA{PKIName: "Contoso", PKIID: "pki-1", DisplayName: facts.Subject, SKI: facts.SubjectKeyIdentifier,
			CRLURL: facts.CRLURL, Subject: facts.Subject, Thumbprint: facts.Thumbprint, DER: der}}
	}
	valid := build("Valid CA", "/valid.crl", func(der []byte, key *ecdsa.PrivateKey) []byte {
		return testfixtures.NewCRL(t, der, key, now.Add(-time.Hour), now.Add(24*time.Hour), 2, 0)
	})
	expired := build("Expired CA", "/expired.crl", func(der []byte, key *ecdsa.PrivateKey) []byte {
		return testfixtures.NewCRL(t, der, key, now.Add(-48*time.Hour), now.Add(-time.Hour), 2, 0)
	})
	wrongSigner := build("Wrong Signer CA", "/wrong.crl", func(der []byte, key *ecdsa.PrivateKey) []byte {
		return testfixtures.NewCRL(t, otherDER, otherKey, now.Add(-time.Hour), now.Add(24*time.Hour), 2, 0)
	})
	noAKI := build("No AKI CA", "/noaki.crl", func(der []byte, key *ecdsa.PrivateKey) []byte {
		return testfixtures.NewCRLWithoutAKI(t, der, key, now.Add(-time.Hour), now.Add(24*time.Hour), 2)
	})
	missing := build("Missing CRL CA", "/missing.crl", nil)
	exempted := build("Exempted CA", "/exempted.crl", nil)
	private := trustedCA{DisplayName: "Private CA", Subject: "CN=Private CA", Thumbprint: "AA", SKI: "AA01", CRLURL: "http://10.1.2.3/private.crl"}
	https := trustedCA{DisplayName: "HTTPS CA", Subject: "CN=HTTPS CA", Thumbprint: "BB", SKI: "BB01", CRLURL: "https://crl.contoso.example/https.crl"}
	noCRL := trustedCA{DisplayName: "No CRL CA", Subject: "CN=No CRL CA", Thumbprint: "CC", SKI: "CC01"}

	p := plannedPolicy{CRLState: known("enabled"), Exempted: []value{known(strings.ToLower(exempted.ca.SKI))}}
	cas := []trustedCA{valid.ca, expired.ca, wrongSigner.ca, noAKI.ca, missing.ca, exempted.ca, private, https, noCRL}
	targets := crlTargets(p, cas, nil)
	if len(targets) != 7 {
		t.Fatalf("%d targets, want 7 (every CA with a CRL URL but the exempted one): %+v", len(targets), targets)
	}
	got := crlPreflight(t.Context(), download.ForGraphEndpoint(srv.URL), targets, crlcheck.MaxSize, now)
	if n := requests.Load(); n != 5 {
		t.Errorf("%d requests, want 5 (none for the exempted CA, the private address and the https URL)", n)
	}
	want := map[string][]string{
		expired.facts.Subject:     {"The CRL expired", "fails every sign-in"},
		wrongSigner.facts.Subject: {"not signed by this CA", "is not the CA's subject key identifier"},
		noAKI.facts.Subject:       {"no authority key identifier"},
		missing.facts.Subject:     {"404", "skip_crl_preflight = true"},
		"CN=Private CA":           {"a private address", "http://10.1.2.3/private.crl"},
		"CN=HTTPS CA":             {"over http only"},
	}
	if len(got) != len(want) {
		t.Fatalf("%d findings, want %d: %+v", len(got), len(want), got)
	}
	for _, f := range got {
		if f.Error || f.Path.String() != "crl_validation.state" || f.Summary != "Entra could not use a CA's CRL" {
			t.Errorf("finding %+v: want a warning on crl_validation.state", f)
		}
		var words []string
		for subject, w := range want {
			if strings.Contains(f.Detail, `CA "`+subject+`"`) {
				words = w
			}
		}
		if words == nil {
			t.Errorf("unexpected finding %q", f.Detail)
			continue
		}
		for _, w := range words {
			if !strings.Contains(f.Detail, w) {
				t.Errorf("finding %q lacks %q", f.Detail, w)
			}
		}
	}
	for _, m := range []made{expired, wrongSigner} {
		found := false
		for _, f := range got {
			found = found || (strings.Contains(f.Detail, "thumbprint "+m.facts.Thumbprint) && strings.Contains(f.Detail, "subject key identifier "+m.facts.SubjectKeyIdentifier) &&
				strings.Contains(f.Detail, m.facts.CRLURL))
		}
		if !found {
			t.Errorf("no finding names %s by thumbprint, SKI and URL", m.facts.Subject)
		}
	}

	// A CA planned in this run replaces the trust store's record: with no CRL now, it is not downloaded.
	planned := []clients.PlannedCA{{Thumbprint: expired.facts.Thumbprint, Subject: expired.facts.Subject, SKI: expired.facts.SubjectKeyIdentifier}}
	if ts := crlTargets(p, []trustedCA{expired.ca}, planned); len(ts) != 0 {
		t.Errorf("planned without a CRL: %+v", ts)
	}
	planned[0].CRLURL, planned[0].DER = valid.facts.CRLURL, valid.ca.DER
	if ts := crlTargets(p, nil, planned); len(ts) != 1 || ts[0].CRLURL != valid.facts.CRLURL {
		t.Errorf("planned with a CRL: %+v", ts)
	}
	if crlEnabled(plannedPolicy{CRLState: known("enabled"), Exempted: []value{{}}}) || crlEnabled(plannedPolicy{CRLState: known("disabled"), Exempted: []value{}}) {
		t.Errorf("the pre-flight runs only with CRL validation enabled and every exemption known")
	}
}
