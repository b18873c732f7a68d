package pki

import (
	"encoding/base64"
	"encoding/pem"
	"testing"

	"github.com/entracert/terraform-provider-entracert/internal/clients"
	"github.com/entracert/terraform-provider-entracert/internal/graphemu"
	"github.com/entracert/terraform-provider-entracert/internal/services/common/resourcetest"
	"github.com/entracert/terraform-provider-entracert/internal/testfixtures"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

// A CA resource's validation, plan, create and read share one parse of its certificate per provider process: the
// provider's cache (clients.Client.Certificates) parses it once, however many steps need its facts.
func TestCAResourceParsesItsCertificateOnce(t *testing.T) {
	c, _ := resourcetest.Client(t, graphemu.Options{})
	ctx := t.Context()
	p, err := c.Graph.CreatePKI(ctx, "parse once")
	if err != nil {
		t.Fatal(err)
	}
	r := &caResource{client: c}
	var sch resource.SchemaResponse
	r.Schema(ctx, resource.SchemaRequest{}, &sch)
	null := tftypes.NewValue(sch.Schema.Type().TerraformType(ctx), nil)
	certificate := string(testfixtures.Bytes("root-ca.pem"))

	configured := tfsdk.Plan{Schema: sch.Schema, Raw: null.Copy()} // the configuration's values, the rest null
	plan := tfsdk.Plan{Schema: sch.Schema, Raw: null.Copy()}
	for name, v := range map[string]string{"pki_id": p.ID, "certificate": certificate} {
		requireNoErrors(t, "config "+name, configured.SetAttribute(ctx, path.Root(name), v))
		requireNoErrors(t, "plan "+name, plan.SetAttribute(ctx, path.Root(name), v))
	}
	config := tfsdk.Config{Schema: sch.Schema, Raw: configured.Raw}
	for _, name := range []string{"id", "certificate_authority_type", "certificate_revocation_list_url",
		"delta_certificate_revocation_list_url", "certificate_authority_id", "thumbprint", "display_name", "issuer",
		"issuer_subject_key_identifier", "subject_key_identifier", "expiration_date_time"} {
		requireNoErrors(t, "plan "+name, plan.SetAttribute(ctx, path.Root(name), types.StringUnknown()))
	}
	requireNoErrors(t, "plan is_issuer_hint_enabled", plan.SetAttribute(ctx, path.Root("is_issuer_hint_enabled"), types.BoolUnknown()))

	var validated resource.ValidateConfigResponse
	r.ValidateConfig(ctx, resource.ValidateConfigRequest{Config: config}, &validated)
	requireNoErrors(t, "ValidateConfig", validated.Diagnostics)
	if n := c.Certificates.Parses(); n != 1 {
		t.Fatalf("%d parses after the validation, want 1", n)
	}

	state := tfsdk.State{Schema: sch.Schema, Raw: null.Copy()}
	planned := resource.ModifyPlanResponse{Plan: plan}
	r.ModifyPlan(ctx, resource.ModifyPlanRequest{Config: config, Plan: plan, State: state}, &planned)
	requireNoErrors(t, "ModifyPlan", planned.Diagnostics)

	created := resource.CreateResponse{State: tfsdk.State{Schema: sch.Schema, Raw: null.Copy()}}
	r.Create(ctx, resource.CreateRequest{Config: config, Plan: planned.Plan}, &created)
	// Outside the framework server the response has no private state to mark the write in; nothing else may fail.
	var others diag.Diagnostics
	for _, d := range created.Diagnostics {
		if d.Summary() != "Uninitialized ProviderData" {
			others.Append(d)
		}
	}
	requireNoErrors(t, "Create", others)

	read := resource.ReadResponse{State: created.State}
	r.Read(ctx, resource.ReadRequest{State: created.State}, &read)
	requireNoErrors(t, "Read", read.Diagnostics)
	var m caResourceModel
	requireNoErrors(t, "state", read.State.Get(ctx, &m))
	if m.SubjectKeyIdentifier.ValueString() != "9514ECF8A48AB96C779523AC6689717E703627DF" || m.CertificateAuthorityID.ValueString() == "" {
		t.Errorf("state: subject key identifier %s, Graph ID %q", m.SubjectKeyIdentifier, m.CertificateAuthorityID.ValueString())
	}
	if n := c.Certificates.Parses(); n != 1 {
		t.Errorf("%d parses of one certificate through validation, plan, create and read, want 1", n)
	}
}

func requireNoErrors(t *testing.T, step string, d diag.Diagnostics) {
	t.Helper()
	if d.HasError() {
		t.Fatalf("%s: %v", step, d)
	}
}

// The plan of an unchanged CA compares its certificate's text with the state's without parsing either; another
// encoding of the same certificate is parsed (once each, through the cache) and is the same certificate.
func TestSameCertificateParsesOnlyChangedText(t *testing.T) {
	c := &clients.Client{}
	root := testfixtures.Bytes("root-ca.pem")
	block, _ := pem.Decode(root)
	pemText, derText := types.StringValue(string(root)), types.StringValue(base64.StdEncoding.EncodeToString(block.Bytes))
	if !sameCertificate(c, pemText, pemText) || c.Certificates.Parses() != 0 {
		t.Errorf("the same text: %d parses, want 0 and the same certificate", c.Certificates.Parses())
	}
	if !sameCertificate(c, pemText, derText) || !sameCertificate(c, derText, pemText) || c.Certificates.Parses() != 2 {
		t.Errorf("PEM against base64 DER: %d parses, want 2 and the same certificate", c.Certificates.Parses())
	}
	if sameCertificate(c, pemText, types.StringValue(string(testfixtures.Bytes("other-root-ca.pem")))) {
		t.Error("another certificate is the same")
	}
	if sameCertificate(c, pemText, types.StringUnknown()) {
		t.Error("an unknown certificate is the same")
	}
}
