package apiconnector

import (
	"encoding/base64"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/entracert/terraform-provider-entracert/internal/testfixtures"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

// fixtureNotAfter is when client-aes.pfx and client-ec.pfx expire.
var fixtureNotAfter = time.Date(2036, 11, 19, 3, 40, 52, 0, time.UTC)

func woInput(fixtureB64 string, password *string) certificateInput {
	pw := types.StringNull()
	if password != nil {
		pw = types.StringValue(*password)
	}
	return inputFromConfig(types.StringNull(), types.StringValue(fixtureB64), types.StringNull(), pw)
}

func ptr(s string) *string { return &s }

func onlyDiag(t *testing.T, diags diag.Diagnostics) diag.Diagnostic {
	t.Helper()
	if len(diags) != 1 {
		t.Fatalf("want exactly one diagnostic, got %d: %v", len(diags), diags)
	}
	return diags[0]
}

func attrPathOf(d diag.Diagnostic) path.Path {
	if wp, ok := d.(diag.DiagnosticWithPath); ok {
		return wp.Path()
	}
	return path.Empty()
}

func TestDecodeCertificate_facts(t *testing.T) {
	now := time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC)
	cert, diags := decodeCertificate(woInput(testfixtures.Base64("client-with-chain.pfx"), ptr(testfixtures.Password)), now)
	if diags.HasError() || len(diags) != 0 {
		t.Fatalf("unexpected diagnostics: %v", diags)
	}
	if cert.Thumbprint != testfixtures.ClientThumbprint {
		t.Errorf("thumbprint %s, want the leaf's %s", cert.Thumbprint, testfixtures.ClientThumbprint)
	}
	if got := formatTime(cert.NotAfter); got != "2036-11-19T03:40:52Z" {
		t.Errorf("not_after %s", got)
	}
	if !strings.Contains(cert.Subject, "CN=api-connector-client") {
		t.Errorf("subject %q", cert.Subject)
	}
}

func TestDecodeCertificate_emptyPasswordBothWays(t *testing.T) {
	now := time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC)
	b64 := testfixtures.Base64("client-empty-password.pfx")
	for name, in := range map[string]certificateInput{
		"absent":   woInput(b64, nil),
		"empty":    woInput(b64, ptr("")),
		"password": inputFromConfig(types.StringValue(b64), types.StringNull(), types.StringValue(""), types.StringNull()),
	} {
		if _, diags := decodeCertificate(in, now); len(diags) != 0 {
			t.Errorf("%s: %v", name, diags)
		}
	}
}

func TestDecodeCertificate_expiry(t *testing.T) {
	in := woInput(testfixtures.Base64("client-aes.pfx"), ptr(testfixtures.Password))

	// Expired: error on the PFX attribute, saying Graph would never use it.
	_, diags := decodeCertificate(in, fixtureNotAfter.Add(time.Second))
	d := onlyDiag(t, diags)
	if d.Severity() != diag.SeverityError || !strings.Contains(d.Detail(), "never make it active") ||
		!attrPathOf(d).Equal(path.Root(attrPKCS12ValueWO)) {
		t.Errorf("expired: %s %s: %s (%s)", d.Severity(), d.Summary(), d.Detail(), attrPathOf(d))
	}

	// Within 30 days: a warning, and the certificate is still usable.
	cert, diags := decodeCertificate(in, fixtureNotAfter.Add(-29*24*time.Hour))
	d = onlyDiag(t, diags)
	if cert == nil || d.Severity() != diag.SeverityWarning || d.Summary() != "Certificate expires soon" {
		t.Errorf("expiring: %v %s %s", cert, d.Severity(), d.Summary())
	}

	// 31 days ahead: nothing to say.
	if _, diags := decodeCertificate(in, fixtureNotAfter.Add(-31*24*time.Hour)); len(diags) != 0 {
		t.Errorf("31 days ahead: %v", diags)
	}

	// Not valid yet: a warning.
	_, diags = decodeCertificate(in, time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC))
	if d := onlyDiag(t, diags); d.Severity() != diag.SeverityWarning || d.Summary() != "Certificate not valid yet" {
		t.Errorf("not yet valid: %s %s", d.Severity(), d.Summary())
	}
}

