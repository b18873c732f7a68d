// Package resourcetest calls a resource's methods the way the framework server does, against the Graph emulator on
// a fake clock, with no terraform binary: for unit tests of what every Terraform version relies on, such as the
// identity a Read returns.
package resourcetest

import (
	"net/http/httptest"
	"testing"
	"time"

	"github.com/entracert/terraform-provider-entracert/internal/clients"
	"github.com/entracert/terraform-provider-entracert/internal/clock"
	"github.com/entracert/terraform-provider-entracert/internal/graph"
	"github.com/entracert/terraform-provider-entracert/internal/graphemu"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

const token = "resourcetest"

// Client is a configured provider client on an in-process emulator, sharing one fake clock that starts now.
func Client(t *testing.T, opts graphemu.Options) (*clients.Client, *graphemu.Emulator) {
	t.Helper()
	clk := clock.NewFake(time.Now().UTC().Truncate(time.Second))
	opts.Token, opts.Clock = token, clk
	emu := graphemu.New(opts)
	srv := httptest.NewServer(emu)
	t.Cleanup(srv.Close)
	g, err := graph.New(graph.Options{Endpoint: srv.URL, Credential: graph.StaticToken(token), Clock: clk})
	if err != nil {
		t.Fatal(err)
	}
	return &clients.Client{Graph: g, Environment: clients.CloudPublic, Clock: clk, Locks: &clients.KeyedMutex{}}, emu
}

// ReadWithNullIdentity runs res.Read as the framework server does for Terraform before 1.12 (or a state saved by
// one): the prior state holds attrs (everything else null), and the identity in the request and the response is
// null. The caller asserts on the response.
func ReadWithNullIdentity(t *testing.T, res resource.ResourceWithIdentity, attrs map[string]string) resource.ReadResponse {
	t.Helper()
	ctx := t.Context()
	var sch resource.SchemaResponse
	res.Schema(ctx, resource.SchemaRequest{}, &sch)
	var ids resource.IdentitySchemaResponse
	res.IdentitySchema(ctx, resource.IdentitySchemaRequest{}, &ids)
	prior := tfsdk.State{Schema: sch.Schema, Raw: tftypes.NewValue(sch.Schema.Type().TerraformType(ctx), nil)}
	for name, v := range attrs {
		if d := prior.SetAttribute(ctx, path.Root(name), v); d.HasError() {
			t.Fatalf("state attribute %s: %v", name, d)
		}
	}
	null := tftypes.NewValue(ids.IdentitySchema.Type().TerraformType(ctx), nil)
	req := resource.ReadRequest{State: prior, Identity: &tfsdk.ResourceIdentity{Schema: ids.IdentitySchema, Raw: null.Copy()}}
	resp := resource.ReadResponse{State: prior, Identity: &tfsdk.ResourceIdentity{Schema: ids.IdentitySchema, Raw: null.Copy()}}
	res.Read(ctx, req, &resp)
	return resp
}

// RequireRemovedWithIdentity fails t unless resp removed the resource without an error and holds the identity want
// (attribute → value): the framework (v1.19) fails a Read that returns no identity with "Missing Resource Identity
// After Read", also one that removes the resource.
func RequireRemovedWithIdentity(t *testing.T, resp resource.ReadResponse, want map[string]string) {
	t.Helper()
	if resp.Diagnostics.HasError() {
		t.Fatalf("Read: %v", resp.Diagnostics)
	}
	if !resp.State.Raw.IsNull() {
		t.Errorf("Read of an object Graph does not find kept the resource: %v", resp.State.Raw)
	}
	RequireIdentity(t, resp, want)
}

// RequireIdentity fails t unless resp holds the identity want (attribute → value).
func RequireIdentity(t *testing.T, resp resource.ReadResponse, want map[string]string) {
	t.Helper()
	if resp.Identity == nil || resp.Identity.Raw.IsFullyNull() {
		t.Fatal("Read returned no identity: the framework fails it with Missing Resource Identity After Read")
	}
	for name, v := range want {
		var got string
		if d := resp.Identity.GetAttribute(t.Context(), path.Root(name), &got); d.HasError() {
			t.Fatalf("identity.%s: %v", name, d)
		}
		if got != v {
			t.Errorf("identity.%s = %q, want %q", name, got, v)
		}
	}
}
