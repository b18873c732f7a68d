package pki

import (
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/entracert/terraform-provider-entracert/internal/download"
	"github.com/entracert/terraform-provider-entracert/internal/pkcs"
	"github.com/entracert/terraform-provider-entracert/internal/testfixtures"
)

func TestFetchBundle(t *testing.T) {
	t.Parallel()
	files := map[string][]byte{
		"contoso.p7b":     Fixture(t, "contoso-pki.p7b"),
		"contoso-pem.p7b": Fixture(t, "contoso-pki-pem.p7b"),
		"cert.pem":        Fixture(t, "root-ca.pem"),
		"huge.p7b":        make([]byte, pkcs.MaxBundleSize+1),
		"many.p7b":        testfixtures.Bundle(t, testfixtures.NewCAs(t, 251, 0)...),
		"fat.p7b":         testfixtures.Bundle(t, testfixtures.NewCAs(t, 1, 9000)...),
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/redirect-ftp" {
			http.Redirect(w, r, "ftp://example.com/x.p7b", http.StatusFound)
			return
		}
		b, ok := files[strings.TrimPrefix(r.URL.Path, "/")]
		if !ok {
			http.NotFound(w, r)
			return
		}
		_, _ = w.Write(b)
	}))
	defer srv.Close()
	hashOf := func(name string) string { return pkcs.SHA256Hex(files[name]) }
	// The test server listens on loopback, as an emulator endpoint would allow.
	ctx, loopbackOK := t.Context(), download.Policy{AllowLoopback: true}

	b, err := fetchBundle(ctx, loopbackOK, srv.URL+"/contoso.p7b", strings.ToLower(testfixtures.ContosoSHA256))
	if err != nil {
		t.Fatal(err)
	}
	if b.SHA256 != testfixtures.ContosoSHA256 || len(b.CAs) != 2 {
		t.Fatalf("got %s with %d CAs", b.SHA256, len(b.CAs))
	}
	if _, err := fetchBundle(ctx, loopbackOK, srv.URL+"/contoso-pem.p7b", testfixtures.ContosoPEMSHA256); err != nil {
		t.Fatal(err)
	}

	for _, tc := range []struct {
		name, url, hash, attr string
		want                  []string
	}{
		{"hash mismatch", srv.URL + "/contoso.p7b", testfixtures.FabrikamSHA256, "sha256_file_hash",
			[]string{testfixtures.FabrikamSHA256, testfixtures.ContosoSHA256}},
		{"scheme", "ftp://example.com/contoso.p7b", testfixtures.ContosoSHA256, "upload_url", []string{"scheme ftp"}},
		{"no host", "https:///contoso.p7b", testfixtures.ContosoSHA256, "upload_url", []string{"no host"}},
		{"unreachable", "http://127.0.0.1:1/contoso.p7b", testfixtures.ContosoSHA256, "upload_url", []string{"failed", "reachable"}},
		{"404", srv.URL + "/missing.p7b", testfixtures.ContosoSHA256, "upload_url", []string{"404"}},
		{"404 with a SAS token", srv.URL + "/missing.p7b?sv=2024&sig=s3cr3t", testfixtures.ContosoSHA256, "upload_url", []string{"404", "missing.p7b?…"}},
		{"redirect to ftp", srv.URL + "/redirect-ftp", testfixtures.ContosoSHA256, "upload_url", []string{"not http or https"}},
		{"not a p7b", srv.URL + "/cert.pem", hashOf("cert.pem"), "upload_url", []string{"not a PKCS#7"}},
		{"too large", srv.URL + "/huge.p7b", hashOf("huge.p7b"), "upload_url", []string{"larger than 2 MB"}},
		{"too many", srv.URL + "/many.p7b", hashOf("many.p7b"), "upload_url", []string{"more than 250"}},
		{"CA too large", srv.URL + "/fat.p7b", hashOf("fat.p7b"), "upload_url", []string{"larger than 8 KB"}},
	} {
		_, err := fetchBundle(ctx, loopbackOK, tc.url, tc.hash)
		var ie *detailedError
		if !errors.As(err, &ie) {
			t.Errorf("%s: got %v, want an input error", tc.name, err)
			continue
		}
		if got := ie.Attribute.String(); got != tc.attr {
			t.Errorf("%s: error on %s, want %s", tc.name, got, tc.attr)
		}
		if strings.Contains(ie.Detail, "s3cr3t") {
			t.Errorf("%s: detail %q shows the URL's query", tc.name, ie.Detail)
		}
		for _, w := range tc.want {
			if !strings.Contains(ie.Detail, w) {
				t.Errorf("%s: detail %q does not contain %q", tc.name, ie.Detail, w)
			}
		}
	}
}
