package pki

import (
	"strings"
	"testing"
	"time"

	"github.com/entracert/terraform-provider-entracert/internal/pkcs"
)

// The plan-time warnings about what a file would make Entra trust, on the provider's clock.
func TestBundleWarnings(t *testing.T) {
	now := time.Date(2027, 6, 1, 0, 0, 0, 0, time.UTC)
	ca := func(th string, isCA bool, notAfter time.Time) pkcs.CertificateAuthority {
		return pkcs.CertificateAuthority{Thumbprint: th, Subject: "CN=" + th, IsCA: isCA, NotAfter: notAfter}
	}
	for _, tc := range []struct {
		name string
		ca   pkcs.CertificateAuthority
		want string // "" for no warning
	}{
		{"healthy", ca("AA", true, now.Add(365*24*time.Hour)), ""},
		{"leaf", ca("BB", false, now.Add(365*24*time.Hour)), "is not a certificate authority"},
		{"expired", ca("CC", true, now.Add(-time.Second)), "has expired"},
		{"expires at this instant", ca("CD", true, now), "has expired"},
		{"expires in 29 days", ca("DD", true, now.Add(29*24*time.Hour)), "expires soon"},
		{"expires in 31 days", ca("EE", true, now.Add(31*24*time.Hour)), ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			diags := bundleWarnings([]pkcs.CertificateAuthority{tc.ca}, now)
			if diags.HasError() {
				t.Fatalf("warnings must not be errors: %v", diags)
			}
			if tc.want == "" {
				if len(diags) != 0 {
					t.Fatalf("got %v, want no warning", diags)
				}
				return
			}
			if len(diags) != 1 || !strings.Contains(diags[0].Summary(), tc.want) || !strings.Contains(diags[0].Detail(), tc.ca.Thumbprint) {
				t.Fatalf("got %v, want one warning %q naming %s", diags, tc.want, tc.ca.Thumbprint)
			}
		})
	}
}

// Ownership within a run: a second object cannot claim a CA another object claimed; claimed CAs are reported.
func TestClaimRegistry(t *testing.T) {
	r := &claimRegistry{owners: map[string]string{}}
	if taken := r.claim("PKI", "a", []string{"aa", "BB"}); taken != nil {
		t.Fatalf("first claim refused: %v", taken)
	}
	if taken := r.claim("pki", "a", []string{"AA"}); taken != nil {
		t.Fatalf("the same owner (create_before_destroy keeps the ID) was refused: %v", taken)
	}
	if taken := r.claim("pki", "b", []string{"CC", "bb"}); len(taken) != 1 || taken[0] != "BB" {
		t.Fatalf("a second owner of BB: %v, want BB refused", taken)
	}
	if r.claimed("pki", "CC") {
		t.Error("a refused claim must claim nothing")
	}
	if !r.claimed("Pki", "aa") {
		t.Error("AA is claimed (IDs and thumbprints are case-insensitive)")
	}
}
