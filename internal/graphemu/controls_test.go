package graphemu_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/entracert/terraform-provider-entracert/internal/graphemu"
	"github.com/entracert/terraform-provider-entracert/internal/testfixtures"
)

func TestFaultsCountAndRetryAfter(t *testing.T) {
	v := newEnv(t, graphemu.Options{})
	id := v.createConnector("faults")
	v.emu.AddFault(graphemu.Fault{Method: "POST", Path: "/identity/apiConnectors/*/uploadClientCertificate", Count: 2, Status: 429, RetryAfter: "7"})
	for i := 0; i < 2; i++ {
		r := v.uploadPFX(id, "client-aes.pfx", testfixtures.Password)
		wantError(t, r, 429, "TooManyRequests", "")
		if r.header.Get("Retry-After") != "7" {
			t.Errorf("Retry-After = %q", r.header.Get("Retry-After"))
		}
	}
	// The faulted requests changed nothing; the third goes through.
	if ac := testfixtures.As[map[string]any](t, v.do("GET", connectorsPath+"/"+id, nil).obj(t)["authenticationConfiguration"]); ac["@odata.type"] != "#microsoft.graph.basicAuthentication" {
		t.Errorf("a faulted upload took effect: %v", ac)
	}
	wantStatus(t, v.uploadPFX(id, "client-aes.pfx", testfixtures.Password), 200)

	// Method filters; Count 0 means once; Code overrides the default; patterns ignore case.
	v.emu.AddFault(graphemu.Fault{Method: "GET", Path: "/IDENTITY/apiconnectors/*", Status: 503, Code: "serviceNotAvailable", RetryAfter: "1"})
	wantStatus(t, v.do("GET", connectorsPath, nil), 200) // the collection is not /*
	wantStatus(t, v.do("PATCH", connectorsPath+"/"+id, map[string]any{"displayName": "x"}), 204)
	wantError(t, v.do("GET", connectorsPath+"/"+id, nil), 503, "serviceNotAvailable", "")
	wantStatus(t, v.do("GET", connectorsPath+"/"+id, nil), 200)

	// Defaults per status.
	for status, code := range map[int]string{500: "InternalServerError", 502: "BadGateway", 504: "GatewayTimeout", 403: "Authorization_RequestDenied", 409: "Conflict"} {
		v.emu.AddFault(graphemu.Fault{Path: "/directory/*/*", Status: status})
		wantError(t, v.do("GET", pkisPath, nil), status, code, "")
	}

	// ClearFaults drops unused faults.
	v.emu.AddFault(graphemu.Fault{Path: "/identity/apiConnectors", Count: 5, Status: 500})
	v.emu.ClearFaults()
	wantStatus(t, v.do("GET", connectorsPath, nil), 200)
}

func TestFaultProbability(t *testing.T) {
	v := newEnv(t, graphemu.Options{FaultSeed: 42})
	v.emu.AddFault(graphemu.Fault{Path: "/identity/apiConnectors", Status: 429, RetryAfter: "0", Probability: 0.5})
	throttled := 0
	for i := 0; i < 200; i++ {
		r := v.do("GET", connectorsPath, nil)
		switch r.status {
		case 429:
			throttled++
		case 200:
		default:
			t.Fatalf("status %d", r.status)
		}
	}
	if throttled < 60 || throttled > 140 {
		t.Errorf("%d of 200 throttled at probability 0.5", throttled)
	}
	// Probability faults never run out.
	v.emu.ClearFaults()
	v.emu.AddFault(graphemu.Fault{Path: "/identity/apiConnectors", Status: 503, Probability: 1, Count: 1})
	for i := 0; i < 5; i++ {
		wantError(t, v.do("GET", connectorsPath, nil), 503, "ServiceUnavailable", "")
	}
}

// TestDropAfterProcessing: the upload takes effect but the client gets no answer (the lost-response case).
func TestDropAfterProcessing(t *testing.T) {
	v := newEnv(t, graphemu.Options{})
	id := v.createConnector("drop")
	v.emu.AddFault(graphemu.Fault{Method: "POST", Path: "/identity/apiConnectors/*/uploadClientCertificate", DropAfterProcessing: true})
	body, _ := json.Marshal(map[string]any{"pkcs12Value": testfixtures.Base64("client-aes.pfx"), "password": testfixtures.Password})
	req, _ := http.NewRequest("POST", v.srv.URL+"/v1.0"+connectorsPath+"/"+id+"/uploadClientCertificate", bytes.NewReader(body))
	req.Header.Set("Authorization", "Bearer "+testToken)
	resp, err := v.srv.Client().Do(req)
	if err == nil {
		resp.Body.Close()
		t.Fatalf("got an answer (%d) from a dropped request", resp.StatusCode)
	}
	list := certList(t, v.do("GET", connectorsPath+"/"+id, nil).obj(t))
	if !reflect.DeepEqual(thumbprints(t, list), []string{testfixtures.ClientThumbprint}) {
		t.Errorf("the dropped upload did not take effect: %v", list)
	}
	j := v.emu.Journal()
	var statuses []int
	for _, e := range j {
		if strings.HasSuffix(e.Path, "/uploadClientCertificate") {
			statuses = append(statuses, e.Status)
		}
	}
	if !reflect.DeepEqual(statuses, []int{0}) {
		t.Errorf("journal statuses of the upload = %v, want [0]", statuses)
	}
}

