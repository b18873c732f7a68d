package acctest

import (
	"encoding/pem"
	"testing"

	"github.com/entracert/terraform-provider-entracert/internal/graphemu"
)

// SeedTenant fills the test's emulator with a realistic existing tenant (graphemu.Emulator.SeedTenant: three PKIs
// with uploaded and directly added CAs, connectors with client certificates, a customised CBA policy) and returns
// what it made. Against real Graph the test is skipped: it needs the emulator.
func (e *Env) SeedTenant(t *testing.T) graphemu.Tenant {
	t.Helper()
	e.RequireEmulator(t)
	tenant, err := e.Emulator.SeedTenant()
	if err != nil {
		t.Fatalf("seeding the tenant: %v", err)
	}
	return tenant
}

// CertificatePEM is a seeded CA's certificate as PEM, as a configuration would give it.
func CertificatePEM(ca graphemu.TenantCA) string {
	return string(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: ca.Certificate}))
}
