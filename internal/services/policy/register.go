// Package policy manages the tenant's certificate-based-authentication policy: the X.509 certificate
// authentication method configuration, checked against the trust store before it can lock anyone out.
package policy

import (
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/list"
	"github.com/hashicorp/terraform-plugin-framework/resource"
)

// Resources lists this area's resources for the provider.
func Resources() []func() resource.Resource {
	return []func() resource.Resource{NewPolicyResource}
}

// DataSources lists this area's data sources for the provider.
func DataSources() []func() datasource.DataSource {
	return []func() datasource.DataSource{NewPolicyDataSource}
}

// ListResources lists this area's list resources (Terraform 1.14+ `terraform query`) for the provider.
func ListResources() []func() list.ListResource {
	return []func() list.ListResource{NewPolicyListResource}
}
