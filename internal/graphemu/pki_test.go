package graphemu_test

import (
	"crypto/x509"
	"encoding/base64"
	"encoding/pem"
	"io"
	"net/http"
	"net/url"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/entracert/terraform-provider-entracert/internal/graphemu"
	"github.com/entracert/terraform-provider-entracert/internal/pkcs"
	"github.com/entracert/terraform-provider-entracert/internal/testfixtures"
)

func pemCert(t *testing.T, name string) *x509.Certificate {
	t.Helper()
	b, _ := pem.Decode(testfixtures.Bytes(name))
	if b == nil {
		t.Fatalf("%s: no PEM", name)
	}
	c, err := x509.ParseCertificate(b.Bytes)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func (v *env) pki(id string) map[string]any {
	v.t.Helper()
	r := v.do("GET", pkisPath+"/"+id, nil)
	wantStatus(v.t, r, 200)
	return r.obj(v.t)
}

func (v *env) cas(id string) []map[string]any {
	v.t.Helper()
	r := v.do("GET", pkisPath+"/"+id+"/certificateAuthorities", nil)
	wantStatus(v.t, r, 200)
	var out []map[string]any
	for _, x := range testfixtures.As[[]any](v.t, r.obj(v.t)["value"]) {
		out = append(out, testfixtures.As[map[string]any](v.t, x))
	}
	return out
}

func TestPKICRUD(t *testing.T) {
	v := newEnv(t, graphemu.Options{})
	r := v.do("POST", pkisPath, map[string]any{"displayName": "Contoso PKI"})
	wantStatus(t, r, 201)
	p := r.obj(t)
	id, _ := p["id"].(string)
	if !guidRE.MatchString(id) {
		t.Fatalf("id %q", id)
	}
	want := map[string]any{
		"@odata.context":       v.srv.URL + "/v1.0/$metadata#directory/publicKeyInfrastructure/certificateBasedAuthConfigurations/$entity",
		"@odata.type":          "#microsoft.graph.certificateBasedAuthPki",
		"id":                   id,
		"deletedDateTime":      nil,
		"displayName":          "Contoso PKI",
		"status":               "succeeded",
		"statusDetails":        nil,
		"lastModifiedDateTime": "2027-01-01T00:00:00Z",
	}
	if !reflect.DeepEqual(p, want) {
		t.Errorf("create = %v\nwant %v", p, want)
	}
	if got := v.pki(id); !reflect.DeepEqual(got, want) {
		t.Errorf("get = %v\nwant %v", got, want)
	}

	v.createPKI("Fabrikam PKI")
	r = v.do("GET", pkisPath+"?$filter="+url.QueryEscape("displayName eq 'Contoso PKI'"), nil)
	wantStatus(t, r, 200)
	list := r.obj(t)
	if list["@odata.context"] != v.srv.URL+"/v1.0/$metadata#directory/publicKeyInfrastructure/certificateBasedAuthConfigurations" {
		t.Errorf("list context %v", list["@odata.context"])
	}
	if vals := testfixtures.As[[]any](t, list["value"]); len(vals) != 1 || testfixtures.As[map[string]any](t, vals[0])["id"] != id {
		t.Errorf("filtered list = %v", vals)
	}
	r = v.do("GET", pkisPath+"?$top=1&$filter="+url.QueryEscape("startswith(displayName,'')"), nil)
	if vals := testfixtures.As[[]any](t, r.obj(t)["value"]); len(vals) != 1 || r.obj(t)["@odata.nextLink"] == nil {
		t.Errorf("$top=1 list = %s", r.body)
	}

	v.clk.Advance(time.Minute)
	r = v.do("PATCH", pkisPath+"/"+id, map[string]any{"displayName": "Contoso PKI 2"})
	wantStatus(t, r, 200)
	if got := r.obj(t); got["displayName"] != "Contoso PKI 2" || got["lastModifiedDateTime"] != "2027-01-01T00:01:00Z" {
		t.Errorf("PATCH answer = %v", got)
	}
	if got := v.pki(id)["displayName"]; got != "Contoso PKI 2" {
		t.Errorf("after PATCH displayName = %v", got)
	}

	long := strings.Repeat("é", 257)
	wantError(t, v.do("POST", pkisPath, map[string]any{"displayName": long}), 400, "BadRequest", "256")
	wantStatus(t, v.do("POST", pkisPath, map[string]any{"displayName": long[:256*2]}), 201)
	wantError(t, v.do("POST", pkisPath, map[string]any{}), 400, "BadRequest", "displayName")
	wantError(t, v.do("POST", pkisPath, map[string]any{"displayName": "x", "bogus": true}), 400, "BadRequest", "bogus")
	wantError(t, v.do("PATCH", pkisPath+"/"+id, map[string]any{"displayName": long}), 400, "BadRequest", "256")
	wantError(t, v.do("PATCH", pkisPath+"/"+id, map[string]any{"displayName": ""}), 400, "BadRequest", "displayName")

	wantStatus(t, v.do("DELETE", pkisPath+"/"+id, nil), 204)
	for _, r := range []reply{
		v.do("GET", pkisPath+"/"+id, nil),
		v.do("PATCH", pkisPath+"/"+id, map[string]any{"displayName": "x"}),
		v.do("DELETE", pkisPath+"/"+id, nil),
		v.uploadP7B(id, "contoso-pki.p7b", testfixtures.ContosoSHA256),
		v.do("GET", pkisPath+"/"+id+"/certificateAuthorities", nil),
		v.do("POST", pkisPath+"/"+id+"/certificateAuthorities", map[string]any{"certificate": "AA=="}),
	} {
		wantError(t, r, 404, "Request_ResourceNotFound", id)
	}
}

// TestPKIUploadFixtures: the .p7b fixtures (DER and PEM) yield the documented CAs once the clock-driven job ends.
func TestPKIUploadFixtures(t *testing.T) {
	root := pemCert(t, "root-ca.pem")
	inter := pemCert(t, "intermediate-ca.pem")
	other := pemCert(t, "other-root-ca.pem")
	contoso := []map[string]any{
		{"thumbprint": testfixtures.ContosoRootThumbprint, "certificateAuthorityType": "root", "certificateRevocationListUrl": nil,
			"displayName": root.Subject.String(), "issuer": root.Issuer.String(), "expirationDateTime": "2046-11-17T03:40:51Z",
			"certificate": base64.StdEncoding.EncodeToString(root.Raw)},
		{"thumbprint": testfixtures.ContosoIntermediateThumb, "certificateAuthorityType": "intermediate",
			"certificateRevocationListUrl": testfixtures.ContosoIntermediateCRLURL, "displayName": inter.Subject.String(),
			"issuer": root.Subject.String(), "issuerSubjectKeyIdentifier": "9514ECF8A48AB96C779523AC6689717E703627DF",
			"expirationDateTime": "2036-11-19T03:40:51Z", "certificate": base64.StdEncoding.EncodeToString(inter.Raw)},
	}
	cases := []struct {
		file, hash string
		want       []map[string]any
	}{
		{"contoso-pki.p7b", testfixtures.ContosoSHA256, contoso},
		{"contoso-pki-pem.p7b", testfixtures.ContosoPEMSHA256, contoso},
		{"fabrikam-pki.p7b", testfixtures.FabrikamSHA256, []map[string]any{
			{"thumbprint": testfixtures.FabrikamRootThumbprint, "certificateAuthorityType": "root", "displayName": other.Subject.String()},
		}},
	}
	for _, tc := range cases {
		t.Run(tc.file, func(t *testing.T) {
			if got := pkcs.SHA256Hex(testfixtures.Bytes(tc.file)); got != tc.hash {
				t.Fatalf("fixture hash %s, want %s", got, tc.hash)
			}
			v := newEnv(t, graphemu.Options{UploadDuration: 10 * time.Minute})
			id := v.createPKI("pki")
			// Hashes compare case-insensitively (Get-FileHash prints uppercase; sha256sum lowercase).
			r := v.uploadP7B(id, tc.file, strings.ToLower(tc.hash))
			wantStatus(t, r, 204)
			if len(r.body) != 0 {
				t.Errorf("204 with body %s", r.body)
			}
			if p := v.pki(id); p["status"] != "running" || p["statusDetails"] != nil {
				t.Errorf("during the job: %v", p)
			}
			if cas := v.cas(id); len(cas) != 0 {
				t.Errorf("CAs during the job: %v", cas)
			}
			// A second upload while the job runs: 400 "in progress".
			wantError(t, v.uploadP7B(id, tc.file, tc.hash), 400, "BadRequest", "in progress")

			v.clk.Advance(10*time.Minute - time.Second)
			if p := v.pki(id); p["status"] != "running" {
				t.Errorf("one second before the end: %v", p["status"])
			}
			v.clk.Advance(time.Second)
			p := v.pki(id)
			if p["status"] != "succeeded" || p["statusDetails"] != nil || p["lastModifiedDateTime"] != "2027-01-01T00:10:00Z" {
				t.Errorf("after the job: %v", p)
			}
			cas := v.cas(id)
			if len(cas) != len(tc.want) {
				t.Fatalf("CAs = %v", cas)
			}
			for i, want := range tc.want {
				got := cas[i]
				for k, wv := range want {
					if !reflect.DeepEqual(got[k], wv) {
						t.Errorf("CA %d %s = %v, want %v", i, k, got[k], wv)
					}
				}
				if got["@odata.type"] != "#microsoft.graph.certificateAuthorityDetail" || !guidRE.MatchString(testfixtures.As[string](t, got["id"])) ||
					got["createdDateTime"] != "2027-01-01T00:10:00Z" || got["isIssuerHintEnabled"] != false {
					t.Errorf("CA %d = %v", i, got)
				}
				// GET by id answers the same object, with its @odata.context.
				r := v.do("GET", pkisPath+"/"+id+"/certificateAuthorities/"+testfixtures.As[string](t, got["id"]), nil)
				wantStatus(t, r, 200)
				one := r.obj(t)
				if one["@odata.context"] != v.srv.URL+"/v1.0/$metadata#directory/publicKeyInfrastructure/certificateBasedAuthConfigurations('"+id+"')/certificateAuthorities/$entity" {
					t.Errorf("CA context %v", one["@odata.context"])
				}
				delete(one, "@odata.context")
				if !reflect.DeepEqual(one, got) {
					t.Errorf("GET CA = %v, list had %v", one, got)
				}
			}
			// The same file again: "Duplicate Certificate exists".
			wantError(t, v.uploadP7B(id, tc.file, tc.hash), 400, "BadRequest", "Duplicate Certificate exists")
		})
	}
}

// uploadProblems are every upload that the service refuses; sync mode answers 400, deferred mode fails the job.
func uploadProblems(t *testing.T, v *env, host *fileHost) []struct {
	name      string
	url, hash string
	msg       string
} {
	big := make([]byte, pkcs.MaxBundleSize+10)
	var many [][]byte
	for i := 0; i < pkcs.MaxBundleCAs+1; i++ {
		d, _ := testfixtures.NewCA(t, "many", start, 0)
		many = append(many, d)
	}
	manyP7 := testfixtures.Bundle(t, many...)
	fat, _ := testfixtures.NewCA(t, "fat", start, pkcs.MaxCertificateSize)
	fatP7 := testfixtures.Bundle(t, fat)
	pfx := testfixtures.Bytes("client-aes.pfx")
	empty := testfixtures.Bundle(t)
	return []struct {
		name      string
		url, hash string
		msg       string
	}{
		{"hash mismatch", v.fileURL("contoso-pki.p7b"), testfixtures.FabrikamSHA256, "does not match"},
		{"download 404", v.fileURL("missing.p7b"), testfixtures.ContosoSHA256, "could not be downloaded"},
		{"connection refused", "http://127.0.0.1:1/x.p7b", testfixtures.ContosoSHA256, "could not be downloaded"},
		{"remote host", "https://pki.contoso.example/contoso.p7b", testfixtures.ContosoSHA256, "loopback"},
		{"not a PKCS#7", v.fileURL("client-aes.pfx"), pkcs.SHA256Hex(pfx), "PKCS#7"},
		{"no certificates", host.put("empty.p7b", empty), pkcs.SHA256Hex(empty), "no certificates"},
		{"larger than 2 MB", host.put("big.p7b", big), pkcs.SHA256Hex(big), "2 MB"},
		{"more than 250 CAs", host.put("many.p7b", manyP7), pkcs.SHA256Hex(manyP7), "250"},
		{"CA larger than 8 KB", host.put("fat.p7b", fatP7), pkcs.SHA256Hex(fatP7), "8 KB"},
	}
}

func TestPKIUploadErrors(t *testing.T) {
	v := newEnv(t, graphemu.Options{UploadDuration: time.Minute})
	host := newFileHost(t)
	id := v.createPKI("errors")
	for _, tc := range uploadProblems(t, v, host) {
		t.Run(tc.name, func(t *testing.T) {
			r := v.do("POST", pkisPath+"/"+id+"/upload", map[string]any{"uploadUrl": tc.url, "sha256FileHash": tc.hash})
			wantError(t, r, 400, "BadRequest", tc.msg)
			if p := v.pki(id); p["status"] != "succeeded" {
				t.Errorf("a refused upload started a job: %v", p)
			}
		})
	}
	requestErrors := []struct {
		name string
		body any
		msg  string
	}{
		{"missing uploadUrl", map[string]any{"sha256FileHash": testfixtures.ContosoSHA256}, "uploadUrl"},
		{"missing hash", map[string]any{"uploadUrl": v.fileURL("contoso-pki.p7b")}, "sha256FileHash"},
		{"ftp URL", map[string]any{"uploadUrl": "ftp://127.0.0.1/x.p7b", "sha256FileHash": "AB"}, "http or https"},
		{"relative URL", map[string]any{"uploadUrl": "/files/contoso-pki.p7b", "sha256FileHash": "AB"}, "http or https"},
		{"unknown parameter", map[string]any{"uploadUrl": v.fileURL("contoso-pki.p7b"), "sha256FileHash": "AB", "x": 1}, "does not exist"},
		{"not JSON", []byte("uploadUrl=x"), "JSON"},
	}
	for _, tc := range requestErrors {
		t.Run(tc.name, func(t *testing.T) {
			wantError(t, v.do("POST", pkisPath+"/"+id+"/upload", tc.body), 400, "BadRequest", tc.msg)
		})
	}
	// An upload while another actor's job runs.
	v.emu.StartExternalJob(id, time.Minute)
	wantError(t, v.uploadP7B(id, "contoso-pki.p7b", testfixtures.ContosoSHA256), 400, "BadRequest", "in progress")
	v.clk.Advance(time.Minute)
	wantStatus(t, v.uploadP7B(id, "contoso-pki.p7b", testfixtures.ContosoSHA256), 204)
}

// TestPKIDeferredValidation: every upload answers 204; problems end the job "failed" with statusDetails.
func TestPKIDeferredValidation(t *testing.T) {
	v := newEnv(t, graphemu.Options{UploadDuration: time.Minute, DeferUploadValidation: true})
	host := newFileHost(t)
	problems := uploadProblems(t, v, host)
	// A duplicate surfaces in the job too.
	dup := v.createPKI("dup")
	wantStatus(t, v.uploadP7B(dup, "fabrikam-pki.p7b", testfixtures.FabrikamSHA256), 204)
	v.clk.Advance(time.Minute)
	if cas := v.cas(dup); len(cas) != 1 {
		t.Fatalf("first upload: %v", cas)
	}
	problems = append(problems, struct {
		name      string
		url, hash string
		msg       string
	}{"duplicate", v.fileURL("fabrikam-pki.p7b"), testfixtures.FabrikamSHA256, "Duplicate Certificate exists"})

	for _, tc := range problems {
		t.Run(tc.name, func(t *testing.T) {
			id := v.createPKI("deferred " + tc.name)
			if tc.name == "duplicate" {
				id = dup
			}
			r := v.do("POST", pkisPath+"/"+id+"/upload", map[string]any{"uploadUrl": tc.url, "sha256FileHash": tc.hash})
			wantStatus(t, r, 204)
			if p := v.pki(id); p["status"] != "running" {
				t.Fatalf("after upload: %v", p)
			}
			// Still only one operation at a time, refused at once.
			wantError(t, v.uploadP7B(id, "contoso-pki.p7b", testfixtures.ContosoSHA256), 400, "BadRequest", "in progress")
			v.clk.Advance(time.Minute)
			p := v.pki(id)
			details, _ := p["statusDetails"].(string)
			if p["status"] != "failed" || !strings.Contains(details, tc.msg) {
				t.Errorf("after the job: status %v, statusDetails %q, want failed with %q", p["status"], details, tc.msg)
			}
			wantCAs := 0
			if tc.name == "duplicate" {
				wantCAs = 1
			}
			if cas := v.cas(id); len(cas) != wantCAs {
				t.Errorf("CAs after a failed job: %v", cas)
			}
		})
	}
	// A good upload still succeeds in deferred mode.
	id := v.createPKI("good")
	wantStatus(t, v.uploadP7B(id, "contoso-pki.p7b", testfixtures.ContosoSHA256), 204)
	v.clk.Advance(time.Minute)
	if p := v.pki(id); p["status"] != "succeeded" || len(v.cas(id)) != 2 {
		t.Errorf("good upload in deferred mode: %v", p)
	}
}

func TestFailNextJobAndExternalJob(t *testing.T) {
	v := newEnv(t, graphemu.Options{})
	id := v.createPKI("scripted")
	v.emu.FailNextJob(id, "failed", "The CRL could not be reached.")
	wantStatus(t, v.uploadP7B(id, "contoso-pki.p7b", testfixtures.ContosoSHA256), 204)
	v.clk.Advance(graphemu.DefaultUploadDuration)
	p := v.pki(id)
	if p["status"] != "failed" || p["statusDetails"] != "The CRL could not be reached." || len(v.cas(id)) != 0 {
		t.Fatalf("scripted failure: %v", p)
	}
	// Only the next job: the one after succeeds.
	wantStatus(t, v.uploadP7B(id, "contoso-pki.p7b", testfixtures.ContosoSHA256), 204)
	v.clk.Advance(graphemu.DefaultUploadDuration)
	if p := v.pki(id); p["status"] != "succeeded" || p["statusDetails"] != nil || len(v.cas(id)) != 2 {
		t.Fatalf("next job: %v", p)
	}

	v.emu.SetUploadDuration(30 * time.Second)
	v.emu.StartExternalJob(id, 5*time.Minute)
	if p := v.pki(id); p["status"] != "running" {
		t.Fatalf("external job: %v", p)
	}
	v.clk.Advance(5 * time.Minute)
	if p := v.pki(id); p["status"] != "succeeded" {
		t.Fatalf("external job end: %v", p)
	}
	wantStatus(t, v.uploadP7B(id, "fabrikam-pki.p7b", testfixtures.FabrikamSHA256), 204)
	v.clk.Advance(29 * time.Second)
	if p := v.pki(id); p["status"] != "running" {
		t.Fatalf("SetUploadDuration: %v", p)
	}
	v.clk.Advance(time.Second)
	if p := v.pki(id); p["status"] != "succeeded" || len(v.cas(id)) != 3 {
		t.Fatalf("after SetUploadDuration job: %v", p)
	}
	// Deleting a PKI is immediate, even mid-job.
	wantStatus(t, v.uploadP7B(v.createPKI("x"), "fabrikam-pki.p7b", testfixtures.FabrikamSHA256), 204)
	v.emu.StartExternalJob(id, time.Hour)
	wantStatus(t, v.do("DELETE", pkisPath+"/"+id, nil), 204)
	wantError(t, v.do("GET", pkisPath+"/"+id, nil), 404, "Request_ResourceNotFound", id)
}

// TestRemoteDownloads: AllowRemoteDownloads fetches any host (through the given HTTP client here).
func TestRemoteDownloads(t *testing.T) {
	client := &http.Client{Transport: roundTripFunc(func(r *http.Request) (*http.Response, error) {
		if r.URL.Host != "pki.contoso.example" {
			return &http.Response{StatusCode: 404, Body: io.NopCloser(strings.NewReader("")), Request: r}, nil
		}
		return &http.Response{StatusCode: 200, Body: io.NopCloser(strings.NewReader(string(testfixtures.Bytes("contoso-pki.p7b")))), Request: r}, nil
	})}
	v := newEnv(t, graphemu.Options{AllowRemoteDownloads: true, HTTPClient: client})
	id := v.createPKI("remote")
	r := v.do("POST", pkisPath+"/"+id+"/upload", map[string]any{"uploadUrl": "https://pki.contoso.example/CBA/contoso.p7b?sig=SECRET", "sha256FileHash": testfixtures.ContosoSHA256})
	wantStatus(t, r, 204)
	v.clk.Advance(graphemu.DefaultUploadDuration)
	if n := len(v.cas(id)); n != 2 {
		t.Errorf("%d CAs", n)
	}
	r = v.do("POST", pkisPath+"/"+v.createPKI("r2")+"/upload", map[string]any{"uploadUrl": "https://elsewhere.example/x.p7b?sig=SECRET", "sha256FileHash": testfixtures.ContosoSHA256})
	wantError(t, r, 400, "BadRequest", "404")
	if strings.Contains(string(r.body), "SECRET") {
		t.Error("the download error repeats the URL's query (it may hold a SAS token)")
	}
}

type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }
