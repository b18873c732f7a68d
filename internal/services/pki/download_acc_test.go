package pki_test

import (
	"net"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"

	"github.com/entracert/terraform-provider-entracert/internal/acctest"
	"github.com/entracert/terraform-provider-entracert/internal/graphemu"
	"github.com/entracert/terraform-provider-entracert/internal/testfixtures"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
)

// Each address Graph cannot reach fails the plan on upload_url, with no request sent to it and nothing written.
// The provider's endpoint here is the loopback emulator (the harness has no other), so the case "loopback when the
// endpoint is not loopback" is a unit test (TestFetchBundleRefusesAddressesGraphCannotReach); here a loopback
// listener that is not the emulator redirects to the metadata address.
func TestAccPKIUpload_refusedAddressesFailThePlan(t *testing.T) {
	t.Parallel()
	env := acctest.New(t, graphemu.Options{})
	env.RequireEmulator(t)
	pki := env.CreatePKI(t, "acctest refused download")

	var conns atomic.Int32
	redirector := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "http://169.254.169.254/latest/meta-data/", http.StatusFound)
	}))
	redirector.Config.ConnState = func(_ net.Conn, s http.ConnState) {
		if s == http.StateNew {
			conns.Add(1)
		}
	}
	redirector.Start()
	t.Cleanup(redirector.Close)

	hash := testfixtures.ContosoSHA256
	step := func(url, words string) resource.TestStep {
		return resource.TestStep{Config: uploadConfig(env, pki.ID, url, hash, ""), ExpectError: errRe(words)}
	}
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: env.ProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			step("http://169.254.169.254/latest/meta-data/contoso.p7b?sig=s3cr3t", "Cannot download upload_url"),
			step("http://169.254.169.254/latest/meta-data/contoso.p7b", "the link-local cloud metadata address"),
			step("https://10.20.30.40/cba/contoso.p7b", "leads to 10.20.30.40: a private address"),
			step("http://100.64.1.2/contoso.p7b", "carrier-grade NAT"),
			step(redirector.URL+"/contoso.p7b", "Cannot download upload_url"),
		},
	})
	if n := uploadCount(env); n != 0 {
		t.Errorf("%d uploads sent to Graph", n)
	}
	// The redirector is loopback but not the emulator: refused before connecting (a provider that allows every
	// loopback address for a loopback endpoint would connect once, then refuse the metadata hop).
	if n := conns.Load(); n > 1 {
		t.Errorf("%d connections to the redirector", n)
	}
}
