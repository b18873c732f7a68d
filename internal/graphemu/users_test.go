package graphemu_test

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/entracert/terraform-provider-entracert/internal/graphemu"
	"github.com/entracert/terraform-provider-entracert/internal/testfixtures"
)

const userSelect = "?$select=id,userPrincipalName,authorizationInfo"

func certificateUserIDsBody(values ...string) map[string]any {
	if values == nil {
		values = []string{}
	}
	return map[string]any{"authorizationInfo": map[string]any{"certificateUserIds": values}}
}

func TestUsers_getByIDOrUPNAndSelect(t *testing.T) {
	v := newEnv(t, graphemu.Options{})
	id := v.emu.AddUser("Bob@Contoso.com", "X509:<PN>bob@contoso.com")
	for _, key := range []string{id, strings.ToUpper(id), "bob@contoso.com", url.PathEscape("BOB@CONTOSO.COM")} {
		m := v.do(http.MethodGet, "/users/"+key+userSelect, nil).obj(t)
		if m["id"] != id || m["userPrincipalName"] != "Bob@Contoso.com" {
			t.Errorf("GET %s: %v", key, m)
		}
		jsonEqual(t, "authorizationInfo", m["authorizationInfo"], `{"certificateUserIds":["X509:<PN>bob@contoso.com"]}`)
	}
	// Without $select, authorizationInfo is not returned (Graph returns it only when selected).
	m := v.do(http.MethodGet, "/users/"+id, nil).obj(t)
	if _, ok := m["authorizationInfo"]; ok || m["displayName"] != "Bob" {
		t.Errorf("GET without $select: %v", m)
	}
	r := v.do(http.MethodGet, "/users/nobody@contoso.com"+userSelect, nil)
	wantStatus(t, r, http.StatusNotFound)
	if code := testfixtures.As[map[string]any](t, r.obj(t)["error"])["code"]; code != "Request_ResourceNotFound" {
		t.Errorf("404 code %v", code)
	}
}

func TestUsers_patchReplacesTheListAndEnforcesLimits(t *testing.T) {
	v := newEnv(t, graphemu.Options{})
	id := v.emu.AddUser("bob@contoso.com", "X509:<PN>old@contoso.com")
	// gzip, as msgraph-sdk-go sends it.
	r := v.request(http.MethodPatch, "/users/bob@contoso.com", gzipJSON(t, certificateUserIDsBody("X509:<PN>a@contoso.com", "X509:<SKI>0A0B")),
		map[string]string{"Content-Encoding": "gzip"})
	wantStatus(t, r, http.StatusNoContent)
	if u, _ := v.emu.User(id); fmt.Sprint(u.CertificateUserIDs) != "[X509:<PN>a@contoso.com X509:<SKI>0A0B]" {
		t.Errorf("after PATCH: %v", u.CertificateUserIDs)
	}
	var eleven []string
	for i := range 11 {
		eleven = append(eleven, fmt.Sprintf("X509:<PN>u%d@contoso.com", i))
	}
	for name, body := range map[string]any{
		"11 values":       certificateUserIDsBody(eleven...),
		"1025 characters": certificateUserIDsBody("X509:<PN>" + strings.Repeat("a", 1016)),
		"a duplicate":     certificateUserIDsBody("X509:<SKI>0A0B", "X509:<SKI>0a0b"),
		"another prop":    map[string]any{"displayName": "Bob"},
	} {
		wantStatus(t, v.do(http.MethodPatch, "/users/"+id, body), http.StatusBadRequest)
		if u, _ := v.emu.User(id); len(u.CertificateUserIDs) != 2 {
			t.Errorf("%s: a refused PATCH changed the list: %v", name, u.CertificateUserIDs)
		}
	}
	wantStatus(t, v.do(http.MethodPatch, "/users/"+id, certificateUserIDsBody(eleven[:10]...)), http.StatusNoContent)
	wantStatus(t, v.do(http.MethodPatch, "/users/"+id, map[string]any{"authorizationInfo": map[string]any{"certificateUserIds": nil}}), http.StatusNoContent)
	if u, _ := v.emu.User(id); len(u.CertificateUserIDs) != 0 {
		t.Errorf("null empties the list: %v", u.CertificateUserIDs)
	}
	wantStatus(t, v.do(http.MethodPatch, "/users/nobody@contoso.com", certificateUserIDsBody()), http.StatusNotFound)
}

