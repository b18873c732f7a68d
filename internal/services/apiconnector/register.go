// Package apiconnector manages the client certificates of Entra External ID / Azure AD B2C API connectors.
package apiconnector

import (
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/list"
	"github.com/hashicorp/terraform-plugin-framework/resource"
)

// Resources lists this area's resources for the provider.
func Resources() []func() resource.Resource {
	return []func() resource.Resource{NewCertificateResource}
}

// DataSources lists this area's data sources for the provider.
func DataSources() []func() datasource.DataSource {
	return []func() datasource.DataSource{NewConnectorDataSource, NewConnectorsDataSource}
}

// ListResources lists this area's list resources (Terraform 1.14+ `terraform query`) for the provider.
func ListResources() []func() list.ListResource {
	return []func() list.ListResource{NewCertificateListResource}
}
