package graphemu_test

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/url"
	"reflect"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/entracert/terraform-provider-entracert/internal/graphemu"
	"github.com/entracert/terraform-provider-entracert/internal/pkcs"
	"github.com/entracert/terraform-provider-entracert/internal/testfixtures"
)

func keys(m map[string]any) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

func TestConnectorCRUD(t *testing.T) {
	v := newEnv(t, graphemu.Options{})
	r := v.do("POST", connectorsPath, map[string]any{
		"displayName": "My API connector",
		"targetUrl":   "https://api.contoso.com/endpoint",
		"authenticationConfiguration": map[string]any{
			"@odata.type": "#microsoft.graph.basicAuthentication", "username": "alice", "password": "hunter2",
		},
	})
	wantStatus(t, r, http.StatusCreated)
	created := r.obj(t)
	id, _ := created["id"].(string)
	if !guidRE.MatchString(id) {
		t.Fatalf("id %q is not a GUID", id)
	}
	wantCtx := v.srv.URL + "/v1.0/$metadata#identity/apiConnectors/$entity"
	if created["@odata.context"] != wantCtx {
		t.Errorf("@odata.context = %v, want %s", created["@odata.context"], wantCtx)
	}
	wantAuth := map[string]any{"@odata.type": "#microsoft.graph.basicAuthentication", "username": "alice", "password": "******"}
	if !reflect.DeepEqual(created["authenticationConfiguration"], wantAuth) {
		t.Errorf("authenticationConfiguration = %v, want %v", created["authenticationConfiguration"], wantAuth)
	}
	if bytes.Contains(r.body, []byte("hunter2")) {
		t.Error("the create response leaks the password")
	}

	r = v.do("GET", connectorsPath+"/"+id, nil)
	wantStatus(t, r, http.StatusOK)
	got := r.obj(t)
	if got["@odata.context"] != wantCtx || got["displayName"] != "My API connector" || got["targetUrl"] != "https://api.contoso.com/endpoint" ||
		!reflect.DeepEqual(got["authenticationConfiguration"], wantAuth) {
		t.Errorf("GET = %s", r.body)
	}
	// Upper-case GUIDs name the same object.
	wantStatus(t, v.do("GET", connectorsPath+"/"+strings.ToUpper(id), nil), http.StatusOK)

	r = v.do("GET", connectorsPath, nil)
	wantStatus(t, r, http.StatusOK)
	list := r.obj(t)
	if list["@odata.context"] != v.srv.URL+"/v1.0/$metadata#identity/apiConnectors" {
		t.Errorf("list @odata.context = %v", list["@odata.context"])
	}
	if vals := testfixtures.As[[]any](t, list["value"]); len(vals) != 1 || testfixtures.As[map[string]any](t, vals[0])["id"] != id {
		t.Errorf("list value = %v", vals)
	}

	r = v.do("PATCH", connectorsPath+"/"+id, map[string]any{"displayName": "Renamed", "targetUrl": "https://api.contoso.com/v2"})
	wantStatus(t, r, http.StatusNoContent)
	if len(r.body) != 0 {
		t.Errorf("204 with a body: %s", r.body)
	}
	got = v.do("GET", connectorsPath+"/"+id, nil).obj(t)
	if got["displayName"] != "Renamed" || got["targetUrl"] != "https://api.contoso.com/v2" || !reflect.DeepEqual(got["authenticationConfiguration"], wantAuth) {
		t.Errorf("after PATCH: %v", got)
	}

	wantStatus(t, v.do("DELETE", connectorsPath+"/"+id, nil), http.StatusNoContent)
	wantError(t, v.do("GET", connectorsPath+"/"+id, nil), 404, "ResourceNotFound", id)
	wantError(t, v.do("DELETE", connectorsPath+"/"+id, nil), 404, "ResourceNotFound", id)
	wantError(t, v.do("PATCH", connectorsPath+"/"+id, map[string]any{"displayName": "x"}), 404, "ResourceNotFound", id)
	wantError(t, v.uploadPFX(id, "client-aes.pfx", testfixtures.Password), 404, "ResourceNotFound", id)
	if vals := testfixtures.As[[]any](t, v.do("GET", connectorsPath, nil).obj(t)["value"]); len(vals) != 0 {
		t.Errorf("list after delete = %v", vals)
	}
}

