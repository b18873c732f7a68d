package graph_test

import (
	"encoding/pem"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/entracert/terraform-provider-entracert/internal/graph"
	"github.com/entracert/terraform-provider-entracert/internal/pkcs"
	"github.com/entracert/terraform-provider-entracert/internal/testfixtures"
)

func TestAPIConnectorRoundTrip(t *testing.T) {
	v := newEnv(t)
	ctx := ctxTimeout(t, 30*time.Second)

	created, err := v.client.CreateAPIConnector(ctx, graph.NewAPIConnector{
		DisplayName: "O'Brien's validation", TargetURL: "https://api.contoso.example/x", Username: "svc", Password: "pw-1",
	})
	if err != nil {
		t.Fatal(err)
	}
	if created.ID == "" || created.DisplayName != "O'Brien's validation" || created.TargetURL != "https://api.contoso.example/x" ||
		created.AuthenticationType != graph.AuthenticationBasic || created.BasicUsername != "svc" {
		t.Errorf("created = %+v", created)
	}
	v.createConnector(t, "O'Brien's validation (2)")

	list, err := v.client.ListAPIConnectors(ctx, "O'Brien's validation")
	if err != nil {
		t.Fatal(err)
	}
	if len(list) != 1 || list[0].ID != created.ID {
		t.Errorf("filtered list = %+v, want just %s", list, created.ID)
	}
	if q := lastQuery(v, http.MethodGet, "/identity/apiConnectors"); !strings.Contains(q, "displayName eq 'O''Brien''s validation'") {
		t.Errorf("query = %q, want the quote doubled in $filter", q)
	}
	all, err := v.client.ListAPIConnectors(ctx, "")
	if err != nil || len(all) != 2 {
		t.Errorf("unfiltered list = %d items, %v; want 2", len(all), err)
	}

	got, err := v.client.GetAPIConnectorCached(ctx, created.ID)
	if err != nil || got.ID != created.ID || got.BasicUsername != "svc" {
		t.Fatalf("get = %+v, %v", got, err)
	}

	up, err := v.client.UploadClientCertificate(ctx, created.ID, testfixtures.Base64("client-aes.pfx"), testfixtures.Password)
	if err != nil {
		t.Fatal(err)
	}
	if up.AuthenticationType != graph.AuthenticationCertificate || len(up.Certificates) != 1 {
		t.Fatalf("upload answer = %+v", up)
	}
	c := up.Certificates[0]
	if c.Thumbprint != testfixtures.ClientThumbprint || c.NotBefore.IsZero() || !c.NotAfter.After(c.NotBefore) ||
		c.NotBefore.Location() != time.UTC || c.NotBefore.Nanosecond() != 0 {
		t.Errorf("certificate = %+v", c)
	}
	// No password: "" is sent, as Graph requires the field.
	if _, err = v.client.UploadClientCertificate(ctx, created.ID, testfixtures.Base64("client-empty-password.pfx"), ""); err != nil {
		t.Fatalf("upload with empty password: %v", err)
	}
	up, err = v.client.UploadClientCertificate(ctx, created.ID, testfixtures.Base64("client-ec.pfx"), testfixtures.Password)
	if err != nil {
		t.Fatal(err)
	}
	thumbs := []string{}
	for _, c := range up.Certificates {
		thumbs = append(thumbs, c.Thumbprint)
	}
	if !slices.Contains(thumbs, testfixtures.ClientECThumbprint) || !slices.Contains(thumbs, testfixtures.ClientThumbprint) {
		t.Errorf("thumbprints = %v", thumbs)
	}
	got, err = v.client.GetAPIConnector(ctx, created.ID)
	if err != nil || len(got.Certificates) != len(up.Certificates) {
		t.Fatalf("get after uploads = %+v, %v", got, err)
	}

	if err := v.client.SetAPIConnectorBasicAuthentication(ctx, created.ID, "back-to-basic", "pw-2"); err != nil {
		t.Fatal(err)
	}
	got, err = v.client.GetAPIConnectorCached(ctx, created.ID)
	if err != nil || got.AuthenticationType != graph.AuthenticationBasic || got.BasicUsername != "back-to-basic" || len(got.Certificates) != 0 {
		t.Errorf("after PATCH to basic = %+v, %v", got, err)
	}

	if err := v.client.DeleteAPIConnector(ctx, created.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := v.client.GetAPIConnectorCached(ctx, created.ID); !graph.IsNotFound(err) {
		t.Errorf("get after delete: %v, want not found", err)
	}
	if err := v.client.DeleteAPIConnector(ctx, created.ID); !graph.IsNotFound(err) {
		t.Errorf("second delete: %v, want not found", err)
	}
}

func TestPKIRoundTrip(t *testing.T) {
	v := newEnv(t)
	ctx := ctxTimeout(t, 30*time.Second)

	p, err := v.client.CreatePKI(ctx, "Contoso PKI")
	if err != nil {
		t.Fatal(err)
	}
	if p.ID == "" || p.DisplayName != "Contoso PKI" || p.Status == graph.PKIStatusRunning {
		t.Errorf("created = %+v", p)
	}
	if _, err := v.client.CreatePKI(ctx, "Other PKI"); err != nil {
		t.Fatal(err)
	}
	list, err := v.client.ListPKIs(ctx, "Contoso PKI")
	if err != nil || len(list) != 1 || list[0].ID != p.ID {
		t.Fatalf("filtered list = %+v, %v", list, err)
	}
	if all, err := v.client.ListPKIs(ctx, ""); err != nil || len(all) != 2 {
		t.Errorf("list = %d, %v; want 2", len(all), err)
	}
	if err := v.client.UpdatePKI(ctx, p.ID, "Contoso PKI 2"); err != nil {
		t.Fatal(err)
	}
	got, err := v.client.GetPKICached(ctx, p.ID)
	if err != nil || got.DisplayName != "Contoso PKI 2" || got.LastModifiedDateTime.IsZero() {
		t.Fatalf("get = %+v, %v", got, err)
	}

	if err := v.client.UploadPKI(ctx, p.ID, v.srv.URL+"/files/contoso-pki.p7b", testfixtures.ContosoSHA256); err != nil {
		t.Fatal(err)
	}
	got, err = v.client.GetPKI(ctx, p.ID)
	if err != nil || got.Status != graph.PKIStatusRunning {
		t.Fatalf("during the job: %+v, %v", got, err)
	}
	v.clock.Advance(6 * time.Second) // the emulator's job lasts 5 s on the shared fake clock
	got, err = v.client.GetPKI(ctx, p.ID)
	if err != nil || got.Status != graph.PKIStatusSucceeded {
		t.Fatalf("after the job: %+v, %v", got, err)
	}

	cas, err := v.client.ListCertificateAuthorities(ctx, p.ID)
	if err != nil {
		t.Fatal(err)
	}
	byThumb := map[string]graph.CertificateAuthority{}
	for _, ca := range cas {
		byThumb[strings.ToUpper(ca.Thumbprint)] = ca
	}
	root, ok1 := byThumb[testfixtures.ContosoRootThumbprint]
	inter, ok2 := byThumb[testfixtures.ContosoIntermediateThumb]
	if len(cas) != 2 || !ok1 || !ok2 {
		t.Fatalf("CAs = %+v", cas)
	}
	if root.Type != "root" || inter.Type != "intermediate" || inter.CertificateRevocationListURL != testfixtures.ContosoIntermediateCRLURL ||
		len(root.Certificate) == 0 || root.ExpirationDateTime.IsZero() || root.ID == "" || inter.Issuer == "" {
		t.Errorf("root = %+v\nintermediate = %+v", root, inter)
	}
	one, err := v.client.GetCertificateAuthority(ctx, p.ID, inter.ID)
	if err != nil || one.Thumbprint != inter.Thumbprint || string(one.Certificate) != string(inter.Certificate) {
		t.Errorf("get CA = %+v, %v", one, err)
	}

	block, _ := pem.Decode(testfixtures.Bytes("other-root-ca.pem"))
	if block == nil {
		t.Fatal("other-root-ca.pem: no PEM block")
	}
	facts, err := pkcs.ParseCertificate(block.Bytes)
	if err != nil {
		t.Fatal(err)
	}
	added, err := v.client.CreateCertificateAuthority(ctx, p.ID, graph.NewCertificateAuthority{
		Certificate: block.Bytes, Thumbprint: facts.Thumbprint, ExpirationDateTime: facts.NotAfter, IsRoot: true,
	})
	if err != nil {
		t.Fatal(err)
	}
	if added.ID == "" || added.Type != "root" || string(added.Certificate) != string(block.Bytes) || added.Thumbprint == "" {
		t.Errorf("added CA = %+v", added)
	}
	if err := v.client.DeleteCertificateAuthority(ctx, p.ID, added.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := v.client.GetCertificateAuthority(ctx, p.ID, added.ID); !graph.IsNotFound(err) {
		t.Errorf("get deleted CA: %v, want not found", err)
	}

	if err := v.client.DeletePKI(ctx, p.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := v.client.GetPKICached(ctx, p.ID); !graph.IsNotFound(err) {
		t.Errorf("get deleted PKI: %v, want not found", err)
	}
}

func TestListFollowsNextLink(t *testing.T) {
	v := newEnv(t)
	ctx := ctxTimeout(t, 60*time.Second)
	const n = 105 // the emulator pages at 100
	for i := range n {
		if _, err := v.client.CreatePKI(ctx, fmt.Sprintf("pki %03d", i)); err != nil {
			t.Fatal(err)
		}
	}
	list, err := v.client.ListPKIs(ctx, "")
	if err != nil {
		t.Fatal(err)
	}
	if len(list) != n {
		t.Errorf("listed %d PKIs, want %d", len(list), n)
	}
	if c := v.count(http.MethodGet, "/directory/publicKeyInfrastructure/certificateBasedAuthConfigurations"); c != 2 {
		t.Errorf("list GETs = %d, want 2 pages", c)
	}
}

// A nextLink to another host is followed without the token: the token goes only to the configured endpoint.
func TestNoAuthorizationToAnotherHost(t *testing.T) {
	var mu sync.Mutex
	var foreignAuth []string
	foreign := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		foreignAuth = append(foreignAuth, r.Header.Get("Authorization"))
		mu.Unlock()
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(`{"value":[{"id":"b","displayName":"second page"}]}`))
	}))
	defer foreign.Close()

	var homeAuth []string
	home := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		homeAuth = append(homeAuth, r.Header.Get("Authorization"))
		mu.Unlock()
		w.Header().Set("Content-Type", "application/json")
		next := foreign.URL + "/v1.0/identity/apiConnectors?$skiptoken=x"
		_, _ = fmt.Fprintf(w, `{"value":[{"id":"a","displayName":"first page"}],"@odata.nextLink":%q}`, next)
	}))
	defer home.Close()

	c, err := graph.New(graph.Options{Endpoint: home.URL, Credential: graph.StaticToken("secret-token")})
	if err != nil {
		t.Fatal(err)
	}
	list, err := c.ListAPIConnectors(ctxTimeout(t, 10*time.Second), "")
	if err != nil {
		t.Fatal(err)
	}
	if len(list) != 2 {
		t.Errorf("list = %+v, want both pages", list)
	}
	mu.Lock()
	defer mu.Unlock()
	if len(homeAuth) != 1 || homeAuth[0] != "Bearer secret-token" {
		t.Errorf("home server Authorization = %q", homeAuth)
	}
	if len(foreignAuth) != 1 || foreignAuth[0] != "" {
		t.Errorf("foreign server Authorization = %q, want none", foreignAuth)
	}
}

func lastQuery(v *env, method, path string) string {
	q := ""
	for _, e := range v.emu.Journal() {
		if e.Method == method && e.Path == path {
			q = e.Query
		}
	}
	u, err := url.QueryUnescape(q)
	if err != nil {
		return q
	}
	return u
}
