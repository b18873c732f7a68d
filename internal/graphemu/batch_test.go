package graphemu_test

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"fmt"
	"testing"

	"github.com/entracert/terraform-provider-entracert/internal/graphemu"
	"github.com/entracert/terraform-provider-entracert/internal/testfixtures"
)

type batchReply struct {
	Responses []struct {
		ID      string            `json:"id"`
		Status  int               `json:"status"`
		Headers map[string]string `json:"headers"`
		Body    json.RawMessage   `json:"body"`
	} `json:"responses"`
}

func batchOf(t *testing.T, r reply) batchReply {
	t.Helper()
	wantStatus(t, r, 200)
	var b batchReply
	if err := json.Unmarshal(r.body, &b); err != nil {
		t.Fatalf("batch answer: %v\n%s", err, r.body)
	}
	return b
}

func TestBatch(t *testing.T) {
	v := newEnv(t, graphemu.Options{})
	id := v.createPKI("batch")
	caPath := "/directory/publicKeyInfrastructure/certificateBasedAuthConfigurations/" + id + "/certificateAuthorities"
	root, other := pemCert(t, "root-ca.pem"), pemCert(t, "other-root-ca.pem")
	jsonHdr := map[string]string{"Content-Type": "application/json"}

	// Two creates, a GET depending on them, a 404, and a request depending on the 404 (424).
	v.emu.ResetJournal()
	b := batchOf(t, v.do("POST", "/$batch", map[string]any{"requests": []map[string]any{
		{"id": "1", "method": "POST", "url": caPath, "headers": jsonHdr, "body": caBody(root, nil)},
		{"id": "2", "method": "POST", "url": caPath, "headers": jsonHdr, "body": caBody(other, map[string]any{"isIssuerHintEnabled": true})},
		{"id": "3", "method": "GET", "url": caPath, "dependsOn": []string{"1", "2"}},
		{"id": "4", "method": "DELETE", "url": caPath + "/00000000-0000-0000-0000-000000000000"},
		{"id": "5", "method": "GET", "url": caPath, "dependsOn": []string{"4"}},
	}}))
	got := map[string]int{}
	for _, r := range b.Responses {
		got[r.ID] = r.Status
	}
	if fmt.Sprint(got) != "map[1:201 2:201 3:200 4:404 5:424]" {
		t.Fatalf("item statuses %v", got)
	}
	var list struct{ Value []map[string]any }
	if err := json.Unmarshal(b.Responses[2].Body, &list); err != nil || len(list.Value) != 2 {
		t.Errorf("dependent GET saw %s (%v)", b.Responses[2].Body, err)
	}
	if b.Responses[0].Headers["Content-Type"] == "" || b.Responses[0].Headers["Request-Id"] == "" {
		t.Errorf("item headers %v", b.Responses[0].Headers)
	}
	// The journal has the batch and each item that ran (not the one that failed its dependency).
	if n := v.emu.Count("POST", "/directory/publicKeyInfrastructure/certificateBasedAuthConfigurations/*/certificateAuthorities"); n != 2 {
		t.Errorf("journal has %d CA creates, want 2", n)
	}
	if n := v.emu.Count("POST", "/$batch"); n != 1 {
		t.Errorf("journal has %d batches", n)
	}

	// 204 items have "body": null; faults apply per item path, with their Retry-After.
	cas := v.cas(id)
	v.emu.AddFault(graphemu.Fault{Method: "DELETE", Path: "/directory/publicKeyInfrastructure/certificateBasedAuthConfigurations/*/certificateAuthorities/*",
		Status: 429, RetryAfter: "7"})
	b = batchOf(t, v.do("POST", "/$batch", map[string]any{"requests": []map[string]any{
		{"id": "a", "method": "DELETE", "url": caPath + "/" + testfixtures.As[string](t, cas[0]["id"])},
		{"id": "b", "method": "DELETE", "url": caPath + "/" + testfixtures.As[string](t, cas[1]["id"])},
	}}))
	if b.Responses[0].Status != 429 || b.Responses[0].Headers["Retry-After"] != "7" || b.Responses[1].Status != 204 || string(b.Responses[1].Body) != "null" {
		t.Errorf("answers %+v", b.Responses)
	}
	if n := len(v.cas(id)); n != 1 {
		t.Errorf("%d CAs left, want 1", n)
	}

	// A gzip body (as the SDK sends it) is read.
	var zb bytes.Buffer
	zw := gzip.NewWriter(&zb)
	_ = json.NewEncoder(zw).Encode(map[string]any{"requests": []map[string]any{{"id": "1", "method": "GET", "url": caPath}}})
	_ = zw.Close()
	b = batchOf(t, v.request("POST", "/$batch", zb.Bytes(), map[string]string{"Content-Encoding": "gzip"}))
	if len(b.Responses) != 1 || b.Responses[0].Status != 200 {
		t.Errorf("gzip batch %+v", b.Responses)
	}

	// Refused batches.
	many := make([]map[string]any, 21)
	for i := range many {
		many[i] = map[string]any{"id": fmt.Sprint(i), "method": "GET", "url": caPath}
	}
	for name, tc := range map[string]struct {
		body any
		msg  string
	}{
		"21 requests":   {map[string]any{"requests": many}, "exceeds the limit of 20"},
		"duplicate ids": {map[string]any{"requests": []map[string]any{{"id": "1", "method": "GET", "url": caPath}, {"id": "1", "method": "GET", "url": caPath}}}, "unique"},
		"no requests":   {map[string]any{"requests": []any{}}, "empty"},
		"no url":        {map[string]any{"requests": []map[string]any{{"id": "1", "method": "GET"}}}, "id, method and url"},
		"unknown dep":   {map[string]any{"requests": []map[string]any{{"id": "1", "method": "GET", "url": caPath, "dependsOn": []string{"9"}}}}, "depends on"},
		"body, no type": {map[string]any{"requests": []map[string]any{{"id": "1", "method": "POST", "url": caPath, "body": caBody(root, nil)}}}, "Content-Type"},
		"not json":      {[]byte("{"), "Invalid batch payload"},
	} {
		t.Run(name, func(t *testing.T) { wantError(t, v.do("POST", "/$batch", tc.body), 400, "BadRequest", tc.msg) })
	}

	// Without a valid token, nothing runs.
	r := v.request("POST", "/$batch", map[string]any{"requests": []map[string]any{{"id": "1", "method": "GET", "url": caPath}}},
		map[string]string{"Authorization": "Bearer wrong"})
	if r.status != 401 {
		t.Errorf("unauthenticated batch: %d", r.status)
	}
}
