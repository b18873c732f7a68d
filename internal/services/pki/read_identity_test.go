package pki

import (
	"testing"

	"github.com/entracert/terraform-provider-entracert/internal/graphemu"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

// Issue 16, defect 5. terraform-plugin-framework (v1.19) fails every Read that returns without an identity with
// "Missing Resource Identity After Read", also a Read that removes the resource; Terraform before 1.12 stores no
// identity, so the Read starts from a null one. A Read on a 404 must therefore still set the identity, as the
// framework server checks it (server_readresource.go: resp.NewIdentity.Raw.IsFullyNull()).

const missingPKI = "00000000-0000-4000-8000-000000000404"

// readOn404 runs res.Read the way the framework server does for Terraform 1.11: the prior state given, a null
// identity in the response; it returns the response.
func readOn404(t *testing.T, res resource.ResourceWithIdentity, state func(tfsdk.State) tfsdk.State) resource.ReadResponse {
	t.Helper()
	ctx := t.Context()
	var sch resource.SchemaResponse
	res.Schema(ctx, resource.SchemaRequest{}, &sch)
	var ids resource.IdentitySchemaResponse
	res.IdentitySchema(ctx, resource.IdentitySchemaRequest{}, &ids)
	prior := state(tfsdk.State{Schema: sch.Schema, Raw: tftypes.NewValue(sch.Schema.Type().TerraformType(ctx), nil)})
	null := tftypes.NewValue(ids.IdentitySchema.Type().TerraformType(ctx), nil)
	req := resource.ReadRequest{State: prior, Identity: &tfsdk.ResourceIdentity{Schema: ids.IdentitySchema, Raw: null.Copy()}}
	resp := resource.ReadResponse{State: prior, Identity: &tfsdk.ResourceIdentity{Schema: ids.IdentitySchema, Raw: null.Copy()}}
	res.Read(ctx, req, &resp)
	if resp.Diagnostics.HasError() {
		t.Fatalf("Read: %v", resp.Diagnostics)
	}
	if !resp.State.Raw.IsNull() {
		t.Fatalf("Read on a 404 kept the resource: %v", resp.State.Raw)
	}
	if resp.Identity.Raw.IsFullyNull() {
		t.Fatal("Read on a 404 returned no identity: the framework fails it with Missing Resource Identity After Read")
	}
	return resp
}

func TestUploadReadOn404SetsTheIdentity(t *testing.T) {
	v := newProtoEnv(t, graphemu.Options{})
	readOn404(t, v.r, func(s tfsdk.State) tfsdk.State {
		for name, val := range map[string]string{"pki_id": missingPKI, "sha256_file_hash": "14ff50e98b7263ece04a094ff75e5dd3b9a051ad8ab801e8740e3d027e8480fa",
			"id": missingPKI + "/14FF50E98B7263ECE04A094FF75E5DD3B9A051AD8AB801E8740E3D027E8480FA"} {
			if d := s.SetAttribute(t.Context(), path.Root(name), val); d.HasError() {
				t.Fatal(d)
			}
		}
		return s
	})
}

func TestCAReadOn404SetsTheIdentity(t *testing.T) {
	v := newProtoEnv(t, graphemu.Options{})
	pkiID := v.createPKI(t)
	r := &caResource{client: v.r.client}
	for _, caID := range []string{"", "11111111-2222-4333-8444-555555555555"} { // imported (by thumbprint) and created
		readOn404(t, r, func(s tfsdk.State) tfsdk.State {
			vals := map[string]string{"pki_id": pkiID, "thumbprint": "97B4B3728E56D57F944FDE35056EF206612D21ED"}
			if caID != "" {
				vals["certificate_authority_id"] = caID
			}
			for name, val := range vals {
				if d := s.SetAttribute(t.Context(), path.Root(name), val); d.HasError() {
					t.Fatal(d)
				}
			}
			return s
		})
	}
}
