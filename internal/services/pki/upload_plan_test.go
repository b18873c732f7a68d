package pki

import (
	"strings"
	"testing"
	"time"

	"github.com/entracert/terraform-provider-entracert/internal/graphemu"
	"github.com/entracert/terraform-provider-entracert/internal/pkcs"
	"github.com/entracert/terraform-provider-entracert/internal/testfixtures"
	"github.com/hashicorp/terraform-plugin-framework/path"
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

// Ownership within a walk: a second object cannot declare a CA another object declared; the same object may
// declare again (a replacement is planned twice); declared CAs are reported, whatever the case of IDs.
func TestCADeclarations(t *testing.T) {
	r := &caDeclarations{owners: map[string]caOwner{}}
	a, b := uploadOwner("PKI", "aa"), caResourceOwner("pki", "cc")
	if taken := r.declare("PKI", a, []string{"aa", "BB"}); taken != nil {
		t.Fatalf("first declaration refused: %v", taken)
	}
	if taken := r.declare("pki", a, []string{"AA"}); taken != nil {
		t.Fatalf("the same owner declaring again was refused: %v", taken)
	}
	taken := r.declare("pki", b, []string{"CC", "bb"})
	if len(taken) != 1 || taken[0].Thumbprint != "BB" || taken[0].Other != a {
		t.Fatalf("a second owner of BB: %v, want BB refused, naming the first owner", taken)
	}
	if r.declared("pki", "CC") {
		t.Error("a refused declaration must declare nothing")
	}
	if !r.declared("Pki", "aa") || !r.declaredByOther("pki", "AA", b) || r.declaredByOther("pki", "AA", a) {
		t.Error("AA is declared by a (IDs and thumbprints are case-insensitive)")
	}
	d := overlapDiagnostic(path.Root("certificate"), "pki", b, taken)
	for _, want := range []string{"BB", a.Label, b.Label, "Declare each certificate authority once"} {
		if !strings.Contains(d.Detail(), want) {
			t.Errorf("the diagnostic %q does not say %q", d.Detail(), want)
		}
	}
}

// After an interrupted upload Terraform plans the tainted upload as "must be replaced"; the plan then says what
// the apply does: wait for the running job and upload nothing again (issue 16, item 12).
func TestRunningJobNoticeSaysNoSecondUpload(t *testing.T) {
	v := newProtoEnv(t, graphemu.Options{UploadDuration: time.Hour})
	id := v.createPKI(t)
	if d := v.r.runningJobNotice(v.ctx(t), id); d.HasError() || d.WarningsCount() != 0 {
		t.Fatalf("an idle PKI: %v, want nothing", d)
	}
	if err := v.r.client.Graph.UploadPKI(v.ctx(t), id, v.url, testfixtures.ContosoSHA256); err != nil {
		t.Fatal(err)
	}
	v.clk.Advance(time.Second)
	d := v.r.runningJobNotice(v.ctx(t), id)
	if d.WarningsCount() != 1 || !strings.Contains(d[0].Detail(), "waits for that job") ||
		!strings.Contains(d[0].Detail(), "uploads the file again only if the job brings none of them") {
		t.Fatalf("a running job: %v, want one warning saying the apply waits and uploads nothing again", d)
	}
}