func TestUsers_uniquenessConflictInGraphsShape(t *testing.T) {
	v := newEnv(t, graphemu.Options{})
	alice := v.emu.AddUser("alice@contoso.com", "X509:<SKI>0A0B")
	bob := v.emu.AddUser("bob@contoso.com", "X509:<PN>bob@contoso.com")
	r := v.do(http.MethodPatch, "/users/"+bob, certificateUserIDsBody("X509:<PN>bob@contoso.com", "X509:<SKI>0a0b"))
	wantStatus(t, r, http.StatusBadRequest)
	e := testfixtures.As[map[string]any](t, r.obj(t)["error"])
	if e["code"] != "Request_BadRequest" || e["message"] != graphemu.ConflictCertificateUserIDsMessage {
		t.Errorf("conflict error %v", e)
	}
	if inner, _ := e["innerError"].(map[string]any); inner["request-id"] == "" {
		t.Errorf("no innerError.request-id: %v", e)
	}
	if u, _ := v.emu.User(bob); len(u.CertificateUserIDs) != 1 {
		t.Errorf("the refused PATCH changed bob: %v", u.CertificateUserIDs)
	}
	// A user may keep its own values.
	wantStatus(t, v.do(http.MethodPatch, "/users/"+alice, certificateUserIDsBody("X509:<SKI>0A0B")), http.StatusNoContent)
}

func TestUsers_filterByCertificateUserID(t *testing.T) {
	v := newEnv(t, graphemu.Options{})
	alice := v.emu.AddUser("alice@contoso.com", "X509:<SKI>0A0B")
	v.emu.AddUser("bob@contoso.com", "X509:<PN>bob@contoso.com")
	q := "/users?$count=true&$select=id,userPrincipalName&$filter=" + url.QueryEscape("authorizationInfo/certificateUserIds/any(x:x eq 'X509:<SKI>0A0B')")
	m := v.request(http.MethodGet, q, nil, map[string]string{"ConsistencyLevel": "eventual"}).obj(t)
	jsonEqual(t, "value", m["value"], fmt.Sprintf(`[{"id":%q,"userPrincipalName":"alice@contoso.com"}]`, alice))
	// Advanced query: without ConsistencyLevel: eventual (or $count=true) Graph refuses the filter.
	wantStatus(t, v.do(http.MethodGet, q, nil), http.StatusBadRequest)
	q = "/users?$count=true&$filter=" + url.QueryEscape("authorizationInfo/certificateUserIds/any(x:startswith(x,'X509:<PN>'))")
	if n := v.request(http.MethodGet, q, nil, map[string]string{"ConsistencyLevel": "eventual"}).obj(t)["@odata.count"]; n != float64(1) {
		t.Errorf("startswith count %v", n)
	}
}

func TestUsers_readAfterWriteLagShowsThePreviousList(t *testing.T) {
	v := newEnv(t, graphemu.Options{})
	id := v.emu.AddUser("bob@contoso.com", "X509:<PN>old@contoso.com")
	v.emu.SetReadAfterWriteLag(10 * time.Second)
	wantStatus(t, v.do(http.MethodPatch, "/users/"+id, certificateUserIDsBody("X509:<PN>new@contoso.com")), http.StatusNoContent)
	jsonEqual(t, "inside the lag", v.do(http.MethodGet, "/users/"+id+userSelect, nil).obj(t)["authorizationInfo"],
		`{"certificateUserIds":["X509:<PN>old@contoso.com"]}`)
	v.clk.Advance(10 * time.Second)
	jsonEqual(t, "after the lag", v.do(http.MethodGet, "/users/"+id+userSelect, nil).obj(t)["authorizationInfo"],
		`{"certificateUserIds":["X509:<PN>new@contoso.com"]}`)
}
