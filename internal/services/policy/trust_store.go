package policy

import (
	"context"
	"fmt"

	"github.com/entracert/terraform-provider-entracert/internal/graph"
	"github.com/entracert/terraform-provider-entracert/internal/pkcs"
)

// readTrustStore lists every CA of every PKI of the tenant (Graph reads only). Each CA's own subject key
// identifier comes from its certificate; Graph's issuerSubjectKeyIdentifier is kept beside it.
func readTrustStore(ctx context.Context, g *graph.Client) ([]trustedCA, error) {
	pkis, err := g.ListPKIs(ctx, "")
	if err != nil {
		return nil, fmt.Errorf("listing the PKIs: %w", err)
	}
	var out []trustedCA
	for _, p := range pkis {
		cas, err := g.ListCertificateAuthorities(ctx, p.ID)
		if graph.IsNotFound(err) {
			continue // deleted since the list
		}
		if err != nil {
			return nil, fmt.Errorf("listing the CAs of PKI %q: %w", p.DisplayName, err)
		}
		for _, ca := range cas {
			t := trustedCA{PKIName: p.DisplayName, PKIID: p.ID, DisplayName: ca.DisplayName,
				IssuerSKI: ca.IssuerSubjectKeyIdentifier, CRLURL: ca.CertificateRevocationListURL}
			if facts, err := pkcs.ParseCertificate(ca.Certificate); err == nil {
				t.SKI = facts.SubjectKeyIdentifier
				t.Subject, t.Thumbprint, t.DER = facts.Subject, facts.Thumbprint, facts.DER
				if t.DisplayName == "" {
					t.DisplayName = facts.Subject
				}
			}
			out = append(out, t)
		}
	}
	return out, nil
}