func TestLatency(t *testing.T) {
	v := newEnv(t, graphemu.Options{})
	v.emu.SetLatency(80 * time.Millisecond)
	began := time.Now()
	wantStatus(t, v.do("GET", connectorsPath, nil), 200)
	if d := time.Since(began); d < 80*time.Millisecond {
		t.Errorf("answered in %v with 80ms latency", d)
	}
	if j := v.emu.Journal(); j[len(j)-1].Duration < 80*time.Millisecond {
		t.Errorf("journal duration %v", j[len(j)-1].Duration)
	}
	v.emu.SetLatency(0)
	began = time.Now()
	wantStatus(t, v.do("GET", connectorsPath, nil), 200)
	if d := time.Since(began); d > 70*time.Millisecond {
		t.Errorf("latency 0 took %v", d)
	}
}

func TestReadAfterWriteLag(t *testing.T) {
	v := newEnv(t, graphemu.Options{})
	v.emu.SetReadAfterWriteLag(10 * time.Second)

	id := v.createConnector("lagging") // the create's own 201 has the object
	wantError(t, v.do("GET", connectorsPath+"/"+id, nil), 404, "ResourceNotFound", id)
	if vals := testfixtures.As[[]any](t, v.do("GET", connectorsPath, nil).obj(t)["value"]); len(vals) != 0 {
		t.Errorf("list shows a lagging connector: %v", vals)
	}
	// Writes reach it at once.
	wantStatus(t, v.do("PATCH", connectorsPath+"/"+id, map[string]any{"displayName": "lagging 2"}), 204)
	r := v.uploadPFX(id, "client-aes.pfx", testfixtures.Password)
	wantStatus(t, r, 200)
	if got := thumbprints(t, certList(t, r.obj(t))); !reflect.DeepEqual(got, []string{testfixtures.ClientThumbprint}) {
		t.Errorf("the upload's own answer lacks its certificate: %v", got)
	}
	v.clk.Advance(10 * time.Second)
	got := v.do("GET", connectorsPath+"/"+id, nil).obj(t)
	if got["displayName"] != "lagging 2" || !reflect.DeepEqual(thumbprints(t, certList(t, got)), []string{testfixtures.ClientThumbprint}) {
		t.Errorf("after the lag: %v", got)
	}

	// A second upload is missing from GET (and the old one stays active there) until the lag passes.
	r = v.uploadPFX(id, "client-ec.pfx", testfixtures.Password)
	if list := certList(t, r.obj(t)); len(list) != 2 || activeThumbprint(t, list) != testfixtures.ClientECThumbprint {
		t.Errorf("upload answer: %v", list)
	}
	list := certList(t, v.do("GET", connectorsPath+"/"+id, nil).obj(t))
	if !reflect.DeepEqual(thumbprints(t, list), []string{testfixtures.ClientThumbprint}) || activeThumbprint(t, list) != testfixtures.ClientThumbprint {
		t.Errorf("GET during the lag: %v", list)
	}
	v.clk.Advance(10 * time.Second)
	list = certList(t, v.do("GET", connectorsPath+"/"+id, nil).obj(t))
	if len(list) != 2 || activeThumbprint(t, list) != testfixtures.ClientECThumbprint {
		t.Errorf("GET after the lag: %v", list)
	}

	pki := v.createPKI("lagging")
	wantError(t, v.do("GET", pkisPath+"/"+pki, nil), 404, "Request_ResourceNotFound", pki)
	wantError(t, v.do("GET", pkisPath+"/"+pki+"/certificateAuthorities", nil), 404, "Request_ResourceNotFound", pki)
	if vals := testfixtures.As[[]any](t, v.do("GET", pkisPath, nil).obj(t)["value"]); len(vals) != 0 {
		t.Errorf("list shows a lagging PKI: %v", vals)
	}
	wantStatus(t, v.uploadP7B(pki, "fabrikam-pki.p7b", testfixtures.FabrikamSHA256), 204)
	v.clk.Advance(10 * time.Second)
	if p := v.pki(pki); p["displayName"] != "lagging" {
		t.Errorf("PKI after the lag: %v", p)
	}
}

