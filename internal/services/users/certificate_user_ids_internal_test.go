package users

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/entracert/terraform-provider-entracert/internal/clients"
	"github.com/entracert/terraform-provider-entracert/internal/clock"
	"github.com/entracert/terraform-provider-entracert/internal/graph"
	"github.com/entracert/terraform-provider-entracert/internal/graphemu"
	"github.com/entracert/terraform-provider-entracert/internal/services/common"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

// newClient is a provider client against a fresh emulator, on a fake clock.
func newClient(t *testing.T) (*clients.Client, *graphemu.Emulator) {
	t.Helper()
	clk := clock.NewFake(time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC))
	emu := graphemu.New(graphemu.Options{Token: "t", Clock: clk})
	srv := httptest.NewServer(emu)
	t.Cleanup(srv.Close)
	g, err := graph.New(graph.Options{Endpoint: srv.URL, Credential: graph.StaticToken("t"), Clock: clk})
	if err != nil {
		t.Fatal(err)
	}
	return &clients.Client{Graph: g, Clock: clk, Locks: &clients.KeyedMutex{}}, emu
}

// A create plan reads the user and warns about the values already on it that the apply removes.
func TestModifyPlanCreateWarnsAboutValuesItRemoves(t *testing.T) {
	ctx := t.Context()
	c, emu := newClient(t)
	id := emu.AddUser("bob@contoso.com", "X509:<PN>bob@contoso.com", "X509:<RFC822>bob@contoso.com")
	r := &certificateUserIDsResource{client: c}
	var sr resource.SchemaResponse
	r.Schema(ctx, resource.SchemaRequest{}, &sr)
	m := certificateUserIDsModel{
		ID: types.StringUnknown(), UserID: types.StringValue("bob@contoso.com"), UserPrincipalName: types.StringUnknown(),
		CertificateUserIDs: setOf([]string{"X509:<PN>bob@contoso.com"}),
	}
	m.Timeouts.Object = types.ObjectNull(timeoutsAttrTypes())
	plan := tfsdk.Plan{Schema: sr.Schema}
	if d := plan.Set(ctx, &m); d.HasError() {
		t.Fatal(d)
	}
	state := tfsdk.State{Schema: sr.Schema, Raw: tftypes.NewValue(sr.Schema.Type().TerraformType(ctx), nil)}
	resp := resource.ModifyPlanResponse{Plan: plan}
	r.ModifyPlan(ctx, resource.ModifyPlanRequest{State: state, Plan: plan, Config: tfsdk.Config{Schema: sr.Schema, Raw: plan.Raw}}, &resp)
	if resp.Diagnostics.HasError() || resp.Diagnostics.WarningsCount() != 1 {
		t.Fatalf("diagnostics %v, want one warning", resp.Diagnostics)
	}
	w := resp.Diagnostics.Warnings()[0]
	if !strings.Contains(w.Detail(), `"X509:<RFC822>bob@contoso.com"`) || strings.Contains(w.Detail(), `"X509:<PN>bob@contoso.com"`) {
		t.Errorf("the warning names the wrong values: %s", w.Detail())
	}
	var planned certificateUserIDsModel
	resp.Plan.Get(ctx, &planned)
	if planned.ID.ValueString() != id {
		t.Errorf("planned id %v, want the user's object ID %s", planned.ID, id)
	}
	if n := emu.Count(http.MethodPatch, "/users/*"); n != 0 {
		t.Errorf("the plan wrote %d times", n)
	}
}

// Graph's conflict answer at apply (the plan's look-up missed it) names the value and who holds it, and the user
// keeps its list.
func TestWriteConflictNamesTheValueAndItsHolder(t *testing.T) {
	ctx := t.Context()
	c, emu := newClient(t)
	bob := emu.AddUser("bob@contoso.com", "X509:<PN>bob@contoso.com")
	alice := emu.AddUser("alice@contoso.com", "X509:<SKI>0A0B")
	r := &certificateUserIDsResource{client: c}
	_, found, diags := r.write(ctx, bob, []string{"X509:<PN>bob@contoso.com", "X509:<SKI>0A0B"}, common.Operation{Timeout: time.Minute, Deadline: c.Clock.Now().Add(time.Minute)})
	if !found || !diags.HasError() {
		t.Fatalf("found %v, diags %v", found, diags)
	}
	d := diags.Errors()[0]
	for _, want := range []string{`"X509:<SKI>0A0B" is held by user alice@contoso.com (` + alice + `)`, "Nothing was changed", "Another object with the same value"} {
		if !strings.Contains(d.Detail(), want) {
			t.Errorf("detail %q does not say %q", d.Detail(), want)
		}
	}
	if u, _ := emu.User(bob); len(u.CertificateUserIDs) != 1 {
		t.Errorf("bob changed: %v", u.CertificateUserIDs)
	}
}

// An empty import ID (which Terraform itself may refuse first) and a malformed one get a diagnostic naming the
// forms; neither reaches Graph.
func TestImportStateRefusesEmptyAndMalformedIDs(t *testing.T) {
	ctx := t.Context()
	c, emu := newClient(t)
	r := &certificateUserIDsResource{client: c}
	var sr resource.SchemaResponse
	r.Schema(ctx, resource.SchemaRequest{}, &sr)
	for id, want := range map[string]string{
		"":         "The import ID is empty. The import ID is the user's object ID (a GUID",
		"bob":      `The import ID is neither a GUID nor a user principal name (got "bob")`,
		"bob@ x.y": "is neither a GUID nor a user principal name",
	} {
		resp := resource.ImportStateResponse{State: tfsdk.State{Schema: sr.Schema, Raw: tftypes.NewValue(sr.Schema.Type().TerraformType(ctx), nil)}}
		r.ImportState(ctx, resource.ImportStateRequest{ID: id}, &resp)
		if !resp.Diagnostics.HasError() || !strings.Contains(resp.Diagnostics.Errors()[0].Detail(), want) {
			t.Errorf("import ID %q: %v, want %q", id, resp.Diagnostics, want)
		}
	}
	if len(emu.Journal()) != 0 {
		t.Errorf("bad import IDs reached Graph: %v", emu.Journal())
	}
}
