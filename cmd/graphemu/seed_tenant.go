package main

import (
	"fmt"
	"io"
	"time"

	"github.com/entracert/terraform-provider-entracert/internal/graphemu"
)

// seedTenant fills emu with graphemu's realistic existing tenant and prints its facts, one object a line, display
// names last (to the end of the line):
//
//	pki_id=<id> display_name=<name>
//	certificate_authority_id=<id> pki_id=<id> thumbprint=<T> expiration_date_time=<RFC 3339> display_name=<subject>
//	api_connector_id=<id> display_name=<name>
//	client_certificate_thumbprint=<T> api_connector_id=<id> not_after=<RFC 3339>
func seedTenant(emu *graphemu.Emulator, stdout io.Writer) error {
	tenant, err := emu.SeedTenant()
	if err != nil {
		return err
	}
	for _, p := range tenant.PKIs {
		fmt.Fprintf(stdout, "pki_id=%s display_name=%s\n", p.ID, p.DisplayName)
		for _, ca := range p.CertificateAuthorities {
			fmt.Fprintf(stdout, "certificate_authority_id=%s pki_id=%s thumbprint=%s expiration_date_time=%s display_name=%s\n",
				ca.ID, p.ID, ca.Thumbprint, ca.ExpirationDateTime.UTC().Format(time.RFC3339), ca.DisplayName)
		}
	}
	for _, c := range tenant.APIConnectors {
		fmt.Fprintf(stdout, "api_connector_id=%s display_name=%s\n", c.ID, c.DisplayName)
		for _, cert := range c.Certificates {
			fmt.Fprintf(stdout, "client_certificate_thumbprint=%s api_connector_id=%s not_after=%s\n",
				cert.Thumbprint, c.ID, cert.NotAfter.UTC().Format(time.RFC3339))
		}
	}
	return nil
}