func TestConnectorCreateErrors(t *testing.T) {
	v := newEnv(t, graphemu.Options{})
	basic := map[string]any{"@odata.type": "#microsoft.graph.basicAuthentication", "username": "u", "password": "p"}
	cases := []struct {
		name string
		body any
		msg  string
	}{
		{"no displayName", map[string]any{"targetUrl": "https://x.example", "authenticationConfiguration": basic}, "displayName"},
		{"no targetUrl", map[string]any{"displayName": "x", "authenticationConfiguration": basic}, "targetUrl"},
		{"unknown property", map[string]any{"displayName": "x", "targetUrl": "https://x.example", "colour": "red"}, "Property 'colour' does not exist"},
		{"displayName not a string", map[string]any{"displayName": 5, "targetUrl": "https://x.example"}, "Edm.String"},
		{"auth without type", map[string]any{"displayName": "x", "targetUrl": "https://x.example", "authenticationConfiguration": map[string]any{"username": "u"}}, "abstract type"},
		{"auth unknown type", map[string]any{"displayName": "x", "targetUrl": "https://x.example", "authenticationConfiguration": map[string]any{"@odata.type": "#microsoft.graph.nope"}}, "could not be resolved"},
		{"basic without password", map[string]any{"displayName": "x", "targetUrl": "https://x.example", "authenticationConfiguration": map[string]any{"@odata.type": "#microsoft.graph.basicAuthentication", "username": "u"}}, "password"},
		{"read-only clientCertificateAuthentication", map[string]any{"displayName": "x", "targetUrl": "https://x.example", "authenticationConfiguration": map[string]any{"@odata.type": "#microsoft.graph.clientCertificateAuthentication"}}, "read-only"},
		{"bad pkcs12Certificate", map[string]any{"displayName": "x", "targetUrl": "https://x.example", "authenticationConfiguration": map[string]any{"@odata.type": "#microsoft.graph.pkcs12Certificate", "pkcs12Value": testfixtures.Base64("truncated.pfx"), "password": testfixtures.Password}}, "PKCS#12"},
		{"invalid JSON", []byte(`{"displayName":`), "valid JSON"},
		{"JSON array", []byte(`[1,2]`), "valid JSON"},
		{"empty body", []byte(``), "Empty Payload"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			wantError(t, v.do("POST", connectorsPath, tc.body), 400, "BadRequest", tc.msg)
		})
	}
	if n := len(testfixtures.As[[]any](t, v.do("GET", connectorsPath, nil).obj(t)["value"])); n != 0 {
		t.Errorf("%d connectors exist after failed creates", n)
	}
}

