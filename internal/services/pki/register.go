// Package pki manages the trusted certificate authorities of Entra certificate-based-authentication PKIs.
package pki

import (
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/list"
	"github.com/hashicorp/terraform-plugin-framework/resource"
)

// Resources lists this area's resources for the provider.
func Resources() []func() resource.Resource {
	return []func() resource.Resource{NewPKIResource, NewUploadResource, NewCAResource}
}

// DataSources lists this area's data sources for the provider.
func DataSources() []func() datasource.DataSource {
	return []func() datasource.DataSource{NewPKIDataSource, NewPKIsDataSource, NewCRLDataSource}
}

// ListResources lists this area's list resources (Terraform 1.14+ `terraform query`) for the provider.
func ListResources() []func() list.ListResource {
	return []func() list.ListResource{NewPKIListResource, NewCAListResource}
}
