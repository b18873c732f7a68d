package main

import (
	"context"
	"testing"

	"github.com/entracert/terraform-provider-entracert/internal/graphemu"
	"github.com/entracert/terraform-provider-entracert/internal/testfixtures"
)

// The connector-side switches and -fault reach the served emulator.
func TestRunConnectorSwitches(t *testing.T) {
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	var stdout, stderr lines
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, []string{"-listen", "127.0.0.1:0", "-token", "T", "-seed", "-reject-pbes2", "-refuse-uploads-on-basic-auth",
			"-read-after-write-lag", "1s", "-fault", "429,retry-after=2,count=1,method=GET,path=/identity/apiConnectors"}, &stdout, &stderr)
	}()
	single, connectors, _ := facts(stdout.await(t, done, &stderr, func(out string) bool {
		_, connectors, _ := facts(out)
		return len(connectors) > 0
	}))
	base := single["graph_endpoint"] + "/v1.0/identity/apiConnectors"
	if status, _ := call(t, "GET", base, "T", nil); status != 429 {
		t.Errorf("first list: %d, want the scripted 429", status)
	}
	if status, _ := call(t, "GET", base, "T", nil); status != 200 {
		t.Errorf("second list: %d, want 200 (count=1)", status)
	}
	upload := base + "/" + connectors[0][0] + "/uploadClientCertificate"
	status, body := call(t, "POST", upload, "T", map[string]any{"pkcs12Value": testfixtures.Base64("client-aes.pfx"), "password": testfixtures.Password})
	if e, _ := body["error"].(map[string]any); status != 400 || e["code"] != graphemu.CodePBES2Rejected {
		t.Errorf("AES upload: %d %v, want 400 %s", status, body, graphemu.CodePBES2Rejected)
	}
	status, body = call(t, "POST", upload, "T", map[string]any{"pkcs12Value": testfixtures.Base64("client-legacy-3des.pfx"), "password": testfixtures.Password})
	if status != 400 {
		t.Errorf("3DES upload onto the seeded basic-auth connector: %d %v, want the refusal", status, body)
	}
	cancel()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
}

func TestConnectorFlagErrors(t *testing.T) {
	for _, args := range [][]string{
		{"-fault", "abc"},
		{"-fault", "200"},
		{"-fault", "429,retry-after=soon"},
		{"-fault", "429,count=0"},
		{"-fault", "429,colour=red"},
		{"-listen", "127.0.0.1:0", "-read-after-write-lag", "-1s"},
	} {
		var out, errOut lines
		if err := run(t.Context(), args, &out, &errOut); err == nil {
			t.Errorf("run %q: no error", args)
		}
	}
}