// TestConnectorUploadFixtures: every PFX variant users export yields its leaf thumbprint, in the documented shape.
func TestConnectorUploadFixtures(t *testing.T) {
	cases := []struct{ file, password, thumbprint, pem string }{
		{"client-aes.pfx", testfixtures.Password, testfixtures.ClientThumbprint, "client.pem"},
		{"client-legacy-3des.pfx", testfixtures.Password, testfixtures.ClientThumbprint, "client.pem"},
		{"client-empty-password.pfx", "", testfixtures.ClientThumbprint, "client.pem"},
		{"client-with-chain.pfx", testfixtures.Password, testfixtures.ClientThumbprint, "client.pem"},
		{"client-ec.pfx", testfixtures.Password, testfixtures.ClientECThumbprint, "client-ec.pem"},
		{"client-expired.pfx", testfixtures.Password, testfixtures.ExpiredThumbprint, "client-expired.pem"},
	}
	v := newEnv(t, graphemu.Options{})
	for _, tc := range cases {
		t.Run(tc.file, func(t *testing.T) {
			id := v.createConnector("upload-" + tc.file)
			r := v.uploadPFX(id, tc.file, tc.password)
			wantStatus(t, r, http.StatusOK)

			// The documented example's exact shape: these keys, Unix-second integers.
			dec := json.NewDecoder(bytes.NewReader(r.body))
			dec.UseNumber()
			var m map[string]any
			if err := dec.Decode(&m); err != nil {
				t.Fatal(err)
			}
			if got, want := keys(m), []string{"@odata.context", "authenticationConfiguration", "displayName", "id", "targetUrl"}; !reflect.DeepEqual(got, want) {
				t.Errorf("keys = %v, want %v", got, want)
			}
			if m["@odata.context"] != v.srv.URL+"/v1.0/$metadata#identity/apiConnectors/$entity" {
				t.Errorf("@odata.context = %v", m["@odata.context"])
			}
			list := certList(t, m)
			if len(list) != 1 {
				t.Fatalf("certificateList = %v", list)
			}
			c := list[0]
			if got, want := keys(c), []string{"isActive", "notAfter", "notBefore", "thumbprint"}; !reflect.DeepEqual(got, want) {
				t.Errorf("certificate keys = %v, want %v", got, want)
			}
			if c["thumbprint"] != tc.thumbprint {
				t.Errorf("thumbprint = %v, want %s", c["thumbprint"], tc.thumbprint)
			}
			leaf, err := pkcs.DecodeClientCertificate(testfixtures.Base64(tc.file), tc.password)
			if err != nil {
				t.Fatal(err)
			}
			if c["notBefore"] != json.Number(itoa(leaf.NotBefore.Unix())) || c["notAfter"] != json.Number(itoa(leaf.NotAfter.Unix())) {
				t.Errorf("notBefore/notAfter = %v/%v, want %d/%d (integers)", c["notBefore"], c["notAfter"], leaf.NotBefore.Unix(), leaf.NotAfter.Unix())
			}
			wantActive := tc.file != "client-expired.pfx"
			if c["isActive"] != wantActive {
				t.Errorf("isActive = %v, want %v", c["isActive"], wantActive)
			}
			// GET shows the same list.
			got := certList(t, v.do("GET", connectorsPath+"/"+id, nil).obj(t))
			if !reflect.DeepEqual(thumbprints(t, got), []string{tc.thumbprint}) {
				t.Errorf("GET certificateList = %v", got)
			}
		})
	}
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

func TestConnectorUploadErrors(t *testing.T) {
	v := newEnv(t, graphemu.Options{})
	id := v.createConnector("errors")
	path := connectorsPath + "/" + id + "/uploadClientCertificate"
	cases := []struct {
		name string
		body any
		msg  string
	}{
		{"missing pkcs12Value", map[string]any{"password": ""}, "pkcs12Value"},
		{"empty pkcs12Value", map[string]any{"pkcs12Value": "", "password": ""}, "pkcs12Value"},
		{"missing password", map[string]any{"pkcs12Value": testfixtures.Base64("client-empty-password.pfx")}, "password"},
		{"null password", map[string]any{"pkcs12Value": testfixtures.Base64("client-empty-password.pfx"), "password": nil}, "password"},
		{"bad base64", map[string]any{"pkcs12Value": "not*base64!", "password": ""}, "base64"},
		{"truncated", map[string]any{"pkcs12Value": testfixtures.Base64("truncated.pfx"), "password": testfixtures.Password}, "not a valid PKCS#12"},
		{"not a PFX", map[string]any{"pkcs12Value": testfixtures.Base64("contoso-pki.p7b"), "password": ""}, "not a valid PKCS#12"},
		{"wrong password", map[string]any{"pkcs12Value": testfixtures.Base64("client-aes.pfx"), "password": "wrong"}, "password"},
		{"no private key", map[string]any{"pkcs12Value": testfixtures.Base64("cert-only-no-key.pfx"), "password": testfixtures.Password}, "private key"},
		{"unknown parameter", map[string]any{"pkcs12Value": testfixtures.Base64("client-aes.pfx"), "password": testfixtures.Password, "extra": 1}, "does not exist"},
		{"invalid JSON", []byte(`{`), "valid JSON"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r := v.do("POST", path, tc.body)
			wantError(t, r, 400, "BadRequest", tc.msg)
			if bytes.Contains(r.body, []byte(testfixtures.Password)) {
				t.Error("the error leaks the password")
			}
		})
	}
	// Nothing was recorded, and the connector is still basic.
	got := v.do("GET", connectorsPath+"/"+id, nil).obj(t)
	if testfixtures.As[map[string]any](t, got["authenticationConfiguration"])["@odata.type"] != "#microsoft.graph.basicAuthentication" {
		t.Errorf("failed uploads changed the connector: %v", got)
	}
}

