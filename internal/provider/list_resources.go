package provider

import (
	"context"

	"github.com/entracert/terraform-provider-entracert/internal/services/apiconnector"
	"github.com/entracert/terraform-provider-entracert/internal/services/pki"
	cbapolicy "github.com/entracert/terraform-provider-entracert/internal/services/policy"
	"github.com/hashicorp/terraform-plugin-framework/list"
	"github.com/hashicorp/terraform-plugin-framework/provider"
)

var _ provider.ProviderWithListResources = (*entracertProvider)(nil)

// ListResources are the list resources of `terraform query` (Terraform 1.14+), one per resource type whose objects
// a tenant already has: PKIs, their CAs, connector certificates and the CBA policy.
func (p *entracertProvider) ListResources(context.Context) []func() list.ListResource {
	return append(append(apiconnector.ListResources(), pki.ListResources()...), cbapolicy.ListResources()...)
}
