package download_test

import (
	"net/netip"
	"testing"

	"github.com/entracert/terraform-provider-entracert/internal/download"
)

// A policy made from graph_endpoint allows loopback only at a loopback emulator's own address and port.
func TestForGraphEndpoint(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		endpoint string
		allowed  []string // loopback addresses the policy allows
		refused  []string
	}{
		{"http://127.0.0.1:8080", []string{"127.0.0.1:8080"}, []string{"127.0.0.1:8081", "127.0.0.2:8080", "[::1]:8080"}},
		{"http://localhost:8080/v1.0", []string{"127.0.0.1:8080", "[::1]:8080"}, []string{"127.0.0.1:80", "[::1]:8081"}},
		{"http://LOCALHOST.:8080", []string{"127.0.0.1:8080"}, nil},
		{"http://[::1]:9000", []string{"[::1]:9000"}, []string{"127.0.0.1:9000"}},
		{"http://[::ffff:127.0.0.1]:9000", []string{"127.0.0.1:9000"}, nil},
		{"http://127.0.0.1", []string{"127.0.0.1:80"}, []string{"127.0.0.1:443"}},
		{"https://127.0.0.1", []string{"127.0.0.1:443"}, []string{"127.0.0.1:80"}},
		{"https://graph.microsoft.com", nil, []string{"127.0.0.1:443", "[::1]:443"}},
		{"https://127.0.0.1.nip.io:8080", nil, []string{"127.0.0.1:8080"}},
		{"", nil, []string{"127.0.0.1:80"}},
		{"://bad", nil, []string{"127.0.0.1:80"}},
	} {
		p := download.ForGraphEndpoint(tc.endpoint)
		for _, a := range tc.allowed {
			if refused := p.Allows(netip.MustParseAddrPort(a)); refused != nil {
				t.Errorf("endpoint %q: %s refused (%v), want allowed", tc.endpoint, a, refused)
			}
		}
		for _, a := range append(tc.refused, "169.254.169.254:80", "10.0.0.1:443", "[fe80::1]:80") {
			if p.Allows(netip.MustParseAddrPort(a)) == nil {
				t.Errorf("endpoint %q: %s allowed, want refused", tc.endpoint, a)
			}
		}
		if p.Allows(netip.MustParseAddrPort("20.190.160.1:443")) != nil {
			t.Errorf("endpoint %q: a public address refused", tc.endpoint)
		}
	}
}