func TestDecodeCertificate_badInputsNameTheAttribute(t *testing.T) {
	now := time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC)
	keyOnly, err := os.ReadFile("testdata/key-only.pfx")
	if err != nil {
		t.Fatal(err)
	}
	aes := testfixtures.Base64("client-aes.pfx")
	cases := []struct {
		name    string
		in      certificateInput
		attr    string
		summary string
	}{
		{"not base64", woInput("%%%", nil), attrPKCS12ValueWO, "PFX is not base64"},
		{"not pkcs12", inputFromConfig(types.StringValue("aGVsbG8="), types.StringNull(), types.StringNull(), types.StringNull()), attrPKCS12Value, "Not a PKCS#12 (PFX) file"},
		{"truncated", woInput(testfixtures.Base64("truncated.pfx"), ptr(testfixtures.Password)), attrPKCS12ValueWO, "Not a PKCS#12 (PFX) file"},
		{"wrong password wo", woInput(aes, ptr("nope")), attrPasswordWO, "Wrong PFX password"},
		{"wrong password", inputFromConfig(types.StringNull(), types.StringValue(aes), types.StringValue("nope"), types.StringNull()), attrPassword, "Wrong PFX password"},
		{"missing password", woInput(aes, nil), attrPKCS12ValueWO, "PFX needs a password"},
		{"no private key", woInput(testfixtures.Base64("cert-only-no-key.pfx"), ptr(testfixtures.Password)), attrPKCS12ValueWO, "PFX holds no private key"},
		{"no certificate", woInput(base64.StdEncoding.EncodeToString(keyOnly), ptr(testfixtures.Password)), attrPKCS12ValueWO, "PFX holds no matching certificate"},
		{"expired", woInput(testfixtures.Base64("client-expired.pfx"), ptr(testfixtures.Password)), attrPKCS12ValueWO, "Certificate has expired"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			cert, diags := decodeCertificate(tc.in, now)
			if cert != nil {
				t.Fatal("want no certificate")
			}
			d := onlyDiag(t, diags)
			if d.Severity() != diag.SeverityError || d.Summary() != tc.summary || !attrPathOf(d).Equal(path.Root(tc.attr)) {
				t.Errorf("got %s %q on %s, want error %q on %s", d.Severity(), d.Summary(), attrPathOf(d), tc.summary, tc.attr)
			}
			for _, secret := range []string{testfixtures.Password, "nope", tc.in.PKCS12Base64} {
				if secret != "" && len(secret) > 3 && strings.Contains(d.Detail()+d.Summary(), secret) {
					t.Errorf("diagnostic leaks a secret: %s", d.Detail())
				}
			}
		})
	}
}

func TestInputFromConfig(t *testing.T) {
	in := inputFromConfig(types.StringNull(), types.StringUnknown(), types.StringNull(), types.StringNull())
	if !in.Present || in.Known || in.PKCS12Attr != attrPKCS12ValueWO {
		t.Errorf("unknown write-only PFX: %+v", in)
	}
	in = inputFromConfig(types.StringValue("x"), types.StringNull(), types.StringNull(), types.StringUnknown())
	if in.Known || in.PasswordAttr != attrPasswordWO {
		t.Errorf("unknown password: %+v", in)
	}
	in = inputFromConfig(types.StringNull(), types.StringNull(), types.StringNull(), types.StringNull())
	if in.Present {
		t.Errorf("nothing configured: %+v", in)
	}
}

// The boundaries of the one expiry check (pkcs no longer has its own): a certificate is expired from its notAfter
// on (Graph never makes it active then), "expires soon" starts strictly inside 30 days, and it is valid from its
// notBefore on.
func TestDecodeCertificate_expiryBoundaries(t *testing.T) {
	in := woInput(testfixtures.Base64("client-aes.pfx"), ptr(testfixtures.Password))
	cert, diags := decodeCertificate(in, fixtureNotAfter.Add(-40*24*time.Hour))
	if cert == nil || len(diags) != 0 {
		t.Fatalf("decoding: %v", diags)
	}
	notBefore := cert.NotBefore
	for _, tc := range []struct {
		name    string
		now     time.Time
		summary string // "" for no diagnostic
	}{
		{"at notAfter", fixtureNotAfter, "Certificate has expired"},
		{"just before notAfter", fixtureNotAfter.Add(-time.Second), "Certificate expires soon"},
		{"exactly 30 days before", fixtureNotAfter.Add(-expiryWarningWindow), ""},
		{"just inside 30 days", fixtureNotAfter.Add(-expiryWarningWindow + time.Second), "Certificate expires soon"},
		{"at notBefore", notBefore, ""},
		{"just before notBefore", notBefore.Add(-time.Second), "Certificate not valid yet"},
	} {
		_, diags := decodeCertificate(in, tc.now)
		switch {
		case tc.summary == "" && len(diags) != 0:
			t.Errorf("%s: %v, want nothing", tc.name, diags)
		case tc.summary != "" && (len(diags) != 1 || diags[0].Summary() != tc.summary):
			t.Errorf("%s: %v, want %q", tc.name, diags, tc.summary)
		}
	}
}
