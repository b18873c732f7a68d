package graphemu_test

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/entracert/terraform-provider-entracert/internal/clock"
	"github.com/entracert/terraform-provider-entracert/internal/graphemu"
	"github.com/entracert/terraform-provider-entracert/internal/testfixtures"
)

const testToken = "test-token"

// start is after every fixture's notBefore (2026-11-22) and before their notAfter (2036).
var start = time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC)

const (
	connectorsPath = "/identity/apiConnectors"
	pkisPath       = "/directory/publicKeyInfrastructure/certificateBasedAuthConfigurations"
)

var guidRE = regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`)

type env struct {
	t   *testing.T
	emu *graphemu.Emulator
	srv *httptest.Server
	clk *clock.Fake
}

// newEnv starts an emulator on httptest with a fake clock, token testToken, and the fixtures under /files/.
func newEnv(t *testing.T, opts graphemu.Options) *env {
	t.Helper()
	clk := clock.NewFake(start)
	if opts.Clock == nil {
		opts.Clock = clk
	}
	if opts.Token == "" {
		opts.Token = testToken
	}
	if opts.Files == nil {
		opts.Files = fixtureFS()
	}
	emu := graphemu.New(opts)
	srv := httptest.NewServer(emu)
	t.Cleanup(srv.Close)
	return &env{t: t, emu: emu, srv: srv, clk: clk}
}

// fixtureNames are the testfixtures files served under /files/.
var fixtureNames = []string{"cert-only-no-key.pfx", "client-aes.pfx", "client-ec.pfx", "client-empty-password.pfx",
	"client-expired.pfx", "client-legacy-3des.pfx", "client-with-chain.pfx", "contoso-pki-pem.p7b", "contoso-pki.p7b",
	"fabrikam-pki.p7b", "truncated.pfx", "root-ca.pem"}

func fixtureFS() http.FileSystem {
	m := fstest.MapFS{}
	for _, n := range fixtureNames {
		m[n] = &fstest.MapFile{Data: testfixtures.Bytes(n)}
	}
	return http.FS(m)
}

func (v *env) fileURL(name string) string { return v.srv.URL + "/files/" + name }

type reply struct {
	status int
	header http.Header
	body   []byte
}

func (r reply) obj(t *testing.T) map[string]any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal(r.body, &m); err != nil {
		t.Fatalf("status %d, body is not a JSON object: %v\n%s", r.status, err, r.body)
	}
	return m
}

// request sends a request below /v1.0 with the test token; body is JSON-encoded unless it is []byte.
func (v *env) request(method, path string, body any, hdr map[string]string) reply {
	v.t.Helper()
	var rd io.Reader
	if body != nil {
		if b, ok := body.([]byte); ok {
			rd = bytes.NewReader(b)
		} else {
			b, err := json.Marshal(body)
			if err != nil {
				v.t.Fatal(err)
			}
			rd = bytes.NewReader(b)
		}
	}
	req, err := http.NewRequest(method, v.srv.URL+"/v1.0"+path, rd)
	if err != nil {
		v.t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+testToken)
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	for k, val := range hdr {
		if val == "" {
			req.Header.Del(k)
		} else {
			req.Header.Set(k, val)
		}
	}
	resp, err := v.srv.Client().Do(req)
	if err != nil {
		v.t.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		v.t.Fatal(err)
	}
	return reply{status: resp.StatusCode, header: resp.Header, body: b}
}

func (v *env) do(method, path string, body any) reply {
	v.t.Helper()
	return v.request(method, path, body, nil)
}

func gzipJSON(t *testing.T, body any) []byte {
	t.Helper()
	b, err := json.Marshal(body)
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	_, _ = zw.Write(b)
	_ = zw.Close()
	return buf.Bytes()
}

// wantStatus fails unless the reply has the status.
func wantStatus(t *testing.T, r reply, status int) {
	t.Helper()
	if r.status != status {
		t.Fatalf("status = %d, want %d; body: %s", r.status, status, r.body)
	}
}

// wantError checks Graph's error shape: status, code, a message containing msg, request-id header equal to
// innerError.request-id, and innerError.date.
func wantError(t *testing.T, r reply, status int, code, msg string) {
	t.Helper()
	wantStatus(t, r, status)
	var e struct {
		Error struct {
			Code       string `json:"code"`
			Message    string `json:"message"`
			InnerError struct {
				RequestID       string `json:"request-id"`
				ClientRequestID string `json:"client-request-id"`
				Date            string `json:"date"`
			} `json:"innerError"`
		} `json:"error"`
	}
	if err := json.Unmarshal(r.body, &e); err != nil {
		t.Fatalf("error body is not JSON: %v: %s", err, r.body)
	}
	if e.Error.Code != code {
		t.Errorf("error code = %q, want %q (message %q)", e.Error.Code, code, e.Error.Message)
	}
	if !strings.Contains(strings.ToLower(e.Error.Message), strings.ToLower(msg)) {
		t.Errorf("error message = %q, want it to contain %q", e.Error.Message, msg)
	}
	rid := r.header.Get("request-id")
	if !guidRE.MatchString(rid) || e.Error.InnerError.RequestID != rid {
		t.Errorf("request-id header %q, innerError.request-id %q: want the same GUID", rid, e.Error.InnerError.RequestID)
	}
	if _, err := time.Parse("2006-01-02T15:04:05", e.Error.InnerError.Date); err != nil {
		t.Errorf("innerError.date %q: %v", e.Error.InnerError.Date, err)
	}
}

// createConnector creates a basic-auth connector and returns its id.
func (v *env) createConnector(name string) string {
	v.t.Helper()
	r := v.do("POST", connectorsPath, map[string]any{
		"displayName": name,
		"targetUrl":   "https://api.contoso.example/" + name,
		"authenticationConfiguration": map[string]any{
			"@odata.type": "#microsoft.graph.basicAuthentication",
			"username":    "user",
			"password":    "s3cret-value",
		},
	})
	wantStatus(v.t, r, http.StatusCreated)
	return testfixtures.As[string](v.t, r.obj(v.t)["id"])
}

func (v *env) createPKI(name string) string {
	v.t.Helper()
	r := v.do("POST", pkisPath, map[string]any{"displayName": name})
	wantStatus(v.t, r, http.StatusCreated)
	return testfixtures.As[string](v.t, r.obj(v.t)["id"])
}

func (v *env) uploadPFX(id, fixture, password string) reply {
	v.t.Helper()
	return v.do("POST", connectorsPath+"/"+id+"/uploadClientCertificate", map[string]any{
		"pkcs12Value": testfixtures.Base64(fixture),
		"password":    password,
	})
}

func (v *env) uploadP7B(id, fixture, hash string) reply {
	v.t.Helper()
	return v.do("POST", pkisPath+"/"+id+"/upload", map[string]any{
		"uploadUrl":      v.fileURL(fixture),
		"sha256FileHash": hash,
	})
}

// certList returns authenticationConfiguration.certificateList of a connector JSON object.
func certList(t *testing.T, m map[string]any) []map[string]any {
	t.Helper()
	ac, _ := m["authenticationConfiguration"].(map[string]any)
	if ac == nil || ac["@odata.type"] != "#microsoft.graph.clientCertificateAuthentication" {
		t.Fatalf("authenticationConfiguration is not clientCertificateAuthentication: %v", m["authenticationConfiguration"])
	}
	raw, _ := ac["certificateList"].([]any)
	out := make([]map[string]any, 0, len(raw))
	for _, x := range raw {
		out = append(out, testfixtures.As[map[string]any](t, x))
	}
	return out
}

func thumbprints(t testing.TB, list []map[string]any) []string {
	t.Helper()
	var out []string
	for _, c := range list {
		out = append(out, testfixtures.As[string](t, c["thumbprint"]))
	}
	return out
}

func activeThumbprint(t testing.TB, list []map[string]any) string {
	t.Helper()
	active := ""
	for _, c := range list {
		if c["isActive"] == true {
			if active != "" {
				return "MORE THAN ONE ACTIVE"
			}
			active = testfixtures.As[string](t, c["thumbprint"])
		}
	}
	return active
}

// serve runs one request through the handler without a network, for paths request cannot reach.
func serve(h http.Handler, method, target, authorization string) *httptest.ResponseRecorder {
	req := httptest.NewRequest(method, target, nil)
	if authorization != "" {
		req.Header.Set("Authorization", authorization)
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec
}
