package common

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
)

// SetIdentity records a resource's identity (its identity struct, normalised) in a response that writes state:
// Create, Read (every return, also one that removes the resource), Update and ImportState. The framework fails a
// Read that returns without one, and Terraform before 1.12 sends none to start from. A nil identity (no identity
// support in the request) is left alone.
func SetIdentity(ctx context.Context, identity *tfsdk.ResourceIdentity, value any) diag.Diagnostics {
	if identity == nil {
		return nil
	}
	return identity.Set(ctx, value)
}

// ReadIdentity is SetIdentity for Read: it keeps the prior identity when same says it names the same object (in
// another letter case, stored before IDs were normalised), so that a refresh never shows Terraform an identity
// change; else it records want. Called first in Read, so every return has an identity.
func ReadIdentity[T any](ctx context.Context, prior, identity *tfsdk.ResourceIdentity, want T, same func(prior T) bool) diag.Diagnostics {
	if identity == nil {
		return nil
	}
	if prior != nil && !prior.Raw.IsNull() {
		var old T
		if d := prior.Get(ctx, &old); !d.HasError() && same(old) {
			return identity.Set(ctx, old)
		}
	}
	return identity.Set(ctx, want)
}
