package users

import (
	"strings"
	"testing"

	"github.com/entracert/terraform-provider-entracert/internal/graphemu"
	"github.com/entracert/terraform-provider-entracert/internal/services/common/resourcetest"
)

// Read of a user deleted outside Terraform, from a state without identity (Terraform before 1.12): the resource
// leaves the state with a warning and its identity set (lower case); nothing is written to Graph. No terraform
// binary: it holds on every Terraform version.
func TestCertificateUserIDsReadOn404RemovesItWithIdentity(t *testing.T) {
	c, emu := resourcetest.Client(t, graphemu.Options{})
	r := &certificateUserIDsResource{client: c}
	const gone = "6b2d3bd3-b078-4f46-ac53-f862f35e10b6"
	resp := resourcetest.ReadWithNullIdentity(t, r, map[string]string{
		"id": gone, "user_id": strings.ToUpper(gone), "user_principal_name": "bob@contoso.com"})
	resourcetest.RequireRemovedWithIdentity(t, resp, map[string]string{"id": gone})
	if w := resp.Diagnostics.Warnings(); len(w) != 1 || w[0].Summary() != "The user no longer exists" {
		t.Errorf("warnings %v, want one saying the user no longer exists", w)
	}
	if n := emu.Count("PATCH", ""); n != 0 {
		t.Errorf("%d PATCHes, want none", n)
	}
}