// TestConnectorRotation: uploads append; the most recently uploaded started, unexpired certificate is active;
// re-uploading a listed thumbprint keeps one entry and makes it the most recent.
func TestConnectorRotation(t *testing.T) {
	v := newEnv(t, graphemu.Options{})
	id := v.createConnector("rotation")

	r := v.uploadPFX(id, "client-aes.pfx", testfixtures.Password)
	wantStatus(t, r, 200)
	r = v.uploadPFX(id, "client-ec.pfx", testfixtures.Password)
	list := certList(t, r.obj(t))
	if !reflect.DeepEqual(thumbprints(t, list), []string{testfixtures.ClientThumbprint, testfixtures.ClientECThumbprint}) ||
		activeThumbprint(t, list) != testfixtures.ClientECThumbprint {
		t.Fatalf("after two uploads: %v", list)
	}
	// An expired certificate is listed but never active.
	list = certList(t, v.uploadPFX(id, "client-expired.pfx", testfixtures.Password).obj(t))
	if len(list) != 3 || activeThumbprint(t, list) != testfixtures.ClientECThumbprint {
		t.Fatalf("after the expired upload: %v", list)
	}
	// Re-upload of the first certificate (other encoding, same thumbprint): one entry, moved last, active.
	list = certList(t, v.uploadPFX(id, "client-legacy-3des.pfx", testfixtures.Password).obj(t))
	want := []string{testfixtures.ClientECThumbprint, testfixtures.ExpiredThumbprint, testfixtures.ClientThumbprint}
	if !reflect.DeepEqual(thumbprints(t, list), want) || activeThumbprint(t, list) != testfixtures.ClientThumbprint {
		t.Fatalf("after re-upload: %v, want order %v with %s active", list, want, testfixtures.ClientThumbprint)
	}
	// After the client certificates expire (2036), none is active.
	v.clk.Advance(11 * 365 * 24 * time.Hour)
	list = certList(t, v.do("GET", connectorsPath+"/"+id, nil).obj(t))
	if activeThumbprint(t, list) != "" {
		t.Errorf("after expiry, active = %s", activeThumbprint(t, list))
	}
}

// TestConnectorNotYetValid: a certificate whose notBefore is in the future is not active until then (emulator clock).
func TestConnectorNotYetValid(t *testing.T) {
	v := newEnv(t, graphemu.Options{})
	v.clk.Advance(-2 * 365 * 24 * time.Hour) // 2025: before the fixtures' notBefore
	id := v.createConnector("future")
	wantStatus(t, v.uploadPFX(id, "client-aes.pfx", testfixtures.Password), 200)
	list := certList(t, v.uploadPFX(id, "client-expired.pfx", testfixtures.Password).obj(t))
	if activeThumbprint(t, list) != "" {
		t.Fatalf("active before notBefore / after notAfter: %v", list)
	}
	v.clk.Advance(2 * 365 * 24 * time.Hour)
	list = certList(t, v.do("GET", connectorsPath+"/"+id, nil).obj(t))
	if activeThumbprint(t, list) != testfixtures.ClientThumbprint {
		t.Errorf("once started: %v", list)
	}
}

