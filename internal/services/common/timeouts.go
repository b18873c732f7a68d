package common

import (
	"context"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/resource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

// typeAtPath is what resource schemas (and a list request's ResourceSchema) tell about their types.
type typeAtPath interface {
	TypeAtPath(ctx context.Context, p path.Path) (attr.Type, diag.Diagnostics)
}

// NullTimeouts is a timeouts block left out, typed as the resource schema s declares it: what a state built from
// Graph alone (a list result, a unit test) holds.
func NullTimeouts(ctx context.Context, s typeAtPath) (timeouts.Value, diag.Diagnostics) {
	t, diags := s.TypeAtPath(ctx, path.Root("timeouts"))
	if diags.HasError() {
		return timeouts.Value{}, diags
	}
	obj, ok := t.(attr.TypeWithAttributeTypes)
	if !ok {
		diags.AddError("Unexpected timeouts type", fmt.Sprintf("The resource's timeouts block has type %T. This is a bug in the provider; please report it.", t))
		return timeouts.Value{}, diags
	}
	return timeouts.Value{Object: types.ObjectNull(obj.AttributeTypes())}, diags
}
