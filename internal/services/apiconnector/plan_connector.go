package apiconnector

import (
	"context"
	"fmt"
	"time"

	"github.com/entracert/terraform-provider-entracert/internal/graph"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-log/tflog"
)

// goneConnectorMark is the run mark (clients.RunMarks) of a connector that this run's refresh found deleted
// under a certificate in state.
func goneConnectorMark(connectorID string) string {
	return "apiconnector/gone/" + normalizeGUID(connectorID)
}

// planReadTimeout bounds the plan-time look at the connector behind connectorChecks.
const planReadTimeout = time.Minute

// connectorChecks looks at the connector a plan puts a certificate on. A connector Graph says does not exist fails
// the plan on api_connector_id: after a not-found answer the connector is read again for graph.APIConnectorVisibleWindow,
// because one created elsewhere moments ago may not be replicated yet. Then it says what Graph will do with the
// certificate (thumbprint "" while the PFX is unknown): a connector on basic authentication leaves it, and a
// certificate already listed while another one is active is adopted without becoming active (Graph keeps the most
// recently uploaded valid certificate). The first look is a cached read (refresh has usually made it); any other
// failure to read is left for apply to report.
func (r *certificateResource) connectorChecks(ctx context.Context, connectorID, thumbprint, pfxAttr string) diag.Diagnostics {
	var diags diag.Diagnostics
	if r.client == nil || r.client.Graph == nil {
		return diags // provider configuration unknown while planning
	}
	ctx, cancel := context.WithTimeout(ctx, planReadTimeout)
	defer cancel()
	if r.client.GoneParents.Marked(goneConnectorMark(connectorID)) {
		// This run's refresh found the connector deleted under this certificate and removed it from state. Terraform
		// runs the same plan before destroying (terraform destroy, plan -destroy) and stops on any error in it, with
		// no way for the provider to tell the two apart: an error here would make the destroy impossible. So this
		// run only warns. The apply fails (its plan of the create runs without a refresh, so without this mark) and
		// saves the state without the certificate; from then on plans fail below.
		diags.AddAttributeWarning(path.Root(attrAPIConnectorID), "The certificate cannot be created again: its API connector no longer exists",
			fmt.Sprintf("API connector %s was deleted outside Terraform, so this plan's create of the certificate fails at "+
				"apply. Set api_connector_id to an existing connector's ID (the entracert_api_connector data source can look "+
				"one up by display_name), or remove this resource from the configuration. terraform destroy works now. Once "+
				"the state is saved without the certificate (by an apply, or terraform apply -refresh-only), plans fail on "+
				"api_connector_id until the configuration changes.", normalizeGUID(connectorID)))
		return diags
	}
	conn, err := r.client.Graph.GetAPIConnectorCached(ctx, connectorID)
	if graph.IsNotFound(err) {
		tflog.Info(ctx, "API connector not found while planning; looking again in case it was created moments ago",
			map[string]any{"api_connector_id": connectorID})
		conn, err = r.client.Graph.WaitForAPIConnector(ctx, connectorID, r.now().Add(graph.APIConnectorVisibleWindow))
	}
	if graph.IsNotFound(err) {
		diags.AddAttributeError(path.Root(attrAPIConnectorID), "API connector not found",
			fmt.Sprintf("No API connector with ID %q exists (Graph answered 404 Not Found, also after looking again for %s "+
				"in case it was created moments ago). Set api_connector_id to an existing connector's ID (the "+
				"entracert_api_connector data source can look one up by display_name), or remove this resource from the "+
				"configuration if its connector was deleted (also before terraform destroy: Terraform plans the whole "+
				"configuration before destroying, and there is nothing of this resource to destroy).",
				normalizeGUID(connectorID), graph.APIConnectorVisibleWindow))
		return diags
	}
	if err != nil {
		tflog.Debug(ctx, "could not read the API connector while planning; apply will report it",
			map[string]any{"api_connector_id": connectorID, "error": err.Error()})
		return diags
	}
	if thumbprint == "" {
		return diags
	}
	if conn.AuthenticationType != graph.AuthenticationCertificate {
		diags.AddAttributeWarning(path.Root(attrAPIConnectorID), "The API connector leaves basic authentication",
			fmt.Sprintf("API connector %s uses basic authentication now. Applying puts the certificate %s on it and switches "+
				"it to client certificate authentication: Graph drops its basic-authentication username and password, and "+
				"the connector's REST API must accept the certificate from then on.", normalizeGUID(connectorID), thumbprint))
		return diags
	}
	info := findCertificate(conn, thumbprint)
	active := activeCertificate(conn)
	if info != nil && !info.IsActive && active != nil {
		diags.AddAttributeWarning(path.Root(pfxAttr), "The certificate is already on the API connector but is not active",
			fmt.Sprintf("API connector %s already lists the certificate %s, so applying adopts it without uploading it, and "+
				"Graph keeps using the active certificate %s (the most recently uploaded valid one). Graph cannot make an "+
				"older certificate active again: to roll back, upload a newer certificate (a renewed one), or switch the "+
				"connector to basic authentication and upload again.", normalizeGUID(connectorID), thumbprint, active.Thumbprint))
	}
	return diags
}