func TestConnectorPatchReplacesConfiguration(t *testing.T) {
	v := newEnv(t, graphemu.Options{})
	id := v.createConnector("replace")
	// Uploading onto basic authentication switches the connector to certificates.
	wantStatus(t, v.uploadPFX(id, "client-aes.pfx", testfixtures.Password), 200)
	wantStatus(t, v.uploadPFX(id, "client-ec.pfx", testfixtures.Password), 200)

	// pkcs12Certificate replaces every certificate with the one sent (gzip body, as the SDK sends it).
	body := gzipJSON(t, map[string]any{"authenticationConfiguration": map[string]any{
		"@odata.type": "#microsoft.graph.pkcs12Certificate", "pkcs12Value": testfixtures.Base64("client-expired.pfx"), "password": testfixtures.Password,
	}})
	r := v.request("PATCH", connectorsPath+"/"+id, body, map[string]string{"Content-Encoding": "gzip"})
	wantStatus(t, r, 204)
	list := certList(t, v.do("GET", connectorsPath+"/"+id, nil).obj(t))
	if !reflect.DeepEqual(thumbprints(t, list), []string{testfixtures.ExpiredThumbprint}) {
		t.Fatalf("after PATCH pkcs12Certificate: %v", list)
	}

	// basicAuthentication removes every certificate.
	r = v.do("PATCH", connectorsPath+"/"+id, map[string]any{"authenticationConfiguration": map[string]any{
		"@odata.type": "#microsoft.graph.basicAuthentication", "username": "bob", "password": "pw",
	}})
	wantStatus(t, r, 204)
	got := v.do("GET", connectorsPath+"/"+id, nil).obj(t)
	want := map[string]any{"@odata.type": "#microsoft.graph.basicAuthentication", "username": "bob", "password": "******"}
	if !reflect.DeepEqual(got["authenticationConfiguration"], want) {
		t.Fatalf("after PATCH basic: %v", got["authenticationConfiguration"])
	}
	// A PATCH error changes nothing.
	wantError(t, v.do("PATCH", connectorsPath+"/"+id, map[string]any{"authenticationConfiguration": map[string]any{
		"@odata.type": "#microsoft.graph.pkcs12Certificate", "pkcs12Value": testfixtures.Base64("client-aes.pfx"), "password": "wrong",
	}}), 400, "BadRequest", "password")
	wantError(t, v.do("PATCH", connectorsPath+"/"+id, map[string]any{"displayName": ""}), 400, "BadRequest", "displayName")
	wantError(t, v.do("PATCH", connectorsPath+"/"+id, []byte("nope")), 400, "BadRequest", "JSON")

	// Create with a pkcs12Certificate, as Graph allows.
	r = v.do("POST", connectorsPath, map[string]any{"displayName": "cert at create", "targetUrl": "https://x.example",
		"authenticationConfiguration": map[string]any{"@odata.type": "#microsoft.graph.pkcs12Certificate",
			"pkcs12Value": testfixtures.Base64("client-empty-password.pfx"), "password": ""}})
	wantStatus(t, r, 201)
	list = certList(t, r.obj(t))
	if !reflect.DeepEqual(thumbprints(t, list), []string{testfixtures.ClientThumbprint}) || activeThumbprint(t, list) != testfixtures.ClientThumbprint {
		t.Errorf("create with pkcs12Certificate: %v", list)
	}
}