func TestJournal(t *testing.T) {
	v := newEnv(t, graphemu.Options{})
	id := v.createConnector("journal")
	wantStatus(t, v.uploadPFX(id, "client-aes.pfx", testfixtures.Password), 200)
	v.do("GET", connectorsPath+"?$filter=displayName%20eq%20'journal'", nil)
	v.request("GET", connectorsPath, nil, map[string]string{"Authorization": ""})
	v.do("GET", connectorsPath+"/missing", nil)

	j := v.emu.Journal()
	type row struct {
		Method, Path, Query string
		Status              int
	}
	var got []row
	for _, e := range j {
		got = append(got, row{e.Method, e.Path, e.Query, e.Status})
		if !e.Time.Equal(start) {
			t.Errorf("journal time %v, want the emulator clock's %v", e.Time, start)
		}
	}
	want := []row{
		{"POST", "/identity/apiConnectors", "", 201},
		{"POST", "/identity/apiConnectors/" + id + "/uploadClientCertificate", "", 200},
		{"GET", "/identity/apiConnectors", "$filter=displayName%20eq%20'journal'", 200},
		{"GET", "/identity/apiConnectors", "", 401},
		{"GET", "/identity/apiConnectors/missing", "", 404},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("journal = %+v\nwant %+v", got, want)
	}
	// Bodies (the PFX, the passwords) are never recorded.
	dump := fmt.Sprintf("%+v", j)
	for _, secret := range []string{testfixtures.Password, "s3cret-value", testfixtures.Base64("client-aes.pfx")[:40]} {
		if strings.Contains(dump, secret) {
			t.Errorf("the journal holds %q", secret)
		}
	}
	if n := v.emu.Count("POST", "/identity/apiConnectors/*/uploadClientCertificate"); n != 1 {
		t.Errorf("Count uploads = %d", n)
	}
	if n := v.emu.Count("", "/identity/apiConnectors"); n != 3 {
		t.Errorf("Count collection = %d", n)
	}
	if n := v.emu.Count("get", "/identity/*/*"); n != 1 {
		t.Errorf("Count GET item = %d", n)
	}
	v.emu.ResetJournal()
	if len(v.emu.Journal()) != 0 || v.emu.Count("", "/*") != 0 {
		t.Error("ResetJournal left entries")
	}
	// /files/ downloads are not Graph calls and are not journaled.
	wantStatus(t, v.uploadP7B(v.createPKI("j"), "fabrikam-pki.p7b", testfixtures.FabrikamSHA256), 204)
	if n := len(v.emu.Journal()); n != 2 {
		t.Errorf("journal after PKI create+upload has %d entries", n)
	}
}

