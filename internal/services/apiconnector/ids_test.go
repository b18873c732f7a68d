package apiconnector

import (
	"strings"
	"testing"

	"github.com/entracert/terraform-provider-entracert/internal/graphemu"
	"github.com/entracert/terraform-provider-entracert/internal/testfixtures"
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

func TestParseCertificateID(t *testing.T) {
	const guid, thumb = "45715bb8-13f9-4bf6-927f-ef96c102d394", "0EB255CC895477798BA418B378255204304897AD"
	for _, in := range []string{guid + "/" + thumb, strings.ToUpper(guid) + "/" + strings.ToLower(thumb)} {
		parts, problem := certificateImportID.Parse(in)
		if problem != "" || len(parts) != 2 || parts[0] != guid || parts[1] != thumb {
			t.Errorf("Parse(%q) = %q, %q; want %q, %q", in, parts, problem, guid, thumb)
		}
	}
	for in, want := range map[string]string{
		"":                                   "The import ID is empty",
		"   ":                                "The import ID is empty",
		guid:                                 `has no "/"`,
		guid + "/" + thumb + "/x":            `has 3 parts`,
		"/" + thumb:                          "The API connector ID in the import ID is empty",
		"not-a-guid/" + thumb:                `is not a GUID (got "not-a-guid")`,
		zeroGUID + "/" + thumb:               "all-zero GUID",
		guid + "/":                           "The thumbprint in the import ID is empty",
		guid + "/" + thumb[:39]:              "is not 40 hex digits",
		guid + "/" + strings.Repeat("G", 40): "is not 40 hex digits",
		" " + guid + " /" + thumb:            `The API connector ID in the import ID is not a GUID (got " ` + guid + ` ")`,
	} {
		if _, problem := certificateImportID.Parse(in); !strings.Contains(problem, want) || !strings.HasSuffix(problem, certificateImportID.Form) {
			t.Errorf("Parse(%q) problem %q, want one containing %q and ending with the form", in, problem, want)
		}
	}
}

// Read writes id and thumbprint in their canonical forms (a state from before IDs were normalised holds an
// upper-case GUID in id) and keeps api_connector_id as configured.
func TestReadNormalisesIDs(t *testing.T) {
	p := newProtocolEnv(t, graphemu.Options{})
	id := p.connector(t)
	if _, _, err := ensureCertificate(testCtx(t), p.client, p.upload(id)); err != nil {
		t.Fatal(err)
	}
	ctx := t.Context()
	r := &certificateResource{client: p.client}
	var sresp resource.SchemaResponse
	r.Schema(ctx, resource.SchemaRequest{}, &sresp)
	m := certificateModel{
		ID:             types.StringValue(strings.ToUpper(id) + "/" + strings.ToLower(testfixtures.ClientThumbprint)),
		APIConnectorID: types.StringValue(strings.ToUpper(id)),
		Thumbprint:     types.StringValue(strings.ToLower(testfixtures.ClientThumbprint)),
		PKCS12Value:    types.StringNull(), PKCS12ValueWO: types.StringNull(), Password: types.StringNull(), PasswordWO: types.StringNull(),
		Subject: types.StringNull(), NotBefore: types.StringNull(), NotAfter: types.StringNull(), IsActive: types.BoolNull(),
	}
	m.Timeouts.Object = types.ObjectNull(map[string]attr.Type{"create": types.StringType, "read": types.StringType, "delete": types.StringType})
	state := tfsdk.State{Schema: sresp.Schema, Raw: tftypes.NewValue(sresp.Schema.Type().TerraformType(ctx), nil)}
	if d := state.Set(ctx, &m); d.HasError() {
		t.Fatal(d)
	}
	resp := resource.ReadResponse{State: state}
	r.Read(ctx, resource.ReadRequest{State: state}, &resp)
	if resp.Diagnostics.HasError() {
		t.Fatal(resp.Diagnostics)
	}
	var got certificateModel
	if d := resp.State.Get(ctx, &got); d.HasError() {
		t.Fatal(d)
	}
	if want := id + "/" + testfixtures.ClientThumbprint; got.ID.ValueString() != want {
		t.Errorf("id %q, want %q", got.ID.ValueString(), want)
	}
	if got.Thumbprint.ValueString() != testfixtures.ClientThumbprint {
		t.Errorf("thumbprint %q, want %q", got.Thumbprint.ValueString(), testfixtures.ClientThumbprint)
	}
	if got.APIConnectorID.ValueString() != strings.ToUpper(id) {
		t.Errorf("api_connector_id %q, want it as configured (%q)", got.APIConnectorID.ValueString(), strings.ToUpper(id))
	}
}