func TestConnectorListFilterAndPaging(t *testing.T) {
	v := newEnv(t, graphemu.Options{})
	for _, n := range []string{"alpha", "beta", "O'Brien", "alphabet"} {
		v.createConnector(n)
	}
	names := func(r reply) []string {
		var out []string
		for _, x := range testfixtures.As[[]any](t, r.obj(t)["value"]) {
			out = append(out, testfixtures.As[string](t, testfixtures.As[map[string]any](t, x)["displayName"]))
		}
		return out
	}
	q := func(s string) string { return connectorsPath + "?" + s }
	if got := names(v.do("GET", q("$filter="+url.QueryEscape("displayName eq 'alpha'")), nil)); !reflect.DeepEqual(got, []string{"alpha"}) {
		t.Errorf("eq alpha = %v", got)
	}
	if got := names(v.do("GET", q("%24filter="+url.QueryEscape("displayName eq 'O''Brien'")), nil)); !reflect.DeepEqual(got, []string{"O'Brien"}) {
		t.Errorf("eq O'Brien = %v", got)
	}
	if got := names(v.do("GET", q("$filter="+url.QueryEscape("startswith(displayName,'alpha')")), nil)); !reflect.DeepEqual(got, []string{"alpha", "alphabet"}) {
		t.Errorf("startswith = %v", got)
	}
	if got := names(v.do("GET", q("$filter="+url.QueryEscape("displayName eq 'nobody'")), nil)); len(got) != 0 {
		t.Errorf("eq nobody = %v", got)
	}
	wantError(t, v.do("GET", q("$filter="+url.QueryEscape("targetUrl eq 'x'")), nil), 400, "BadRequest", "filter")
	wantError(t, v.do("GET", q("$filter="+url.QueryEscape("displayName eq alpha")), nil), 400, "BadRequest", "filter")
	wantError(t, v.do("GET", q("$top=0"), nil), 400, "BadRequest", "page size")
	wantError(t, v.do("GET", q("$top=1000"), nil), 400, "BadRequest", "page size")
	wantError(t, v.do("GET", q("$skiptoken=garbage"), nil), 400, "BadRequest", "skiptoken")

	// $top pages with an @odata.nextLink the client follows as-is.
	var all []string
	next := v.srv.URL + "/v1.0" + q("$top=3")
	for pages := 0; next != ""; pages++ {
		if pages > 3 {
			t.Fatal("too many pages")
		}
		r := v.do("GET", strings.TrimPrefix(next, v.srv.URL+"/v1.0"), nil)
		wantStatus(t, r, 200)
		if bytes.Contains(r.body, []byte(`\u0026`)) {
			t.Errorf("nextLink has an escaped '&': %s", r.body)
		}
		all = append(all, names(r)...)
		next, _ = r.obj(t)["@odata.nextLink"].(string)
	}
	if !reflect.DeepEqual(all, []string{"alpha", "beta", "O'Brien", "alphabet"}) {
		t.Errorf("paged list = %v", all)
	}
}

func TestAuthentication(t *testing.T) {
	v := newEnv(t, graphemu.Options{})
	for name, hdr := range map[string]string{"missing": "", "wrong token": "Bearer nope", "basic scheme": "Basic dGVzdDp0ZXN0", "empty bearer": "Bearer "} {
		t.Run(name, func(t *testing.T) {
			r := v.request("GET", connectorsPath, nil, map[string]string{"Authorization": hdr})
			wantError(t, r, 401, "InvalidAuthenticationToken", "Access token")
			if r.header.Get("WWW-Authenticate") == "" {
				t.Error("401 without WWW-Authenticate")
			}
		})
	}
	// Token "" accepts any bearer token, but still requires one.
	open := graphemu.New(graphemu.Options{Clock: v.clk})
	rec := serve(open, "GET", "/v1.0"+connectorsPath, "Bearer whatever")
	if rec.Code != 200 {
		t.Errorf("Token \"\" with a bearer token: %d", rec.Code)
	}
	if rec := serve(open, "GET", "/v1.0"+connectorsPath, ""); rec.Code != 401 {
		t.Errorf("Token \"\" without a token: %d", rec.Code)
	}
}

