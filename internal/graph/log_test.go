package graph_test

import (
	"bytes"
	"log"
	"net/http"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/entracert/terraform-provider-entracert/internal/graph"
	"github.com/entracert/terraform-provider-entracert/internal/graphemu"
	"github.com/entracert/terraform-provider-entracert/internal/testfixtures"
	"github.com/hashicorp/terraform-plugin-log/tflogtest"
)

// With TF_LOG=trace, uploads (successful, refused and cut off) log their method, path, status and request-id,
// and never the PFX, its password, a basic-auth password or the bearer token.
func TestLogsCarryNoSecrets(t *testing.T) {
	t.Setenv("TF_LOG", "trace")
	const token = "log-test-bearer-token-Zx81"
	const basicPassword = "basic-auth-Secret-77"
	v := newEnv(t, withCredential(token), func(_ *graph.Options, eo *graphemu.Options) { eo.Token = token })

	var out bytes.Buffer
	// Anything the SDK might print through the standard logger is captured too.
	log.SetOutput(&out)
	t.Cleanup(func() { log.SetOutput(os.Stderr) })
	ctx := tflogtest.RootLogger(ctxTimeout(t, 30*time.Second), &out)

	a, err := v.client.CreateAPIConnector(ctx, graph.NewAPIConnector{DisplayName: "logged", TargetURL: "https://x.example", Username: "u", Password: basicPassword})
	if err != nil {
		t.Fatal(err)
	}
	pfx := testfixtures.Base64("client-aes.pfx")
	if _, err := v.client.UploadClientCertificate(ctx, a.ID, pfx, testfixtures.Password); err != nil {
		t.Fatal(err)
	}
	v.emu.AddFault(graphemu.Fault{Method: http.MethodPost, Path: uploadPattern, Status: http.StatusServiceUnavailable})
	if _, err := v.client.UploadClientCertificate(ctx, a.ID, pfx, testfixtures.Password); err == nil {
		t.Fatal("want the scripted 503")
	}
	v.emu.AddFault(graphemu.Fault{Method: http.MethodPost, Path: uploadPattern, DropAfterProcessing: true})
	if _, err := v.client.UploadClientCertificate(ctx, a.ID, pfx, testfixtures.Password); err == nil {
		t.Fatal("want the dropped connection")
	}
	v.emu.AddFault(graphemu.Fault{Method: http.MethodPatch, Path: connectorPattern, Status: http.StatusTooManyRequests, RetryAfter: "1"})
	if err := v.client.SetAPIConnectorBasicAuthentication(ctx, a.ID, "u", basicPassword); err != nil {
		t.Fatal(err)
	}

	logged := out.String()
	secrets := map[string]string{
		"bearer token":        token,
		"PFX password":        testfixtures.Password,
		"basic-auth password": basicPassword,
		"PFX (start)":         pfx[:40],
		"PFX (middle)":        pfx[len(pfx)/2 : len(pfx)/2+40],
	}
	for what, s := range secrets {
		if strings.Contains(logged, s) {
			t.Errorf("the log contains the %s", what)
		}
	}
	for _, banned := range []string{"Authorization", "Bearer ", "pkcs12Value"} {
		if strings.Contains(logged, banned) {
			t.Errorf("the log contains %q", banned)
		}
	}

	entries, err := tflogtest.MultilineJSONDecode(strings.NewReader(logged))
	if err != nil {
		t.Fatalf("decoding the log: %v\n%s", err, logged)
	}
	var upload200, upload503, uploadFailed, retried bool
	for _, e := range entries {
		path, _ := e["path"].(string)
		isUpload := e["method"] == http.MethodPost && strings.HasSuffix(path, "/uploadClientCertificate")
		switch {
		case isUpload && e["status"] == float64(200) && e["request_id"] != "" && e["duration_ms"] != nil && e["@level"] == "debug":
			upload200 = true
		case isUpload && e["status"] == float64(503):
			upload503 = true
		case isUpload && e["@message"] == "Graph request failed":
			uploadFailed = true
		case e["method"] == http.MethodPatch && e["@message"] == "Graph request retrying" && e["status"] == float64(429):
			retried = true
		}
	}
	if !upload200 || !upload503 || !uploadFailed || !retried {
		t.Errorf("missing log lines: upload 200 %v, upload 503 %v, upload cut off %v, PATCH retry %v\n%s",
			upload200, upload503, uploadFailed, retried, logged)
	}
}