// TestConcurrentUploads: parallel uploads to one connector (under -race) lose no certificate.
func TestConcurrentUploads(t *testing.T) {
	v := newEnv(t, graphemu.Options{})
	id := v.createConnector("parallel")
	const n = 24
	pfxs := make([]string, n)
	for i := range pfxs {
		pfxs[i] = genPFX(t, fmt.Sprintf("parallel-%d", i), "pw")
	}
	pki := v.createPKI("parallel")
	var wg sync.WaitGroup
	errs := make(chan string, 4*n)
	for i := 0; i < n; i++ {
		wg.Add(3)
		go func(i int) {
			defer wg.Done()
			body, _ := json.Marshal(map[string]any{"pkcs12Value": pfxs[i], "password": "pw"})
			req, _ := http.NewRequest("POST", v.srv.URL+"/v1.0"+connectorsPath+"/"+id+"/uploadClientCertificate", bytes.NewReader(body))
			req.Header.Set("Authorization", "Bearer "+testToken)
			resp, err := v.srv.Client().Do(req)
			if err != nil {
				errs <- err.Error()
				return
			}
			resp.Body.Close()
			if resp.StatusCode != 200 {
				errs <- fmt.Sprintf("upload %d: %d", i, resp.StatusCode)
			}
		}(i)
		// Concurrent readers and PKI uploads exercise the rest of the state under -race.
		go func() {
			defer wg.Done()
			req, _ := http.NewRequest("GET", v.srv.URL+"/v1.0"+connectorsPath+"/"+id, nil)
			req.Header.Set("Authorization", "Bearer "+testToken)
			if resp, err := v.srv.Client().Do(req); err == nil {
				resp.Body.Close()
			}
		}()
		go func() {
			defer wg.Done()
			body, _ := json.Marshal(map[string]any{"uploadUrl": v.fileURL("fabrikam-pki.p7b"), "sha256FileHash": testfixtures.FabrikamSHA256})
			req, _ := http.NewRequest("POST", v.srv.URL+"/v1.0"+pkisPath+"/"+pki+"/upload", bytes.NewReader(body))
			req.Header.Set("Authorization", "Bearer "+testToken)
			if resp, err := v.srv.Client().Do(req); err == nil {
				resp.Body.Close()
				if resp.StatusCode != 204 && resp.StatusCode != 400 {
					errs <- fmt.Sprintf("PKI upload: %d", resp.StatusCode)
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for e := range errs {
		t.Error(e)
	}
	list := certList(t, v.do("GET", connectorsPath+"/"+id, nil).obj(t))
	seen := map[string]bool{}
	for _, tp := range thumbprints(t, list) {
		seen[tp] = true
	}
	if len(list) != n || len(seen) != n {
		t.Errorf("%d certificates (%d distinct) after %d parallel uploads", len(list), len(seen), n)
	}
	if activeThumbprint(t, list) == "" {
		t.Error("no active certificate")
	}
	// Exactly one PKI upload won the race; the rest were "in progress" (or duplicates once it had finished).
	if n := v.emu.Count("POST", "/directory/*/*/*/upload"); n != 24 {
		t.Errorf("journal has %d PKI uploads", n)
	}
	statuses := map[int]int{}
	for _, e := range v.emu.Journal() {
		if strings.HasSuffix(e.Path, "/upload") {
			statuses[e.Status]++
		}
	}
	if statuses[204] != 1 {
		t.Errorf("PKI upload statuses %v", statuses)
	}
}

// RejectPBES2 answers an AES (PBES2) PFX in B2C's words, on the upload and in a pkcs12Certificate; a TripleDES
// one goes through. Off (the default), AES is accepted.
func TestRejectPBES2(t *testing.T) {
	v := newEnv(t, graphemu.Options{RejectPBES2: true})
	id := v.createConnector("pbes2")
	wantError(t, v.uploadPFX(id, "client-aes.pfx", testfixtures.Password), 400, graphemu.CodePBES2Rejected, graphemu.MessagePBES2Rejected)
	wantError(t, v.do("PATCH", connectorsPath+"/"+id, map[string]any{"authenticationConfiguration": map[string]any{
		"@odata.type": graphemu.TypePkcs12Certificate, "pkcs12Value": testfixtures.Base64("client-aes.pfx"), "password": testfixtures.Password,
	}}), 400, graphemu.CodePBES2Rejected, graphemu.MessagePBES2Rejected)
	wantStatus(t, v.uploadPFX(id, "client-legacy-3des.pfx", testfixtures.Password), 200)

	v.emu.SetRejectPBES2(false)
	wantStatus(t, v.uploadPFX(id, "client-aes.pfx", testfixtures.Password), 200)
}

// RefuseUploadsOnBasicAuth refuses an upload onto a basic-auth connector without changing it; PATCH with a
// pkcs12Certificate switches it, after which uploads are accepted.
func TestRefuseUploadsOnBasicAuth(t *testing.T) {
	v := newEnv(t, graphemu.Options{})
	v.emu.SetRefuseUploadsOnBasicAuth(true)
	id := v.createConnector("basic")
	wantError(t, v.uploadPFX(id, "client-aes.pfx", testfixtures.Password), 400, "BadRequest", "")
	ac := testfixtures.As[map[string]any](t, v.do("GET", connectorsPath+"/"+id, nil).obj(t)["authenticationConfiguration"])
	if ac["@odata.type"] != graphemu.TypeBasicAuthentication {
		t.Fatalf("a refused upload changed the connector: %v", ac)
	}
	wantStatus(t, v.do("PATCH", connectorsPath+"/"+id, map[string]any{"authenticationConfiguration": map[string]any{
		"@odata.type": graphemu.TypePkcs12Certificate, "pkcs12Value": testfixtures.Base64("client-aes.pfx"), "password": testfixtures.Password,
	}}), 204)
	wantStatus(t, v.uploadPFX(id, "client-ec.pfx", testfixtures.Password), 200)
	if got := thumbprints(t, certList(t, v.do("GET", connectorsPath+"/"+id, nil).obj(t))); len(got) != 2 {
		t.Errorf("certificateList %v, want the PATCHed and the uploaded certificate", got)
	}
}

// A fault without Path matches every route.
func TestFaultOnAnyRoute(t *testing.T) {
	v := newEnv(t, graphemu.Options{})
	v.emu.AddFault(graphemu.Fault{Status: 429, RetryAfter: "2", Count: 2})
	wantError(t, v.do("GET", connectorsPath, nil), 429, "TooManyRequests", "")
	wantError(t, v.do("GET", pkisPath, nil), 429, "TooManyRequests", "")
	wantStatus(t, v.do("GET", connectorsPath, nil), 200)
}
