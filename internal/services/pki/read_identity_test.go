package pki

import (
	"strings"
	"testing"

	"github.com/entracert/terraform-provider-entracert/internal/graphemu"
	"github.com/entracert/terraform-provider-entracert/internal/services/common/resourcetest"
)

// Issue 16, defect 5, and issue 17. terraform-plugin-framework (v1.19) fails every Read that returns without an
// identity with "Missing Resource Identity After Read", also a Read that removes the resource; Terraform before 1.12
// stores no identity, so the Read starts from a null one. A Read on a 404 must therefore still set the identity (in
// canonical case), as the framework server checks it. No terraform binary: these hold on every Terraform version.

const (
	missingPKI   = "00000000-0000-4000-8000-000000000404"
	contosoHash  = "14FF50E98B7263ECE04A094FF75E5DD3B9A051AD8AB801E8740E3D027E8480FA"
	contosoThumb = "97B4B3728E56D57F944FDE35056EF206612D21ED"
)

func TestPKIReadOn404SetsTheIdentity(t *testing.T) {
	c, emu := resourcetest.Client(t, graphemu.Options{})
	resp := resourcetest.ReadWithNullIdentity(t, &pkiResource{client: c}, map[string]string{
		"id": strings.ToUpper(missingPKI), "display_name": "gone"})
	resourcetest.RequireRemovedWithIdentity(t, resp, map[string]string{"id": missingPKI})
	if n := emu.Count("POST", "") + emu.Count("DELETE", ""); n != 0 {
		t.Errorf("%d writes to Graph, want none", n)
	}
}

func TestUploadReadOn404SetsTheIdentity(t *testing.T) {
	c, _ := resourcetest.Client(t, graphemu.Options{})
	resp := resourcetest.ReadWithNullIdentity(t, &uploadResource{client: c}, map[string]string{
		"pki_id": missingPKI, "sha256_file_hash": strings.ToLower(contosoHash), "id": missingPKI + "/" + contosoHash})
	resourcetest.RequireRemovedWithIdentity(t, resp, map[string]string{"pki_id": missingPKI, "sha256_file_hash": contosoHash})
}

func TestCAReadOn404SetsTheIdentity(t *testing.T) {
	c, _ := resourcetest.Client(t, graphemu.Options{})
	p, err := c.Graph.CreatePKI(t.Context(), "read-404")
	if err != nil {
		t.Fatal(err)
	}
	r := &caResource{client: c}
	for name, caID := range map[string]string{
		"imported, found by thumbprint": "",
		"created, read by its id":       "11111111-2222-4333-8444-555555555555",
	} {
		t.Run(name, func(t *testing.T) {
			vals := map[string]string{"pki_id": strings.ToUpper(p.ID), "thumbprint": strings.ToLower(contosoThumb)}
			if caID != "" {
				vals["certificate_authority_id"] = caID
			}
			resp := resourcetest.ReadWithNullIdentity(t, r, vals)
			resourcetest.RequireRemovedWithIdentity(t, resp, map[string]string{"pki_id": strings.ToLower(p.ID), "thumbprint": contosoThumb})
		})
	}
}
