package pki

import (
	"strings"
	"testing"

	"github.com/entracert/terraform-provider-entracert/internal/clients"
	"github.com/entracert/terraform-provider-entracert/internal/graph"
	"github.com/entracert/terraform-provider-entracert/internal/pkcs"
	"github.com/entracert/terraform-provider-entracert/internal/testfixtures"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

// The warning for a CA whose issuer is missing names the issuer (subject and key identifier) and the CA; the issuer
// is found in the file, in the PKI (Graph), or among the CAs planned in this run.
func TestChainWarnings(t *testing.T) {
	ctx := t.Context()
	root, _ := pkcs.ParseCertificate(testfixtures.Bytes("root-ca.pem"))
	inter, _ := pkcs.ParseCertificate(testfixtures.Bytes("intermediate-ca.pem"))
	at := path.Root("sha256_file_hash")
	only := []pkcs.CertificateAuthority{inter}
	wantRootMissing := func(t *testing.T, diags diag.Diagnostics, pkiID string) {
		t.Helper()
		if len(diags) != 1 || diags.HasError() {
			t.Fatalf("diagnostics %v, want one warning", diags)
		}
		d := diags[0]
		for _, w := range []string{"The issuer of a certificate authority is not in the trust store"} {
			if d.Summary() != w {
				t.Errorf("summary %q", d.Summary())
			}
		}
		for _, w := range []string{`issued by "` + root.Subject + `" (subject key identifier ` + root.SubjectKeyIdentifier + `)`,
			inter.Thumbprint, "neither in this file" + pkiID, "every CA up to the root"} {
			if !strings.Contains(d.Detail(), w) {
				t.Errorf("detail %q lacks %q", d.Detail(), w)
			}
		}
	}

	// No provider (or no PKI id): the file alone.
	wantRootMissing(t, chainWarnings(ctx, nil, types.StringUnknown(), only, at, "in this file"), "")
	if d := chainWarnings(ctx, nil, types.StringUnknown(), []pkcs.CertificateAuthority{root, inter}, at, "in this file"); len(d) != 0 {
		t.Errorf("root and intermediate: %v", d)
	}

	// A PKI in Graph: empty, then holding the root.
	r, g := pkiPlanEnv(t)
	c := r.client
	p, err := g.CreatePKI(ctx, "Chain PKI")
	if err != nil {
		t.Fatal(err)
	}
	id := types.StringValue(p.ID)
	wantRootMissing(t, chainWarnings(ctx, c, id, only, at, "in this file"), " nor in PKI "+p.ID)
	if _, err := g.CreateCertificateAuthority(ctx, p.ID, graph.NewCertificateAuthority{Certificate: root.DER, Thumbprint: root.Thumbprint,
		ExpirationDateTime: root.NotAfter, IsRoot: true}); err != nil {
		t.Fatal(err)
	}
	fresh := &clients.Client{Graph: g, Clock: c.Clock, Locks: &clients.KeyedMutex{}} // the list is read once per provider instance
	if d := chainWarnings(ctx, fresh, id, only, at, "in this file"); len(d) != 0 {
		t.Errorf("root in the PKI: %v", d)
	}

	// The root planned for the PKI in this run (another upload or a CA resource).
	planned := &clients.Client{}
	recordPlanned(planned, types.StringUnknown(), []pkcs.CertificateAuthority{root}, nil)
	if d := chainWarnings(ctx, planned, types.StringUnknown(), only, at, "in this file"); len(d) != 0 {
		t.Errorf("root planned in this run: %v", d)
	}
	if got := clients.PlannedCADetailsOf(planned).All(); len(got) != 1 || got[0].SKI != root.SubjectKeyIdentifier || got[0].CRLURL != "" {
		t.Errorf("planned: %+v", got)
	}
	recordPlanned(planned, types.StringValue("pki-1"), []pkcs.CertificateAuthority{inter}, map[string]string{inter.Thumbprint: "http://crl.contoso.example/override.crl"})
	for _, got := range clients.PlannedCADetailsOf(planned).All() {
		if got.Thumbprint == inter.Thumbprint && (got.CRLURL != "http://crl.contoso.example/override.crl" || got.PKIID != "pki-1") {
			t.Errorf("the settings' CRL URL and the PKI id are recorded: %+v", got)
		}
	}
}