func TestRoutingErrors(t *testing.T) {
	v := newEnv(t, graphemu.Options{})
	id := v.createConnector("routes")
	pki := v.createPKI("routes")
	notAllowed := []struct{ method, path string }{
		{"PUT", connectorsPath},
		{"DELETE", connectorsPath},
		{"POST", connectorsPath + "/" + id},
		{"PUT", connectorsPath + "/" + id},
		{"GET", connectorsPath + "/" + id + "/uploadClientCertificate"},
		{"PATCH", pkisPath},
		{"POST", pkisPath + "/" + pki},
		{"GET", pkisPath + "/" + pki + "/upload"},
		{"DELETE", pkisPath + "/" + pki + "/certificateAuthorities"},
		{"POST", pkisPath + "/" + pki + "/certificateAuthorities/" + id},
	}
	for _, tc := range notAllowed {
		r := v.do(tc.method, tc.path, nil)
		wantError(t, r, 405, "MethodNotAllowed", tc.method)
		if r.header.Get("Allow") == "" {
			t.Errorf("%s %s: 405 without Allow", tc.method, tc.path)
		}
	}
	wantError(t, v.do("GET", "/identity/userFlows", nil), 400, "BadRequest", "segment 'userFlows'")
	wantError(t, v.do("GET", connectorsPath+"/"+id+"/nope", nil), 400, "BadRequest", "segment 'nope'")
	// The first segment Graph does not recognise is named, also below a nested collection.
	wantError(t, v.do("GET", pkisPath+"/"+pki+"/certificateAuthorities/"+id+"/nope", nil), 400, "BadRequest", "segment 'nope'")
	wantError(t, v.do("GET", "/", nil), 400, "BadRequest", "segment")
	// Paths outside /v1.0 are not Graph v1.0.
	r := serve(v.emu, "GET", "/beta"+connectorsPath, "Bearer "+testToken)
	if r.Code != 404 {
		t.Errorf("/beta: %d", r.Code)
	}
	// Graph's segments are case-insensitive (the docs write /identity/apiconnectors), and actions may be qualified.
	wantStatus(t, v.do("GET", "/IDENTITY/apiconnectors/"+id, nil), 200)
	wantStatus(t, v.do("POST", "/identity/apiconnectors/"+id+"/microsoft.graph.uploadClientCertificate",
		map[string]any{"pkcs12Value": testfixtures.Base64("client-aes.pfx"), "password": testfixtures.Password}), 200)
}

func TestGzipBodies(t *testing.T) {
	v := newEnv(t, graphemu.Options{})
	gz := map[string]string{"Content-Encoding": "gzip"}
	r := v.request("POST", connectorsPath, gzipJSON(t, map[string]any{
		"displayName": "gz", "targetUrl": "https://gz.example",
		"authenticationConfiguration": map[string]any{"@odata.type": "#microsoft.graph.basicAuthentication", "username": "u", "password": "p"},
	}), gz)
	wantStatus(t, r, 201)
	id := testfixtures.As[string](t, r.obj(t)["id"])
	r = v.request("POST", connectorsPath+"/"+id+"/uploadClientCertificate", gzipJSON(t, map[string]any{
		"pkcs12Value": testfixtures.Base64("client-aes.pfx"), "password": testfixtures.Password,
	}), gz)
	wantStatus(t, r, 200)
	if got := thumbprints(t, certList(t, r.obj(t))); !reflect.DeepEqual(got, []string{testfixtures.ClientThumbprint}) {
		t.Errorf("gzip upload: %v", got)
	}
	pki := v.createPKI("gz")
	r = v.request("POST", pkisPath+"/"+pki+"/upload", gzipJSON(t, map[string]any{
		"uploadUrl": v.fileURL("fabrikam-pki.p7b"), "sha256FileHash": testfixtures.FabrikamSHA256,
	}), gz)
	wantStatus(t, r, 204)

	// A body that claims gzip but is not: 400. An encoding Graph does not take: 415 (the SDK then retries plain).
	wantError(t, v.request("POST", connectorsPath, []byte(`{"displayName":"x"}`), gz), 400, "BadRequest", "gzip")
	wantError(t, v.request("POST", connectorsPath, []byte(`{}`), map[string]string{"Content-Encoding": "br"}), 415, "UnsupportedMediaType", "br")
}
